from django.urls import path

from digests import views

app_name = "digests"
urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("preview/", views.preview, name="preview"),
    path("runs/", views.runs, name="runs"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
