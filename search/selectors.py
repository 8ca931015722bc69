"""One search over initiatives, investigations, recommendations and published learning items.

On PostgreSQL: full-text search on each record's trigger-maintained search_vector (titles and
summaries weigh more than bodies), ranked, with matches highlighted. On SQLite (`make run`):
every word must appear somewhere in the text, ranked by how often and where. Both expand the
programme's synonyms, so "second victim" finds learning about staff affected by incidents.

Callers pass querysets already scoped to the person searching: this module never widens them.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from learning.models import Investigation, LearningItem
from taxonomy.models import PsirfResponse, SearchSynonym

STAFF_AFFECTED = "staff affected by incidents"
# Highlight markers PostgreSQL puts around matches; the text is escaped before they become
# <mark> tags, so nothing a user wrote can turn into markup.
OPEN, CLOSE = "\u27e6", "\u27e7"
CONFIG = "english"


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
    """The results (best first) from the scoped querysets, as a `Found`: its length is the
    true number of matches, and only the rows asked for are read, ranked against each other
    and highlighted. Learning items are limited to published ones here."""
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
    return Found(
        [
            (kind, label, _matches(queryset, text, kind, alternatives, date_field))
            for kind, label, queryset, date_field in sources
            if queryset is not None
        ]
    )


def _day(when):
    return when.date() if isinstance(when, datetime) else when


def _order(rank, when, kind, pk):
    """Best rank first, then the newest, then a fixed order, so pages never overlap: within a
    kind, the order its database query sorts by (see best())."""
    if when is None:
        moment = math.inf
    else:
        if not isinstance(when, datetime):
            when = timezone.make_aware(datetime.combine(when, time.min))
        moment = -when.timestamp()
    return (-rank, moment, kind, -pk)


class Found:
    """The matches of every kind, in one order, read a page at a time: what a Paginator needs
    (a count and slices). A page of results from rows `start` to `stop` reads, for each kind,
    the pk, rank and date of its best `stop` matches (no text), puts them in one order, and
    then reads and highlights only the rows of the page."""

    def __init__(self, sources):
        self.sources = sources
        self._count = None

    def count(self):
        if self._count is None:
            self._count = sum(matches.count() for _kind, _label, matches in self.sources)
        return self._count

    def __len__(self):
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def __getitem__(self, key):
        if isinstance(key, int):
            found = self[key : key + 1]
            if not found:
                raise IndexError(key)
            return found[0]
        start, stop = key.start or 0, key.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        keys = sorted(
            (_order(rank, when, kind, pk), kind, pk)
            for kind, _label, matches in self.sources
            for pk, rank, when in matches.best(stop)
        )[start:stop]
        wanted = {}
        for _order_key, kind, pk in keys:
            wanted.setdefault(kind, []).append(pk)
        shown = {}
        for kind, label, matches in self.sources:
            if kind in wanted:
                for pk, (record, rank, title, summary, when) in matches.rows(wanted[kind]).items():
                    shown[kind, pk] = SearchResult(
                        record=record,
                        kind=kind,
                        kind_label=label or record.get_kind_display(),
                        title=title,
                        summary=summary,
                        rank=rank,
                        when=_day(when),
                    )
        return [shown[kind, pk] for _order_key, kind, pk in keys]


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


# Columns never shown in results: left unread.
UNREAD = {"learning": ["body", "search_vector"]}


def _shown_columns(queryset, kind):
    unread = UNREAD.get(kind, ["search_vector"])
    names = {field.name for field in queryset.model._meta.concrete_fields}
    return queryset.defer(*[name for name in unread if name in names])


def _matches(queryset, text, kind, alternatives, date_field):
    queryset = queryset.select_related("region")
    if not text:
        return _Newest(queryset, kind, date_field)
    # Support records have no search vector: they are few, and plain matching finds them.
    if connection.vendor == "postgresql" and kind != "support":
        return _postgres_matches(queryset, kind, alternatives, date_field)
    return _plain_matches(queryset, kind, alternatives, date_field)


class _Newest:
    """No words: every record of the kind, newest first, unranked."""

    def __init__(self, queryset, kind, date_field):
        self.queryset, self.kind, self.date_field = queryset, kind, date_field

    def count(self):
        return self.queryset.count()

    def best(self, limit):
        newest = self.queryset.order_by(F(self.date_field).desc(nulls_last=True), "-pk")
        return [(pk, 0.0, when) for pk, when in newest.values_list("pk", self.date_field)[:limit]]

    def rows(self, pks):
        summary = SHOWN[self.kind][1]
        return {
            record.pk: (
                record,
                0.0,
                escape(record.title),
                escape(getattr(record, summary)),
                getattr(record, self.date_field),
            )
            for record in _shown_columns(self.queryset, self.kind).filter(pk__in=pks)
        }


def _postgres_matches(queryset, kind, alternatives, date_field):
    query = SearchQuery(alternatives[0], search_type="websearch", config=CONFIG)
    for alternative in alternatives[1:]:
        query |= SearchQuery(alternative, search_type="phrase", config=CONFIG)
    matched = Q(search_vector=query) | _labels_matching(kind, alternatives)
    if kind == "learning" and STAFF_AFFECTED in (a.lower() for a in alternatives[1:]):
        matched |= Q(kind=LearningItem.Kind.STAFF_SUPPORT)
    return _Ranked(queryset.filter(matched), kind, query, date_field)


class _Ranked:
    """Full-text matches on PostgreSQL: counted on the GIN index, ranked by reading only the
    search vector, and highlighted only for the rows shown."""

    def __init__(self, queryset, kind, query, date_field):
        self.queryset, self.kind, self.query, self.date_field = queryset, kind, query, date_field

    def count(self):
        return self.queryset.count()

    def best(self, limit):
        ranked = (
            self.queryset.annotate(rank=SearchRank(F("search_vector"), self.query))
            .order_by("-rank", F(self.date_field).desc(nulls_last=True), "-pk")
            .values_list("pk", "rank", self.date_field)
        )
        return [(pk, float(rank), when) for pk, rank, when in ranked[:limit]]

    def rows(self, pks):
        title, summary = SHOWN[self.kind]
        title_words = (
            {"max_words": 15, "min_words": 8} if title == summary else {"highlight_all": True}
        )
        marked = (
            _shown_columns(self.queryset, self.kind)
            .filter(pk__in=pks)
            .annotate(
                rank=SearchRank(F("search_vector"), self.query),
                title_marked=SearchHeadline(
                    title, self.query, config=CONFIG, start_sel=OPEN, stop_sel=CLOSE, **title_words
                ),
                summary_marked=SearchHeadline(
                    summary, self.query, config=CONFIG, start_sel=OPEN, stop_sel=CLOSE, max_words=60
                ),
            )
        )
        return {
            row.pk: (
                row,
                float(row.rank),
                _marked(row.title_marked),
                _marked(row.summary_marked),
                getattr(row, self.date_field),
            )
            for row in marked
        }


def _marked(text):
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become tags
        escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    )


def _plain_matches(queryset, kind, alternatives, date_field):
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
    return _Counted(queryset.filter(condition), weighted_fields, all_words, kind, date_field)


class _Counted:
    """Plain matching (SQLite, and support records everywhere): the rank counts the words in
    the text, so the matching rows are read and ranked here, once."""

    def __init__(self, queryset, weighted_fields, words, kind, date_field):
        self.queryset, self.weighted_fields, self.words = queryset, weighted_fields, words
        self.kind, self.date_field = kind, date_field
        self._ranked = None

    def _all(self):
        if self._ranked is None:
            self._ranked = {
                record.pk: (
                    record,
                    float(
                        sum(
                            weight * (getattr(record, name) or "").lower().count(word)
                            for name, weight in self.weighted_fields
                            for word in self.words
                        )
                    ),
                )
                for record in self.queryset
            }
        return self._ranked

    def count(self):
        return len(self._all())

    def best(self, limit):
        return [
            (pk, rank, getattr(record, self.date_field))
            for pk, (record, rank) in self._all().items()
        ]

    def rows(self, pks):
        ranked = self._all()
        summary = SHOWN[self.kind][1]
        return {
            pk: (
                ranked[pk][0],
                ranked[pk][1],
                _highlight(ranked[pk][0].title, self.words),
                _highlight(getattr(ranked[pk][0], summary), self.words),
                getattr(ranked[pk][0], self.date_field),
            )
            for pk in pks
        }


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
