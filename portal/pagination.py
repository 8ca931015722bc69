"""One way to page a list: every list shows PAGE_SIZE rows a page, with the pagination include
(templates/includes/pagination.html)."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def paginated(request, rows):
    """{"page": the page `?page=N` asks for (the first for anything that is not a number, the
    last for a number past it), "query": the request's other parameters, for the include's
    links}."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
