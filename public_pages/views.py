"""The public pages: published learning that its reviewer made public, for anyone, with no
sign-in. They show the learning and never anything internal (docs/adr/0036)."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from portal.markdown import render_markdown
from portal.middleware import indexable
from portal.page_cache import kept_for_everyone
from portal.pagination import paginated
from public_pages import selectors
from public_pages.feeds import PublicLearningFeed
from public_pages.forms import PublicSearchForm
from public_pages.sitemaps import SITEMAPS
from search.selectors import SearchFilters, search


def public_page(view):
    """Open to anyone, listed by search engines, and kept for visitors who have not signed in."""
    return kept_for_everyone(login_not_required(indexable(require_GET(view))))


@public_page
def learning_list(request):
    regions = selectors.programme_regions()
    form = PublicSearchForm(request.GET, regions=regions)
    rows = form.apply(selectors.public_learning())
    text = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    if text:
        # The portal's own search, over nothing but the public items the filters leave.
        rows = search(
            text,
            initiatives=Initiative.objects.none(),
            investigations=Investigation.objects.none(),
            learning_items=rows,
            filters=SearchFilters(types=list(LearningItem.Kind.values)),
        )
    return render(
        request,
        "public/list.html",
        {
            "search_form": form,
            "form": form if form.errors else None,
            "text": text,
            "regions": regions,
            "public_page": True,
            **paginated(request, rows),
        },
    )


@public_page
def learning_item(request, pk):
    item = selectors.public_item(pk)
    if item is None:
        raise Http404("No public learning has this number.")
    return render(
        request,
        "public/item.html",
        {"item": item, "body": render_markdown(item.body), "public_page": True},
    )


feed = kept_for_everyone(login_not_required(indexable(PublicLearningFeed())))


@kept_for_everyone
@login_not_required
@indexable
@require_GET
def sitemap(request):
    # Rendered here, so that what is kept for the next visitor is the finished page.
    return sitemap_view(request, sitemaps=SITEMAPS).render()


@login_not_required
@indexable
@require_GET
def robots(request):
    """Search engines may read the public pages and the feeds, and nothing else."""
    lines = [
        "User-agent: *",
        f"Allow: {reverse('public:list')}",
        "Allow: /feed/",
        "Disallow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
