import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from accounts.models import INVITATION_VALID_FOR, Invitation, User
from accounts.roles import SCOPE_FIELDS, Role
from accounts.scope import user_scope
from portal.forms import DateField, PortalForm, YearsAhead, max_length_of
from regions.forms import OrganisationChoice
from regions.models import Organisation, PatientSafetyCollaborative, Region


class InvitationForm(PortalForm):
    """Offers only the roles and regions the inviter may grant, and checks again on submit."""

    full_name = forms.CharField(
        label="Full name",
        max_length=max_length_of(Invitation, "full_name"),
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
    region = forms.ModelChoiceField(
        label="Region",
        queryset=Region.objects.none(),
        required=False,
        empty_label="Choose a region",
        help_text="For a safety fellow, an HEE regional lead or a partner reader.",
    )
    psc = forms.ModelChoiceField(
        label="Patient Safety Collaborative",
        queryset=PatientSafetyCollaborative.objects.none(),
        required=False,
        empty_label="Choose a PSC",
        help_text="A safety fellow's host PSC, or a PSC chair's PSC.",
    )
    organisation = OrganisationChoice(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="For a partner reader only: type part of its name or its ODS code.",
    )
    ends_on = DateField(
        label="Last day of the role",
        required=False,
        help_text="For example, 31 3 2027. Leave blank for a safety fellow's role to end 12 "
        "months after they accept, or for other roles to have no end date.",
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.scope = user_scope(inviter)
        self.fields["role"].choices = [
            (role.value, role.label) for role in self.scope.grantable_roles()
        ]
        regions = Region.objects.in_programme_scheme()
        grantable = self.scope.grantable_region_ids()
        if grantable is not None:
            regions = regions.filter(pk__in=grantable)
        self.fields["region"].queryset = regions
        # Every role a regional lead may grant is in a region, so for them it is not optional.
        self.fields["region"].required = grantable is not None
        self.fields["region"].error_messages["required"] = "Choose a region"
        if len(grantable or ()) == 1:
            self.fields["region"].initial = next(iter(grantable))
        pscs = PatientSafetyCollaborative.objects.select_related("host")
        if grantable is not None:
            pscs = pscs.filter(primary_region__in=grantable)
        self.fields["psc"].queryset = pscs
        self.fields["organisation"].queryset = Organisation.objects.filter(closed_on__isnull=True)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send invitation"))

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "This person already has an invitation waiting. Resend it from the list of "
                "invitations instead."
            )
        return email

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        earliest = timezone.localdate() + INVITATION_VALID_FOR
        if ends_on is not None and ends_on < earliest:
            raise forms.ValidationError(
                f"The last day must be on or after {earliest:%-d %B %Y}, when the "
                "invitation expires"
            )
        return ends_on

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if not role:
            return cleaned
        needed = SCOPE_FIELDS[Role(role)]
        messages = {
            "region": "Choose a region",
            "psc": "Choose a Patient Safety Collaborative",
            "organisation": "Choose an organisation",
        }
        for name in needed:
            if cleaned.get(name) is None:
                self.add_error(name, messages[name])
        region = cleaned.get("region") if "region" in needed else None
        psc = cleaned.get("psc") if "psc" in needed else None
        if role == Role.FELLOW and region and psc and psc.primary_region_id != region.pk:
            self.add_error("psc", "Choose a PSC based in the fellow's region")
        if role == Role.PSC_CHAIR and psc:
            region = psc.primary_region
        if role == Role.PARTNER_READER:
            region = cleaned.get("region")
            if region is None and not self.scope.is_national:
                self.add_error("region", "Choose the region you are inviting them for")
        if self.errors:
            return cleaned
        cleaned["region"] = region
        if not self.scope.can_grant(role, region.pk if region else None):
            raise forms.ValidationError("You cannot invite someone to this role in this region")
        return cleaned


# The programme's first fellows began in 2014; no role in the portal starts before that.
PROGRAMME_BEGAN = datetime.date(2014, 1, 1)


class AssignmentDatesForm(PortalForm):
    """The first and last day of a role already held: a start from 2014 to a year ahead, an
    end on or after the start and at most five years ahead."""

    starts_on = DateField(
        label="First day of the role",
        earliest=PROGRAMME_BEGAN,
        latest=datetime.timedelta(days=365),
        help_text="For example, 1 4 2026.",
        error_messages={"required": "Enter the first day of the role"},
    )
    ends_on = DateField(
        label="Last day of the role",
        required=False,
        earliest=PROGRAMME_BEGAN,
        latest=YearsAhead(5),
        help_text="For example, 31 3 2027. Leave blank for a role with no end date.",
    )

    def __init__(self, *args, assignment, **kwargs):
        kwargs.setdefault(
            "initial", {"starts_on": assignment.starts_on, "ends_on": assignment.ends_on}
        )
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save dates"))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                forms.ValidationError(
                    "The last day of the role must be on or after its first day, %(first)s",
                    params={"first": f"{starts_on:%-d %B %Y}"},
                ),
            )
        return cleaned


class AcceptInvitationForm(PortalForm):
    """A password for the new account, checked by the site's password validators."""

    password1 = forms.CharField(
        label="Create a password",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text="Use at least 12 characters. A few unrelated words make a strong password "
        "that is easy to remember.",
    )
    password2 = forms.CharField(
        label="Confirm your password",
        error_messages={"required": "Enter the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create account"))

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        person = User(email=self.invitation.email, full_name=self.invitation.full_name)
        password_validation.validate_password(password, user=person)
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second is not None and first != second:
            self.add_error("password2", "The passwords do not match")
        return cleaned


class PublicNameForm(PortalForm):
    named = forms.TypedChoiceField(
        label="Name you as an author on the public pages?",
        choices=[("yes", "Yes, show my name with my published learning"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether to name you on the public pages"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))
