from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("people/", views.people_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path(
        "people/<int:pk>/two-factor/reset/",
        views.person_two_factor_reset,
        name="person-two-factor-reset",
    ),
    path("people/roles/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    path("people/roles/<int:pk>/dates/", views.assignment_dates, name="assignment-dates"),
    path("people/invitations/", views.invitation_list, name="invitations"),
    path("people/invitations/new/", views.invitation_create, name="invite"),
    path("people/invitations/<int:pk>/", views.invitation_detail, name="invitation"),
    path(
        "people/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "people/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("sign-in/unlock/<str:token>/", views.unlock, name="unlock"),
    path("account/public-name/", views.public_name, name="public-name"),
]
