"""allauth's forms as the design system asks: a label (and a hint where it helps) rather than
a placeholder, error messages that say what to do, and code boxes as wide as the code."""

from allauth.account import forms as account_forms
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm


def field_shape(field, *, label, required_message):
    field.label = label
    field.error_messages["required"] = required_message
    field.widget.attrs.pop("placeholder", None)
    if not str(field.help_text).strip():
        # allauth's password boxes carry a blank help text, which would point
        # aria-describedby at a hint that is never drawn.
        field.help_text = ""


def code_field_shape(field, *, label, hint):
    field_shape(field, label=label, required_message="Enter the security code")
    field.help_text = hint
    field.widget.attrs.update(
        {
            "class": "nhsuk-input--width-10",
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "off",
        }
    )


class CodeActivateTOTPForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code_field_shape(
            self.fields["code"],
            label="Code from your authenticator app",
            hint="The 6-digit code the app shows for this portal",
        )
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class CodeAuthenticateForm(AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's own words say where the code comes from: no hint repeating them.
        code_field_shape(self.fields["code"], label="Security code", hint="")


class CodeReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's own words say where the code comes from: no hint repeating them.
        code_field_shape(self.fields["code"], label="Security code", hint="")


class PlainLoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_shape(
            self.fields["login"],
            label="Email address",
            required_message="Enter the email address you sign in with",
        )
        field_shape(
            self.fields["password"], label="Password", required_message="Enter your password"
        )


class PlainResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_shape(
            self.fields["email"],
            label="Email address",
            required_message="Enter the email address you sign in with",
        )
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.nhs.uk"
        )


class PlainResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_shape(
            self.fields["password1"], label="New password", required_message="Enter a password"
        )
        field_shape(
            self.fields["password2"],
            label="Type the new password again",
            required_message="Type the new password again",
        )


class PlainReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_shape(
            self.fields["password"], label="Password", required_message="Enter your password"
        )


class PlainChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_shape(
            self.fields["oldpassword"],
            label="Current password",
            required_message="Enter your current password",
        )
        field_shape(
            self.fields["password1"], label="New password", required_message="Enter a password"
        )
        field_shape(
            self.fields["password2"],
            label="Type the new password again",
            required_message="Type the new password again",
        )
