"""Atom feeds of public learning, for England and for each region, so others can follow the
programme's learning in a reader or show it on their own site."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from portal.context_processors import SERVICE_NAME
from public_pages import selectors

PROGRAMME = "Patient safety fellow programme"


class PublicLearningFeed(Feed):
    feed_type = Atom1Feed
    author_name = PROGRAMME

    def get_object(self, request, region=None):
        if region is None:
            return None
        found = selectors.programme_regions().filter(slug=region).first()
        if found is None:
            raise Http404("No region has this name.")
        return found

    def title(self, region):
        where = f" in {region.name}" if region else ""
        return f"Patient safety learning{where}: {SERVICE_NAME}"

    def subtitle(self, region):
        where = f"{region.name}'s" if region else "England's"
        return (
            f"Best practice and learning from investigations, published by {where} patient "
            "safety fellows and reviewed by their HEE regional leads."
        )

    def link(self, region):
        url = reverse("public:list")
        return f"{url}?region={region.pk}" if region else url

    def feed_url(self, region):
        if region:
            return reverse("public:region-feed", args=[region.slug])
        return reverse("public:feed")

    def items(self, region):
        return selectors.feed_items(region)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("public:item", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [
            item.get_kind_display(),
            item.region.name,
            *(theme.name for theme in item.themes.all()),
        ]

    def item_author_name(self, item):
        # Only those who agreed to be named; the programme otherwise (set on the feed).
        return (
            ", ".join(person.full_name for person in item.named_authors if person.full_name) or None
        )
