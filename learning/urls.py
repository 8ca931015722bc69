from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("investigations/", views.investigation_list, name="investigation-list"),
    path("investigations/add/", views.investigation_add, name="investigation-add"),
    path("investigations/<int:pk>/", views.investigation_detail, name="investigation-detail"),
    path("investigations/<int:pk>/edit/", views.investigation_edit, name="investigation-edit"),
    path("learning/", views.item_list, name="item-list"),
    path("learning/add/", views.item_add, name="item-add"),
    path("learning/<int:pk>/", views.item_detail, name="item-detail"),
    path("learning/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("learning/<int:pk>/submit/", views.item_submit, name="item-submit"),
    path("learning/<int:pk>/publish/", views.item_publish, name="item-publish"),
    path("learning/<int:pk>/return/", views.item_return, name="item-return"),
    path("learning/<int:pk>/withdraw/", views.item_withdraw, name="item-withdraw"),
    path("learning/<int:pk>/public/", views.item_public, name="item-public"),
    path("review/", views.review_queue, name="review-queue"),
    path("learning/news/seen/", views.news_seen, name="news-seen"),
]
