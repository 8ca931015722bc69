import io

import pytest
from django.core.management import call_command

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from demo.accounts import DEMO_PASSWORD

REGIONS = ["north", "midlands-east", "london-south-east", "south"]


@pytest.fixture(scope="module")
def _seeded_once(module_db):
    with module_db():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def seeded(_seeded_once, db):
    """The demo, seeded once for the module; what a test changes is undone after it."""


# First in the module, before the demo is seeded for the tests that follow: it checks that a
# refused seed leaves the database as the session set it up.
def test_seed_demo_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="not here"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_the_national_team_a_reader_and_three_accounts_per_region(seeded):
    expected = {"admin@example.org", "reader@example.org"} | {
        f"{kind}.{slug}@example.org" for slug in REGIONS for kind in ("fellow", "lead", "chair")
    }
    assert set(User.objects.values_list("email", flat=True)) == expected


def test_every_demo_account_signs_in_with_the_demo_password(seeded, client):
    for user in User.objects.all():
        assert client.login(email=user.email, password=DEMO_PASSWORD), user.email
        client.logout()


@pytest.mark.parametrize("slug", REGIONS)
def test_each_regions_accounts_are_scoped_to_that_region(seeded, slug):
    fellow = RoleAssignment.objects.get(user__email=f"fellow.{slug}@example.org")
    lead = RoleAssignment.objects.get(user__email=f"lead.{slug}@example.org")
    chair = RoleAssignment.objects.get(user__email=f"chair.{slug}@example.org")
    assert (fellow.role, fellow.region.slug, fellow.psc.primary_region.slug) == (
        Role.FELLOW,
        slug,
        slug,
    )
    assert (lead.role, lead.region.slug) == (Role.REGIONAL_LEAD, slug)
    assert (chair.role, chair.psc.primary_region.slug) == (Role.PSC_CHAIR, slug)


def test_the_admin_account_is_the_national_team(seeded):
    assert RoleAssignment.objects.get(user__email="admin@example.org").role == Role.NATIONAL


def test_seeding_again_creates_nothing_and_keeps_a_changed_password(seeded):
    user = User.objects.get(email="fellow.north@example.org")
    user.set_password("a new passphrase of my own")
    user.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.count() == 14
    assert RoleAssignment.objects.count() == 14
    user.refresh_from_db()
    assert user.check_password("a new passphrase of my own")


def test_the_national_demo_account_can_edit_reference_data_in_the_admin(seeded, client, settings):
    settings.MFA_REQUIRED = False  # as `make run` has it: the demo accounts have no authenticator
    client.login(email="admin@example.org", password=DEMO_PASSWORD)
    response = client.get("/admin/regions/patientsafetycollaborative/")
    assert response.status_code == 200
    assert b"Health Innovation East Midlands" in response.content


@pytest.mark.parametrize("slug", REGIONS)
def test_each_region_has_sample_work_in_every_stage(seeded, slug):
    from fellows.models import Initiative
    from learning.models import Investigation, LearningItem

    initiatives = Initiative.objects.filter(region__slug=slug)
    assert set(initiatives.values_list("status", flat=True)) >= {"planned", "active", "completed"}
    assert all(initiative.progress_updates.exists() for initiative in initiatives)
    sources = set(Investigation.objects.filter(region__slug=slug).values_list("source", flat=True))
    assert sources == set(Investigation.Source.values) - {"other"}
    statuses = set(LearningItem.objects.filter(region__slug=slug).values_list("status", flat=True))
    assert statuses == set(LearningItem.Status.values)


def test_sample_learning_respects_the_demo_scopes(seeded):
    from learning.models import LearningItem

    for item in LearningItem.objects.select_related("region").prefetch_related("authors"):
        assert [author.email for author in item.authors.all()] == [
            f"fellow.{item.region.slug}@example.org"
        ]
        reviewers = {event.by.email for event in item.events.all() if event.by != item.created_by}
        assert reviewers <= {f"lead.{item.region.slug}@example.org"}


def test_seeding_again_creates_no_sample_work(seeded):
    from learning.models import LearningItem, LearningItemEvent

    counts = (LearningItem.objects.count(), LearningItemEvent.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (LearningItem.objects.count(), LearningItemEvent.objects.count()) == counts


def test_sample_initiatives_are_hosted_by_the_regions_demo_psc(seeded):
    from fellows.models import Initiative

    for initiative in Initiative.objects.select_related("host_psc", "created_by"):
        fellow = RoleAssignment.objects.get(user=initiative.created_by)
        assert initiative.host_psc == fellow.psc


def test_no_sample_title_is_repeated_across_regions(seeded):
    from fellows.models import Initiative
    from learning.models import Investigation, LearningItem

    for model in (Initiative, Investigation, LearningItem):
        titles = list(model.objects.values_list("title", flat=True))
        assert len(titles) == len(set(titles)), model.__name__
        assert len(titles) >= 16


def test_sample_milestones_agree_with_their_initiatives_status_and_dates(seeded):
    from django.utils import timezone

    from fellows.models import Initiative, Milestone

    today = timezone.localdate()
    finished = [Initiative.Status.COMPLETED, Initiative.Status.STOPPED]
    assert not Milestone.objects.filter(completed_on__gt=today).exists()
    assert not Milestone.objects.filter(
        initiative__status__in=finished, completed_on__isnull=True
    ).exists()
    assert not Initiative.objects.filter(status__in=finished, ends_on__gte=today).exists()
    assert Initiative.objects.filter(status__in=finished).exists()
    overdue = Milestone.objects.filter(completed_on__isnull=True, due_on__lt=today)
    assert set(overdue.values_list("initiative__status", flat=True)) == {Initiative.Status.ACTIVE}


def test_every_sample_adoption_finds_what_it_adopts(seeded):
    from demo.history import ADOPTION_NOTE
    from demo.register import ADOPTIONS
    from register.models import Adoption

    # Beside them, the history's adoptions of each region's learning (tests/demo/test_history.py).
    assert Adoption.objects.exclude(notes=ADOPTION_NOTE).count() == len(ADOPTIONS)


def test_sample_initiatives_and_learning_differ_between_regions_in_topic(seeded):
    from fellows.models import Initiative

    themes_by_region = {
        slug: set(
            Initiative.objects.filter(region__slug=slug).values_list("themes__slug", flat=True)
        )
        for slug in REGIONS
    }
    assert len({frozenset(themes) for themes in themes_by_region.values()}) == len(REGIONS)


def test_the_demo_password_is_hashed_once_for_every_account(seeded):
    # The hasher is slow on purpose: hashing once, not thirteen times, shortens `make run`.
    assert User.objects.values_list("password", flat=True).distinct().count() == 1


def test_the_demo_partner_reader_reads_published_learning_at_hssib(seeded):
    assignment = RoleAssignment.objects.get(user__email="reader@example.org")

    assert (assignment.role, assignment.organisation.slug) == (Role.PARTNER_READER, "hssib")
    assert assignment.region is None and assignment.psc is None
