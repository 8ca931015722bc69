"""People, their roles and invitations.

Lists need `accounts.view_people` (403 without it). A single person, assignment or invitation
is looked up within the user's scope first, so one outside it is a 404 for everybody, then
checked against its permission. Sensitive actions ask for a recent re-authentication on the
confirmation page and on the POST alike; state changes are POST only.
"""

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts import lockout, services
from accounts.forms import (
    AcceptInvitationForm,
    AssignmentDatesForm,
    InvitationForm,
    PublicNameForm,
)
from accounts.models import Invitation, RoleAssignment, SecurityEvent, User
from accounts.security import security_event_record
from accounts.shortcuts import scoped_getter
from portal.pagination import paginated

person_in_scope = scoped_getter(
    lambda user: User.objects.for_user(user).prefetch_related(
        Prefetch(
            "assignments",
            queryset=RoleAssignment.objects.select_related(
                "region", "psc__host", "organisation", "invitation"
            ).order_by("-starts_on", "pk"),
        )
    )
)
assignment_in_scope = scoped_getter(
    lambda user: RoleAssignment.objects.for_user(user).select_related(
        "user", "region", "psc__host", "organisation", "invitation"
    )
)
invitation_in_scope = scoped_getter(lambda user: Invitation.objects.for_user(user).for_display())


@require_GET
@permission_required("accounts.view_people", raise_exception=True)
def people_list(request):
    people = (
        User.objects.for_user(request.user).with_assignments().order_by("full_name", "email", "pk")
    )
    waiting = Invitation.objects.for_user(request.user).open().for_display().order_by("full_name")
    context = paginated(request, people)
    context |= {"people": context["page"].object_list, "waiting": waiting}
    return render(request, "accounts/people_list.html", context)


@require_GET
@permission_required("accounts.view_person", fn=person_in_scope, raise_exception=True)
def person_detail(request, pk):
    person = person_in_scope(request, pk=pk)
    invitations = Invitation.objects.for_user(request.user).filter(user=person).for_display()
    return render(
        request,
        "accounts/person_detail.html",
        {"person": person, "invitations": invitations},
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.deactivate_user", fn=person_in_scope, raise_exception=True)
@reauthentication_required
def person_deactivate(request, pk):
    person = person_in_scope(request, pk=pk)
    if not person.is_active:
        messages.info(request, f"{person} is already deactivated.")
        return redirect("accounts:person", pk=pk)
    if request.method == "POST":
        services.user_deactivate(person=person, by=request.user, request=request)
        messages.success(request, f"{person}'s account is deactivated. They cannot sign in.")
        return redirect("accounts:person", pk=pk)
    return render(request, "accounts/person_deactivate.html", {"person": person})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.reactivate_user", fn=person_in_scope, raise_exception=True)
@reauthentication_required
def person_reactivate(request, pk):
    person = person_in_scope(request, pk=pk)
    if person.is_active:
        messages.info(request, f"{person}'s account is already active.")
        return redirect("accounts:person", pk=pk)
    if request.method == "POST":
        services.user_reactivate(person=person, by=request.user, request=request)
        messages.success(request, f"{person}'s account is active again. They can sign in.")
        return redirect("accounts:person", pk=pk)
    return render(request, "accounts/person_reactivate.html", {"person": person})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.reset_two_factor", fn=person_in_scope, raise_exception=True)
@reauthentication_required
def person_two_factor_reset(request, pk):
    person = person_in_scope(request, pk=pk)
    if request.method == "POST":
        services.two_factor_reset(person=person, by=request.user, request=request)
        messages.success(
            request,
            f"{person}'s two-factor authentication is reset and they are signed out. They will "
            "set it up again when they next sign in; an email tells them so.",
        )
        return redirect("accounts:person", pk=pk)
    methods = sorted(
        Authenticator.Type(kind).label
        for kind in set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    )
    return render(
        request, "accounts/person_two_factor_reset.html", {"person": person, "methods": methods}
    )


@require_http_methods(["GET", "POST"])
@permission_required("accounts.end_assignment", fn=assignment_in_scope, raise_exception=True)
@reauthentication_required
def assignment_end(request, pk):
    assignment = assignment_in_scope(request, pk=pk)
    person = assignment.user
    if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
        messages.info(request, "That role has already ended.")
        return redirect("accounts:person", pk=person.pk)
    if request.method == "POST":
        services.assignment_end(assignment=assignment, by=request.user, request=request)
        messages.success(request, f"{person} no longer has the role {assignment}.")
        return redirect("accounts:person", pk=person.pk)
    return render(
        request, "accounts/assignment_end.html", {"assignment": assignment, "person": person}
    )


@require_http_methods(["GET", "POST"])
@permission_required(
    "accounts.change_assignment_dates", fn=assignment_in_scope, raise_exception=True
)
@reauthentication_required
def assignment_dates(request, pk):
    assignment = assignment_in_scope(request, pk=pk)
    person = assignment.user
    form = AssignmentDatesForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.assignment_dates_change(
                assignment=assignment, by=request.user, request=request, **form.cleaned_data
            )
        except services.AssignmentChanged:
            form.add_error(
                None, "Someone else changed this role's dates just now. Check them and save again."
            )
        else:
            if changed:
                messages.success(request, f"The dates of {person}'s role {assignment} are saved.")
            return redirect("accounts:person", pk=person.pk)
    return render(
        request,
        "accounts/assignment_dates.html",
        {"assignment": assignment, "person": person, "form": form},
    )


@require_GET
@permission_required("accounts.view_invitations", raise_exception=True)
def invitation_list(request):
    invitations = Invitation.objects.for_user(request.user).for_display()
    return render(request, "accounts/invitation_list.html", paginated(request, invitations))


@require_http_methods(["GET", "POST"])
@permission_required("accounts.invite_person", raise_exception=True)
@reauthentication_required
def invitation_create(request):
    initial = {"email": request.GET.get("email", "")}
    form = InvitationForm(request.POST or None, inviter=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(
            by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect("accounts:invitation", pk=invitation.pk)
    return render(request, "accounts/invitation_form.html", {"form": form})


@require_GET
@permission_required("accounts.view_invitations", fn=invitation_in_scope, raise_exception=True)
def invitation_detail(request, pk):
    invitation = invitation_in_scope(request, pk=pk)
    return render(request, "accounts/invitation_detail.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
@permission_required("accounts.manage_invitation", fn=invitation_in_scope, raise_exception=True)
@reauthentication_required
def invitation_resend(request, pk):
    invitation = invitation_in_scope(request, pk=pk)
    if not invitation.is_open:
        messages.info(request, "This invitation can no longer be resent.")
        return redirect("accounts:invitation", pk=pk)
    if request.method == "POST":
        services.invitation_resend(invitation=invitation, by=request.user, request=request)
        messages.success(
            request, f"A new link has been sent to {invitation.email}. The old one no longer works."
        )
        return redirect("accounts:invitation", pk=pk)
    return render(
        request,
        "accounts/invitation_confirm.html",
        {"invitation": invitation, "action": "resend"},
    )


# Like every other people action, revoking asks for a recent re-authentication: on a
# session left open, someone else could otherwise cancel the invitations a lead has sent.
@require_http_methods(["GET", "POST"])
@permission_required("accounts.manage_invitation", fn=invitation_in_scope, raise_exception=True)
@reauthentication_required
def invitation_revoke(request, pk):
    invitation = invitation_in_scope(request, pk=pk)
    if not invitation.is_open:
        messages.info(request, "This invitation can no longer be revoked.")
        return redirect("accounts:invitation", pk=pk)
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation, by=request.user, request=request)
        messages.success(request, f"The invitation to {invitation.email} is revoked.")
        return redirect("accounts:invitation", pk=pk)
    return render(
        request,
        "accounts/invitation_confirm.html",
        {"invitation": invitation, "action": "revoke"},
    )


UNUSABLE_STATUS = {"invalid": 404}


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable)
    if request.user.is_authenticated and request.user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_signed_in.html", {"invitation": invitation})
    existing = services.existing_account(invitation)
    if existing is not None:
        return _accept_for_existing_account(request, invitation, existing)

    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"], request=request
            )
        except services.InvitationUnusable as unusable:
            return _unusable(request, unusable)
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, "Your account is ready. Welcome to the portal.")
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _accept_for_existing_account(request, invitation, existing):
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, request=request)
        except services.InvitationUnusable as unusable:
            return _unusable(request, unusable)
        if request.user.is_authenticated:
            messages.success(request, f"You now have the role {invitation.assignment}.")
            return redirect("home")
        messages.success(request, "The role is added to your account. Sign in to use it.")
        return redirect(f"{reverse('account_login')}?next={reverse('home')}")
    return render(
        request,
        "accounts/invitation_accept_existing.html",
        {"invitation": invitation, "existing": existing},
    )


def _unusable(request, unusable):
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"reason": unusable.reason, "invitation": unusable.invitation},
        status=UNUSABLE_STATUS.get(unusable.reason, 410),
    )


UNLOCK_REFUSED_STATUS = {"invalid": 404}


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def unlock(request, token):
    """The owner's one-time link past a pause on their account (accounts/lockout.py). Opening
    it shows a button, and only the button uses it up: mail scanners that fetch every link in
    an email would otherwise spend it before its owner could."""
    try:
        if request.method == "POST":
            services.unlock_link_use(token=token, request=request)
            messages.success(
                request,
                "This browser can now sign in to your account for the next hour. "
                "Enter your password, then the code from your authenticator app.",
            )
            return redirect("account_login")
        person, _nonce = lockout.unlock_person(token)
    except lockout.UnlockRefused as refused:
        return render(
            request,
            "accounts/unlock_refused.html",
            {"reason": refused.reason},
            status=UNLOCK_REFUSED_STATUS.get(refused.reason, 410),
        )
    return render(request, "accounts/unlock.html", {"person": person})


# Error pages that write the security log: the project's handler403 and handler429.


def permission_denied(request, exception=None):
    """The 403 page, and a line in the security log saying who was refused what."""
    security_event_record(kind=SecurityEvent.Kind.ACCESS_DENIED, request=request)
    return render(request, "403.html", status=403)


def rate_limited(request, exception=None):
    """The 429 page allauth shows when a limit is reached (failed sign-ins, resets...)."""
    email = request.POST.get("login", "") if request.method == "POST" else ""
    # Which sign-in limit refused it (accounts/lockout.py), when it was one of them.
    limit = getattr(request, "sign_in_limit", "")
    security_event_record(
        kind=SecurityEvent.Kind.RATE_LIMITED, request=request, email=email, limit=limit
    )
    return render(request, "429.html", {"limit": limit}, status=429)


@require_http_methods(["GET", "POST"])
def public_name(request):
    """The person's own choice: whether the public pages name them as an author."""
    initial = {"named": "yes" if request.user.named_on_public_pages else "no"}
    form = PublicNameForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.public_name_set(
            person=request.user, named=form.cleaned_data["named"], request=request
        )
        messages.success(
            request,
            "The public pages now name you as an author of your published learning."
            if request.user.named_on_public_pages
            else "The public pages do not name you.",
        )
        return redirect("accounts:public-name")
    return render(request, "accounts/public_name.html", {"form": form})
