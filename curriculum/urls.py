from django.urls import path

from curriculum import views

app_name = "curriculum"
urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("add/", views.entry_add, name="entry-add"),
    path("<int:pk>/", views.entry_detail, name="entry-detail"),
    path("<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("<int:pk>/status/", views.entry_status, name="entry-status"),
    path("training/", views.session_list, name="training-list"),
    path("training/reach/", views.reach, name="reach"),
    path("training/add/", views.session_add, name="training-add"),
    path("training/<int:pk>/", views.session_detail, name="training-detail"),
    path("training/<int:pk>/edit/", views.session_edit, name="training-edit"),
    path("support/", views.support_list, name="support-list"),
    path("support/add/", views.support_add, name="support-add"),
    path("support/<int:pk>/", views.support_detail, name="support-detail"),
    path("support/<int:pk>/edit/", views.support_edit, name="support-edit"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<int:domain>/<int:level>/", views.coverage_cell, name="coverage-cell"),
]
