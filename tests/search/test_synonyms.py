"""The programme's own words in search: every acronym finds what its full words find and the
other way round, and the labels of an investigation's source and response type are searched.
Each runs with PostgreSQL full-text search and with the plain fallback (SQLite's)."""

import importlib

import pytest

from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from search.selectors import expand, search
from taxonomy.models import PsirfResponse, SearchSynonym
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory
from tests.search.test_selectors import either_backend  # noqa: F401 - the fixture

SYNONYMS = importlib.import_module("taxonomy.migrations.0004_search_synonyms").SYNONYMS
NEUTRAL = "Work with teams in every trust."
UNRELATED = "Falls huddles on wards"

# The acronyms of ../shared/DOMAIN.md ("Acronyms people type into search").
DOMAIN_ACRONYMS = [
    "PFD",
    "LfD",
    "SJR",
    "PSIRF",
    "PSII",
    "AAR",
    "MDT",
    "SWARM",
    "LFPSE",
    "NRLS",
    "HSSIB",
    "HSIB",
    "HEE",
    "PSC",
    "AHSN",
    "HIN",
    "HEI",
    "NEWS2",
    "SBAR",
    "QI",
    "IHI",
    "PDSA",
    "CQC",
    "PSS",
    "PSIRP",
]


def found(text):
    results = search(
        text,
        initiatives=Initiative.objects.all(),
        investigations=Investigation.objects.all(),
        learning_items=LearningItem.objects.none(),
    )
    return {result.record.title for result in results}


def titled(words):
    return f"Work on {words} across wards"


@pytest.fixture(scope="module")
def _records(module_db):
    with module_db():
        for term, meaning in SYNONYMS:
            for words in (term, meaning):
                InitiativeFactory(title=titled(words), summary=NEUTRAL)
        InitiativeFactory(title=UNRELATED, summary=NEUTRAL)
        for source in Investigation.Source.values:
            response = PsirfResponse.SWARM if source == Investigation.Source.PSIRF else ""
            InvestigationFactory(
                title=f"Investigation {source}",
                summary=NEUTRAL,
                source=source,
                psirf_response_type=response,
            )
        for response in PsirfResponse.values:
            if response != PsirfResponse.SWARM:
                InvestigationFactory(
                    title=f"Response {response}",
                    summary=NEUTRAL,
                    source=Investigation.Source.PSIRF,
                    psirf_response_type=response,
                )


def test_the_seeded_list_has_every_acronym_of_the_programme(db):
    seeded = set(SearchSynonym.objects.values_list("term", flat=True))
    assert set(DOMAIN_ACRONYMS) <= seeded
    assert "second victim" in seeded


@pytest.mark.parametrize(("term", "meaning"), SYNONYMS, ids=[f"{t}={m}" for t, m in SYNONYMS])
@pytest.mark.usefixtures("_records")
def test_an_acronym_and_its_words_find_each_other(either_backend, term, meaning):  # noqa: F811
    both = {titled(term), titled(meaning)}

    assert both <= found(term)
    assert both <= found(meaning)
    assert both <= found(term.lower())
    assert UNRELATED not in found(term) | found(meaning)


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("PFD", {"Investigation pfd"}),
        ("prevention of future deaths", {"Investigation pfd"}),
        ("coroner", {"Investigation pfd"}),
        ("LfD", {"Investigation lfd"}),
        ("learning from deaths", {"Investigation lfd"}),
        ("SJR", {"Investigation lfd"}),
        ("structured judgement review", {"Investigation lfd"}),
        ("HSSIB", {"Investigation hssib"}),
        ("PSIRF", {"Investigation psirf", "Response psii", "Response aar", "Response mdt"}),
        ("PSII", {"Response psii"}),
        ("patient safety incident investigation", {"Response psii"}),
        ("AAR", {"Response aar"}),
        ("after action review", {"Response aar"}),
        ("MDT", {"Response mdt"}),
        ("multidisciplinary team", {"Response mdt"}),
        ("SWARM", {"Investigation psirf"}),
    ],
)
@pytest.mark.usefixtures("_records")
def test_an_investigations_source_and_response_type_are_searched(either_backend, text, titles):  # noqa: F811
    investigations = {
        title for title in found(text) if title.startswith(("Investigation", "Response"))
    }
    assert titles <= investigations
    assert "Investigation other" not in investigations


def test_a_synonym_added_in_the_admin_widens_search(db):
    SearchSynonym.objects.create(term="ED", meaning="emergency department")

    assert expand("ED waits") == ["ED waits", "emergency department"]
    assert expand("emergency department waits") == ["emergency department waits", "ED"]
    assert expand("bedside") == ["bedside"]
