"""One search over initiatives, investigations, recommendations and published learning items.

On PostgreSQL: full-text search on each record's trigger-maintained search_vector (titles and
summaries weigh more than bodies), ranked, with matches highlighted. On SQLite (`make run`):
every word must appear somewhere in the text, ranked by how often and where. Both expand the
programme's synonyms, so "second victim" finds learning about staff affected by incidents.

Callers pass querysets already scoped to the person searching: this module never widens them.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from learning.models import Investigation, LearningItem
from taxonomy.models import PsirfResponse, SearchSynonym

STAFF_AFFECTED = "staff affected by incidents"
# Highlight markers PostgreSQL puts around matches; the text is escaped before they become
# <mark> tags, so nothing a user wrote can turn into markup.
OPEN, CLOSE = "\u27e6", "\u27e7"
CONFIG = "english"
MAX_PER_KIND = 500


@dataclass
class SearchFilters:
    # "initiative", "investigation", "recommendation" or a learning kind
    types: list = field(default_factory=list)
    region: int | None = None
    status: str = ""  # an initiative status
    theme: str = ""  # a theme slug
    domain: int | None = None  # a syllabus domain number
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class SearchResult:
    record: object
    kind: str
    kind_label: str
    title: str
    summary: str
    rank: float
    when: date | None


def _words(text):
    return re.findall(r"\w+", text.lower())


def _says(words, phrase_words):
    """Whether the words contain the phrase's words together, in order."""
    size = len(phrase_words)
    return any(words[start : start + size] == phrase_words for start in range(len(words)))


def expand(text, synonyms=None):
    """The query's alternatives: what was typed, plus, for each synonym (taxonomy's
    SearchSynonym: "PFD" and "Prevention of Future Deaths") whose one side it says, the other.
    One query for the synonyms unless they are passed in as (term, meaning) pairs."""
    if synonyms is None:
        synonyms = SearchSynonym.objects.values_list("term", "meaning")
    alternatives = [text]
    words = _words(text)
    for term, meaning in synonyms:
        for said, other in ((term, meaning), (meaning, term)):
            if _says(words, _words(said)) and other not in alternatives:
                alternatives.append(other)
    return alternatives


# Labels of choices that are records' fields rather than their text, searched as if they were
# written on the record: "learning from deaths" finds every Learning from Deaths review.
LABELLED = {
    "investigation": [
        ("source", Investigation.Source.choices),
        ("psirf_response_type", PsirfResponse.choices),
    ],
    "learning": [("psirf_response_type", PsirfResponse.choices)],
}


def _labels_matching(kind, alternatives):
    """Q for the records of `kind` whose choices' labels say every word of an alternative."""
    condition = Q(pk__in=[])
    for name, choices in LABELLED.get(kind, []):
        codes = [
            code
            for code, label in choices
            if any(
                set(words) <= set(_words(label))
                for words in (_words(alternative) for alternative in alternatives)
                if words
            )
        ]
        if codes:
            condition |= Q(**{f"{name}__in": codes})
    return condition


def search(
    text,
    *,
    initiatives,
    investigations,
    learning_items,
    recommendations=None,
    curriculum_entries=None,
    training_sessions=None,
    staff_support=None,
    filters=None,
):
    """Ranked results (best first) from the scoped querysets; learning items are limited to
    published ones here."""
    filters = filters or SearchFilters()
    text = (text or "").strip()
    sources = [
        ("initiative", "Initiative", _filter_initiatives(initiatives, filters), "starts_on"),
        (
            "investigation",
            "Investigation",
            _filter_investigations(investigations, filters),
            "published_on",
        ),
        ("learning", None, _filter_learning(learning_items.published(), filters), "published_at"),
    ]
    for kind, label, queryset, date_field in [
        ("recommendation", "Recommendation", recommendations, "issued_on"),
        ("curriculum", "Curriculum entry", curriculum_entries, "status_on"),
        ("training", "Training", training_sessions, "held_on"),
        ("support", "Support for staff affected by incidents", staff_support, "held_on"),
    ]:
        if queryset is not None:
            sources.append(
                (kind, label, _filter_other(queryset, filters, kind, date_field), date_field)
            )
    # The synonyms are read once for every kind searched.
    alternatives = expand(text) if text else [text]
    results = []
    for kind, label, queryset, date_field in sources:
        if queryset is None:
            continue
        for record, rank, title, summary in _matches(queryset, text, kind, alternatives):
            when = getattr(record, date_field)
            if isinstance(when, datetime):
                when = when.date()
            results.append(
                SearchResult(
                    record=record,
                    kind=kind,
                    kind_label=label or record.get_kind_display(),
                    title=title,
                    summary=summary,
                    rank=rank,
                    when=when,
                )
            )
    results.sort(key=lambda result: (-result.rank, -(result.when or date.min).toordinal()))
    return results


def _wanted(filters, kinds):
    return not filters.types or any(kind in filters.types for kind in kinds)


def _filter_common(queryset, filters, date_field):
    if filters.region:
        queryset = queryset.filter(region_id=filters.region)
    if filters.theme:
        queryset = queryset.filter(themes__slug=filters.theme)
    if filters.date_from:
        queryset = queryset.filter(**{f"{date_field}__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{date_field}__lte": filters.date_to})
    return queryset.distinct() if filters.theme else queryset


def _filter_initiatives(queryset, filters):
    if not _wanted(filters, ["initiative"]):
        return None
    queryset = _filter_common(queryset, filters, "starts_on")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.domain:
        queryset = queryset.filter(syllabus__domain__number=filters.domain).distinct()
    return queryset


def _filter_investigations(queryset, filters):
    # Investigations have no status and no syllabus tags: those filters leave them out.
    if not _wanted(filters, ["investigation"]) or filters.status or filters.domain:
        return None
    return _filter_common(queryset, filters, "published_on")


# The kinds of record with themes, and with syllabus tags, for the filters that need them.
HAS_THEMES = {"recommendation"}
HAS_SYLLABUS = {"recommendation", "curriculum", "training"}


def _filter_other(queryset, filters, kind, date_field):
    # None of these has an initiative status; a theme or a domain leaves out those without.
    if not _wanted(filters, [kind]) or filters.status:
        return None
    if (filters.theme and kind not in HAS_THEMES) or (filters.domain and kind not in HAS_SYLLABUS):
        return None
    if filters.domain:
        queryset = queryset.filter(syllabus__domain__number=filters.domain).distinct()
    return _filter_common(queryset, filters, date_field)


def _filter_learning(queryset, filters):
    kinds = [kind for kind in filters.types if kind in LearningItem.Kind.values]
    if (filters.types and not kinds) or filters.status:
        return None
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    if filters.domain:
        queryset = queryset.filter(syllabus__domain__number=filters.domain).distinct()
    return _filter_common(queryset, filters, "published_at__date")


# The columns a result shows as its title and summary: a recommendation's text is both (its
# title is the text's opening words).
SHOWN = {
    "initiative": ("title", "summary"),
    "investigation": ("title", "summary"),
    "learning": ("title", "summary"),
    "recommendation": ("text", "text"),
    "curriculum": ("programme", "change"),
    "training": ("title", "title"),
    "support": ("notes", "notes"),
}


def _matches(queryset, text, kind, alternatives):
    queryset = queryset.select_related("region")
    if not text:
        summary = SHOWN[kind][1]
        return [
            (record, 0.0, escape(record.title), escape(getattr(record, summary)))
            for record in queryset[:MAX_PER_KIND]
        ]
    # Support records have no search vector: they are few, and plain matching finds them.
    if connection.vendor == "postgresql" and kind != "support":
        return _postgres_matches(queryset, kind, alternatives)
    return _plain_matches(queryset, kind, alternatives)


def _postgres_matches(queryset, kind, alternatives):
    query = SearchQuery(alternatives[0], search_type="websearch", config=CONFIG)
    for alternative in alternatives[1:]:
        query |= SearchQuery(alternative, search_type="phrase", config=CONFIG)
    matched = Q(search_vector=query) | _labels_matching(kind, alternatives)
    if kind == "learning" and STAFF_AFFECTED in (a.lower() for a in alternatives[1:]):
        matched |= Q(kind=LearningItem.Kind.STAFF_SUPPORT)
    title, summary = SHOWN[kind]
    title_words = {"max_words": 15, "min_words": 8} if title == summary else {"highlight_all": True}
    rows = (
        queryset.filter(matched)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            title_marked=SearchHeadline(
                title, query, config=CONFIG, start_sel=OPEN, stop_sel=CLOSE, **title_words
            ),
            summary_marked=SearchHeadline(
                summary, query, config=CONFIG, start_sel=OPEN, stop_sel=CLOSE, max_words=60
            ),
        )
        .order_by("-rank")[:MAX_PER_KIND]
    )
    return [
        (row, float(row.rank), _marked(row.title_marked), _marked(row.summary_marked))
        for row in rows
    ]


def _marked(text):
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become tags
        escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    )


def _plain_matches(queryset, kind, alternatives):
    word_sets = [re.findall(r"\w+", alternative.lower()) for alternative in alternatives]
    weighted_fields = {
        "initiative": [("title", 2), ("summary", 2), ("aims", 1)],
        "investigation": [("title", 2), ("summary", 2)],
        "learning": [("title", 2), ("summary", 2), ("body", 1)],
        "recommendation": [("reference", 2), ("text", 2)],
        "curriculum": [("programme", 2), ("change", 2)],
        "training": [("title", 2)],
        "support": [("notes", 1)],
    }[kind]
    condition = Q(pk__in=[])
    for words in word_sets:
        every_word = Q()
        for word in words:
            any_field = Q()
            for name, _weight in weighted_fields:
                any_field |= Q(**{f"{name}__icontains": word})
            every_word &= any_field
        condition |= every_word
    condition |= _labels_matching(kind, alternatives)
    if kind == "learning" and STAFF_AFFECTED in (a.lower() for a in alternatives[1:]):
        condition |= Q(kind=LearningItem.Kind.STAFF_SUPPORT)
    if kind == "support" and any(STAFF_AFFECTED in a.lower() for a in alternatives):
        condition |= Q(pk__isnull=False)  # every support record is about staff affected
    all_words = {word for words in word_sets for word in words}
    results = []
    for record in queryset.filter(condition)[:MAX_PER_KIND]:
        rank = sum(
            weight * (getattr(record, name) or "").lower().count(word)
            for name, weight in weighted_fields
            for word in all_words
        )
        results.append(
            (
                record,
                float(rank),
                _highlight(record.title, all_words),
                _highlight(getattr(record, SHOWN[kind][1]), all_words),
            )
        )
    return results


def _highlight(text, words):
    """`text` escaped, with the words marked. The words are found in the text as written and
    each piece escaped after, so a search for "amp" or "lt" never marks inside an entity."""
    text = text or ""
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.I
    )
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [escape(text[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped
