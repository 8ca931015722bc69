from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from learning.models import LearningItem


class PublicListSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["public:list"]

    def location(self, name):
        return reverse(name)


class PublicLearningSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5_000

    def items(self):
        return (
            LearningItem.objects.public().only("id", "updated_at").order_by("-published_at", "-id")
        )

    def location(self, item):
        return reverse("public:item", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"list": PublicListSitemap, "learning": PublicLearningSitemap}
