"""allauth's code forms, as the design system asks for a code box: a label and a hint rather
than a placeholder, a box as wide as the code, the numeric keypad on phones."""

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm

CODE_HINT = "The 6-digit code from your authenticator app, or one of your recovery codes"


def code_field_shape(field, *, label, hint):
    field.label = label
    field.help_text = hint
    field.widget.attrs.pop("placeholder", None)
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
        code_field_shape(self.fields["code"], label="Security code", hint=CODE_HINT)


class CodeReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code_field_shape(self.fields["code"], label="Security code", hint=CODE_HINT)
