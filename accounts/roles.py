"""The portal's roles, named once. Everything else asks the rules in accounts/rules.py."""

from django.db import models


class Role(models.TextChoices):
    FELLOW = "fellow", "Safety fellow"
    REGIONAL_LEAD = "regional_lead", "HEE regional lead"
    PSC_CHAIR = "psc_chair", "PSC chair"
    NATIONAL = "national", "National team"
    PARTNER_READER = "partner_reader", "Partner reader"


# What each role is scoped to: the fields of a RoleAssignment it must have, and must not.
SCOPE_FIELDS = {
    Role.FELLOW: {"region", "psc"},
    Role.REGIONAL_LEAD: {"region"},
    Role.PSC_CHAIR: {"psc"},
    Role.NATIONAL: set(),
    Role.PARTNER_READER: {"organisation"},
}
