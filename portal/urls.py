from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/live", views.health_live, name="health-live"),
    path("health/ready", views.health_ready, name="health-ready"),
    path("accounts/", include("allauth.urls")),
    path("regions/", include("regions.urls")),
    path("initiatives/", include("fellows.urls")),
    path("", include("learning.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
