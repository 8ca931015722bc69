"""The portal's URLs and error handlers, plus one page that fails, for the 500 page's test."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import handler403, handler429, handler500, urlpatterns  # noqa: F401


@login_not_required
def fails(request):
    raise RuntimeError("a deliberate failure for the test of the 500 page")


urlpatterns = [path("fails/", fails), *urlpatterns]
