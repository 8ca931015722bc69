"""One way to page a list: every list shows PAGE_SIZE rows a page, with the pagination include
(templates/includes/pagination.html).

A list's count is a COUNT over every row it could show: at national scale (160,000 published
learning items) that is most of a page's time, so a large count of a counted app's records is
kept between writes (portal/counts.py), under the list's own SQL."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from portal import counts

PAGE_SIZE = 20
# Counts below this are made afresh every time: they cost little, and tests see them exact.
KEEP_COUNTS_FROM = 10_000


class CountKeptPaginator(Paginator):
    @cached_property
    def count(self):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.model._meta.app_label not in counts.WATCHED:
            return super().count
        key = counts.query_key(rows)
        if key is None:  # a none() queryset: nothing to count or keep
            return 0
        return counts.counted(f"list:{key}", rows.count, keep_from=KEEP_COUNTS_FROM)


def paginated(request, rows, param="page"):
    """{"page": the page `?<param>=N` asks for (the first for anything that is not a number,
    the last for a number past it), "query": the request's other parameters, for the include's
    links, "page_param": param}. A page with two lists gives the second a param of its own, so
    that paging one keeps the other where it was."""
    query = request.GET.copy()
    query.pop(param, None)
    return {
        "page": CountKeptPaginator(rows, PAGE_SIZE).get_page(request.GET.get(param)),
        "query": query.urlencode(),
        "page_param": param,
    }
