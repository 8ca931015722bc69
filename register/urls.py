from django.urls import path

from register import views

app_name = "register"
urlpatterns = [
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path("recommendations/add/", views.recommendation_add, name="recommendation-add"),
    path("recommendations/gap/", views.gap_add, name="gap-add"),
    path("recommendations/response-rates/", views.response_rates, name="response-rates"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation-edit"),
    path("recommendations/<int:pk>/respond/", views.response_add, name="response-add"),
    path("recommendations/<int:pk>/answers/", views.answers, name="answers"),
    path("recommendations/<int:pk>/answers/remove/", views.answer_remove, name="answer-remove"),
    path("spread/", views.spread, name="spread"),
    path("spread/add/", views.adoption_add, name="adoption-add"),
    path("spread/<int:pk>/", views.adoption_detail, name="adoption-detail"),
    path("spread/<int:pk>/edit/", views.adoption_edit, name="adoption-edit"),
    path("spread/<int:pk>/stage/", views.adoption_stage, name="adoption-stage"),
    path("investigations/<int:pk>/thread/", views.thread, name="thread"),
]
