from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("organisations/search/", views.organisation_search, name="organisation-search"),
    path("organisations/ods/", views.ods_refresh_start, name="ods-refresh-start"),
    path("organisations/ods/<int:pk>/", views.ods_refresh_preview, name="ods-refresh"),
    path("organisations/ods/<int:pk>/apply/", views.ods_refresh_confirm, name="ods-refresh-apply"),
]
