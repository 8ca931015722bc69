from django.urls import path

from fellows import views

app_name = "fellows"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("add/", views.initiative_create, name="add"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/milestones/add/", views.milestone_create, name="milestone-add"),
    path(
        "<int:initiative_pk>/milestones/<int:pk>/edit/",
        views.milestone_edit,
        name="milestone-edit",
    ),
    path(
        "<int:initiative_pk>/milestones/<int:pk>/complete/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path("<int:pk>/progress/add/", views.progress_update_create, name="progress-add"),
]
