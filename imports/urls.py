from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("templates/<slug:kind>/", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/columns/", views.import_columns, name="columns"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/undo/", views.import_undo, name="undo"),
]
