from django.urls import path

from public_pages import views

app_name = "public"
urlpatterns = [
    path("public/", views.learning_list, name="list"),
    path("public/learning/<int:pk>/", views.learning_item, name="item"),
    path("feed/", views.feed, name="feed"),
    path("feed/<slug:region>/", views.feed, name="region-feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
