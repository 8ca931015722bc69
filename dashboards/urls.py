from django.urls import path

from dashboards import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboards/", views.own_dashboard, name="dashboard-own"),
    path("dashboards/england/", views.national_dashboard, name="dashboard-national"),
    path("dashboards/<slug:slug>/", views.region_dashboard, name="dashboard"),
    path("dashboards/<slug:slug>/figures/<str:key>/", views.figure_list, name="dashboard-figure"),
]
