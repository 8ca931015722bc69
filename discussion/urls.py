from django.urls import path

from discussion import views

app_name = "discussion"
urlpatterns = [
    path("learning/<int:pk>/comments/add/", views.comment_add, name="comment-add"),
    path(
        "learning/<int:pk>/comments/<int:comment_pk>/reply/",
        views.comment_reply,
        name="comment-reply",
    ),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
]
