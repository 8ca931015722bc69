"""The migration that turns separate syllabus domains and levels into (domain, level) tags
keeps every tag: run on records tagged as the demo tagged them, and on the awkward cases."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("fellows", "0003_taxonomy_moves_out_of_learning"),
    ("learning", "0006_taxonomy_moves_to_its_own_app"),
    ("register", "0002_deadlines_and_search"),
    ("taxonomy", "0002_syllabus_tags"),
]
AFTER = [
    ("fellows", "0004_syllabus_tags"),
    ("learning", "0007_syllabus_tags"),
    ("register", "0003_syllabus_tags"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_apps(transactional_db, reference_data):
    apps = migrate(BEFORE)
    yield apps
    migrate(leaf_nodes())


def cells(record):
    return sorted((tag.domain.number, tag.level.number) for tag in record.syllabus.all())


def test_every_old_tag_becomes_pairs_of_domain_and_level(old_apps):
    Domain = old_apps.get_model("taxonomy", "SyllabusDomain")
    Level = old_apps.get_model("taxonomy", "SyllabusLevel")
    User = old_apps.get_model("accounts", "User")
    Region = old_apps.get_model("regions", "Region")
    Psc = old_apps.get_model("regions", "PatientSafetyCollaborative")
    Organisation = old_apps.get_model("regions", "Organisation")
    Initiative = old_apps.get_model("fellows", "Initiative")
    Item = old_apps.get_model("learning", "LearningItem")
    Investigation = old_apps.get_model("learning", "Investigation")
    Recommendation = old_apps.get_model("register", "Recommendation")
    domain = {d.number: d for d in Domain.objects.all()}
    level = {lv.number: lv for lv in Level.objects.all()}
    person = User.objects.create(email="fellow@example.org")
    north = Region.objects.get(slug="north", scheme__is_programme_scheme=True)
    psc = Psc.objects.filter(primary_region=north).first()

    def initiative(domains, levels):
        record = Initiative.objects.create(
            title="Safer handover", summary="s", host_psc=psc, region=north, created_by=person
        )
        record.syllabus_domains.set([domain[n] for n in domains])
        record.syllabus_levels.set([level[n] for n in levels])
        return record.pk

    def item(domains, levels):
        record = Item.objects.create(
            kind="best_practice", title="t", summary="s", region=north, created_by=person
        )
        record.syllabus_domains.set([domain[n] for n in domains])
        record.syllabus_levels.set([level[n] for n in levels])
        return record.pk

    # As the demo tagged them: initiatives with two domains at one level, learning with one
    # domain at two levels; then a domain with no level, a level with no domain, and none.
    as_demo = initiative([1, 2], [1])
    learning = item([3], [1, 2])
    domain_only = initiative([4], [])
    level_only = item([], [5])
    untagged = initiative([], [])
    investigation = Investigation.objects.create(
        source="hssib", title="i", summary="s", region=north, created_by=person,
        organisation=Organisation.objects.get(slug="hssib"),
    )  # fmt: skip

    def recommendation(**fields):
        return Recommendation.objects.create(
            kind="safety_recommendation", text="r", investigation=investigation,
            addressed_to=Organisation.objects.get(slug="nhs-england"), region=north,
            issued_on=datetime.date(2026, 3, 1), created_by=person, **fields,
        ).pk  # fmt: skip

    both = recommendation(syllabus_domain=domain[2], syllabus_level=level[3])
    neither = recommendation()

    new_apps = migrate(AFTER)
    Initiative = new_apps.get_model("fellows", "Initiative")
    Item = new_apps.get_model("learning", "LearningItem")
    Recommendation = new_apps.get_model("register", "Recommendation")

    assert cells(Initiative.objects.get(pk=as_demo)) == [(1, 1), (2, 1)]
    assert cells(Item.objects.get(pk=learning)) == [(3, 1), (3, 2)]
    assert cells(Initiative.objects.get(pk=domain_only)) == [(4, n) for n in range(1, 6)]
    assert cells(Item.objects.get(pk=level_only)) == [(n, 5) for n in range(1, 6)]
    assert cells(Initiative.objects.get(pk=untagged)) == []
    assert cells(Recommendation.objects.get(pk=both)) == [(2, 3)]
    assert cells(Recommendation.objects.get(pk=neither)) == []
