"""Factories for people: an account with an authenticator app, and the demo password."""

import time

import factory
from allauth.mfa.models import Authenticator

from accounts.allauth_internals import activate_totp
from accounts.allauth_internals import totp_code as code_in_step
from accounts.models import User

DEMO_PASSWORD = "fellows-demo-2026"
# Every factory user has an authenticator app with this secret, as real accounts must.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=TOTP_SECRET, at=None):
    """The code an authenticator app shows for this secret now (or at a Unix time)."""
    counter = int(time.time() if at is None else at) // 30
    return code_in_step(secret, counter)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        """UserFactory(totp=False) makes an account that has not set up two-factor
        authentication yet; UserFactory(totp="SECRET") uses that secret."""
        if not create or extracted is False:
            return
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            activate_totp(user, extracted or TOTP_SECRET)
