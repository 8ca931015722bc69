"""Demo data for `make run`: every account signs in with DEMO_PASSWORD. Never used in production."""

from django.contrib.auth.hashers import make_password

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from regions.models import Organisation, PatientSafetyCollaborative, Region

DEMO_PASSWORD = "fellows-demo-2026"  # noqa: S105 - published in the README, for the demo only

# The host PSC of each region's demo fellow and chair. East Midlands hosted the first fellows.
HOST_PSC = {
    "north": "north-east-north-cumbria",
    "midlands-east": "east-midlands",
    "london-south-east": "south-london",
    "south": "wessex",
}


def demo_accounts_seed():
    """Create any demo account that is missing, with its role; leave existing ones alone.

    Returns how many accounts were created, and (user, assignment) for every demo account.
    """
    regions = {region.slug: region for region in Region.objects.in_programme_scheme()}
    pscs = PatientSafetyCollaborative.objects.select_related("host").in_bulk(
        list(HOST_PSC.values()), field_name="slug"
    )
    wanted = [("admin@example.org", "National Programme Team", {"role": Role.NATIONAL})]
    # A partner reader, so the role can be tried: someone at HSSIB who reads published learning.
    hssib = Organisation.objects.filter(slug="hssib").first()
    if hssib is not None:
        wanted.append(
            (
                "reader@example.org",
                "Partner Reader (HSSIB)",
                {"role": Role.PARTNER_READER, "organisation": hssib},
            )
        )
    # The national team's demo account also edits reference data in the Django admin.
    staff = {"admin@example.org"}
    for slug, psc_slug in HOST_PSC.items():
        region, psc = regions[slug], pscs[psc_slug]
        wanted += [
            (
                f"fellow.{slug}@example.org",
                f"Safety Fellow ({region.name})",
                {"role": Role.FELLOW, "region": region, "psc": psc},
            ),
            (
                f"lead.{slug}@example.org",
                f"Regional Lead ({region.name})",
                {"role": Role.REGIONAL_LEAD, "region": region},
            ),
            (
                f"chair.{slug}@example.org",
                f"PSC Chair ({psc.name})",
                {"role": Role.PSC_CHAIR, "psc": psc},
            ),
        ]

    created = 0
    accounts = []
    # Hashed once for every account: the hasher is slow on purpose (about a second each on a
    # busy machine), and these accounts share a published password anyway.
    password = None
    for email, full_name, scope in wanted:
        user = User.objects.filter(email=email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=email,
                password=password,
                full_name=full_name,
                is_staff=email in staff,
                is_superuser=email in staff,
            )
            created += 1
        assignment, _ = RoleAssignment.objects.get_or_create(user=user, **scope)
        accounts.append((user, assignment))
    return created, accounts
