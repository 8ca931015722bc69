"""A person's digest regions follow their roles until they choose their own.

Until now the regions of a person's roles were copied into their preference the first time
it was made, and never followed a change of role. A preference whose regions are still what
the roles give today is taken to be such a copy and follows the roles from now on; one whose
regions differ was chosen by the person, and is kept as their choice.
"""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

FOLLOWED_ROLES = ("fellow", "regional_lead", "psc_chair")


def role_region_ids(user, assignments, programme_region_ids):
    """What accounts.scope.UserScope.region_ids gives, from the historical models."""
    if not user.is_active:
        return set()
    if any(assignment.role == "national" for assignment in assignments):
        return set(programme_region_ids)
    ids = set()
    for assignment in assignments:
        if assignment.role in FOLLOWED_ROLES:
            if assignment.region_id:
                ids.add(assignment.region_id)
            elif assignment.psc_id:
                ids.add(assignment.psc.primary_region_id)
    return ids


def follow_roles_unless_chosen(apps, schema_editor):
    Preference = apps.get_model("digests", "DigestPreference")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    Region = apps.get_model("regions", "Region")
    today = timezone.localdate()
    programme = set(
        Region.objects.filter(scheme__is_programme_scheme=True).values_list("pk", flat=True)
    )
    active = RoleAssignment.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    for preference in Preference.objects.select_related("user").prefetch_related("regions"):
        stored = {region.pk for region in preference.regions.all()}
        assignments = list(active.filter(user=preference.user).select_related("psc"))
        if stored and stored != role_region_ids(preference.user, assignments, programme):
            Preference.objects.filter(pk=preference.pk).update(
                regions_chosen_at=preference.updated_at
            )
        else:
            preference.regions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("regions", "0002_historicalorganisation"),
        ("accounts", "0005_alter_securityevent_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="digestpreference",
            name="regions_chosen_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the person chose their own regions. Empty means the digest "
                "follows the regions of their roles, whatever those become.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="digestpreference",
            name="regions",
            field=models.ManyToManyField(
                blank=True,
                help_text="The regions the person chose; used only once they have chosen "
                "(regions chosen at).",
                related_name="+",
                to="regions.region",
            ),
        ),
        migrations.RunPython(follow_roles_unless_chosen, migrations.RunPython.noop),
    ]
