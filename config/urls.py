from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.admin_access import admin_login, may_use_admin
from portal import views

# The admin signs in through the portal's own sign-in, so it gets the same rate limits and
# two-factor authentication as every other page, and only the national team reaches it.
admin.site.login = admin_login(admin.site.login)
admin.site.has_permission = may_use_admin

urlpatterns = [
    path("health/live", views.health_live, name="health-live"),
    path("health/ready", views.health_ready, name="health-ready"),
    path("accounts/", include("allauth.urls")),
    path("regions/", include("regions.urls")),
    path("initiatives/", include("fellows.urls")),
    path("", include("learning.urls")),
    path("", include("discussion.urls")),
    path("digests/", include("digests.urls")),
    path("", include("register.urls")),
    path("search/", include("search.urls")),
    path("curriculum/", include("curriculum.urls")),
    path("", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("imports.urls")),
    path("", include("accounts.urls")),
    path("", include("public_pages.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_BARE_VIEW:
    urlpatterns.append(path("bench/bare/", views.bench_bare, name="bench-bare"))

handler403 = "accounts.views.permission_denied"
handler500 = "portal.views.server_error"
# allauth looks for handler429 here when it answers a request that went over a rate limit.
handler429 = "accounts.views.rate_limited"
