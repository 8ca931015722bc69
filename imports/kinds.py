"""The kinds of record a spreadsheet can bring in: for each, its columns (the typed form's
fields, by the labels the form shows), the form that checks a row, how a row finds the record
it updates, and how the checked rows are saved.

One set of rules: every row goes through the app's own ModelForm, as if typed, so the
NHS-number guard, the sizes, the dates' bounds, the choices and the model's own checks are
those of the form, and the person's scope is the form's (its regions are theirs).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from learning.forms import LearningItemForm
from learning.models import Investigation, LearningItem
from learning.services import learning_item_update
from register.forms import RecommendationForm, ResponseForm
from register.models import Recommendation, ResponseStatus
from register.services import recommendation_create, recommendation_update, response_record


@dataclass(frozen=True)
class Column:
    header: str
    name: str  # the form field's name
    hint: str = ""
    example: str = ""
    # Part of the response, checked by the response form rather than the record's.
    response: bool = False


@dataclass
class Planned:
    """One record a row will make or change, once checked."""

    data: dict
    matches: list = field(default_factory=list)
    existing: object = None
    context: dict = field(default_factory=dict)


class Kind:
    slug = ""
    title = ""
    noun = ""
    model = None
    columns = ()
    # Columns whose cell may name several organisations, one record each.
    split_column = None

    def column(self, name):
        return next(column for column in self.columns if column.name == name)

    def form(self, user, data=None, instance=None, **context):
        raise NotImplementedError

    def existing(self, user, data, context):
        """The record this row updates, or None to create one."""
        return None

    def context_of(self, user, values, converters):
        """Anything a row's form needs besides its fields (the investigation), from the
        row's cells; CellError names the column."""
        return {}

    def save(self, planned, *, by):
        """Save the checked rows; returns [(record, created)]."""
        raise NotImplementedError


class LearningItems(Kind):
    slug = "learning"
    title = "Learning items"
    noun = "learning item"
    model = LearningItem
    columns = (
        Column("Title", "title", example="Escalating a deteriorating patient out of hours"),
        Column(
            "Type",
            "kind",
            "Best practice, Learning from an investigation, Gap in practice or training, "
            "Curriculum change, or Support for staff affected by incidents.",
            "Best practice",
        ),
        Column("Summary", "summary", "One or two sentences.", "A short summary of the learning."),
        Column("Body", "body", "The learning itself; may be long.", ""),
        Column("Region", "region", "The programme region.", "North"),
        Column("Themes", "themes", "Separated by semicolons.", ""),
        Column(
            "Patient Safety Syllabus",
            "syllabus",
            "Domain and level pairs, such as 2.3 for domain 2 at level 3, separated by semicolons.",
            "2.3",
        ),
        Column("PSIRF response type", "psirf_response_type", "If from a PSIRF response.", ""),
    )

    def form(self, user, data=None, instance=None, **context):
        form = LearningItemForm(data, instance=instance, user=user)
        # Links to investigations and initiatives are made on the item's page.
        for name in ("investigations", "initiatives"):
            form.fields.pop(name, None)
        return form

    def existing(self, user, data, context):
        """A learning item of the same title in the same region, which the person sees."""
        title, region = (data.get("title") or "").strip(), data.get("region")
        if not title or not region:
            return None
        return (
            LearningItem.objects.for_user(user)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title=title.lower(), region=region)
            .prefetch_related("authors")
            .first()
        )

    def save(self, planned, *, by, reason):
        made = []
        new = [one for one in planned if one.existing is None]
        items = []
        for one in new:
            item = one.instance
            item.created_by = by
            items.append(item)
        if items:
            # Many rows at once: each item and its history entry in bulk, then its links.
            items = bulk_create_with_history(
                items,
                LearningItem,
                batch_size=1000,
                default_user=by,
                default_change_reason=reason,
            )
            links = LearningItem.authors.through
            links.objects.bulk_create(
                [links(learningitem_id=item.pk, user_id=by.pk) for item in items],
                batch_size=2000,
            )
            for name, column in (("themes", "theme_id"), ("syllabus", "syllabustag_id")):
                through = getattr(LearningItem, name).through
                through.objects.bulk_create(
                    [
                        through(learningitem_id=item.pk, **{column: value.pk})
                        for item, one in zip(items, new, strict=True)
                        for value in one.links.get(name, ())
                    ],
                    batch_size=2000,
                )
            made.extend((item, True) for item in items)
        for one in planned:
            if one.existing is not None:
                item = learning_item_update(
                    item=one.existing, expected_version=one.existing.version, **one.fields
                )
                made.append((item, False))
        return made


class Recommendations(Kind):
    slug = "recommendations"
    title = "Recommendations with their responses"
    noun = "recommendation"
    model = Recommendation
    split_column = "addressed_to"
    columns = (
        Column(
            "Reference",
            "reference",
            "The recommendation's own reference: a row with the reference and organisation "
            "of one already in the portal updates it.",
            "R/2025/001",
        ),
        Column(
            "Type",
            "kind",
            "HSSIB safety recommendation, HSSIB safety observation, Prevention of Future "
            "Deaths concern, PSIRF or Learning from Deaths finding, or Safety fellow's "
            "recommendation.",
            "HSSIB safety recommendation",
        ),
        Column("Recommendation", "text", "As written in the report.", ""),
        Column(
            "Investigation",
            "investigation",
            "The title of the investigation it comes from, as in the portal. Leave blank for "
            "a safety fellow's own recommendation.",
            "",
        ),
        Column(
            "Addressed to",
            "addressed_to",
            "The organisation's ODS code or name. Several, separated by semicolons or line "
            "breaks, make one recommendation each.",
            "RX1",
        ),
        Column("Region", "region", "The programme region.", "North"),
        Column("Date made", "issued_on", "For example 27/03/2025.", ""),
        Column("Response due", "due_on", "Leave blank for the usual deadline.", ""),
        Column("Themes", "themes", "Separated by semicolons.", ""),
        Column("Patient Safety Syllabus", "syllabus", "Such as 2.3; 4.1.", ""),
        Column(
            "Response status",
            "status",
            "Where it stands: Awaiting response, Response received: accepted, ... Leave "
            "blank if there is no response yet.",
            "",
            response=True,
        ),
        Column("Response date", "responded_on", "The date on the response.", "", response=True),
        Column("Response", "response_text", "What the response says.", "", response=True),
        Column("Response link", "url", "Link to the published response.", "", response=True),
    )

    def form(self, user, data=None, instance=None, investigation=None, **context):
        form = RecommendationForm(data, instance=instance, user=user, investigation=investigation)
        # Every kind is offered: the investigation comes from its own column, and the model
        # refuses a kind that needs one without it.
        form.fields["kind"].choices = Recommendation.Kind.choices
        for name in ("new_organisation_name", "new_organisation_kind", "owner"):
            form.fields.pop(name, None)
        return form

    def response_form(self, data, issued_on):
        # The response belongs to a recommendation not saved yet, so none was recorded before.
        return ResponseForm(
            data,
            recommendation=SimpleNamespace(last_response_id=lambda: 0, issued_on=issued_on),
        )

    def context_of(self, user, values, converters):
        from imports.cells import CellError

        title = (values.get("investigation") or "").strip()
        if not title:
            return {"investigation": None}
        found = list(
            Investigation.objects.for_user(user)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title=title.lower())[:3]
        )
        if not found:
            raise CellError(f"“{title[:80]}” matches no investigation you can see in the portal")
        if len(found) > 1:
            raise CellError(f"“{title[:80]}” matches several investigations: add them in turn")
        return {"investigation": found[0]}

    def existing(self, user, data, context):
        reference, addressed_to = (data.get("reference") or "").strip(), data.get("addressed_to")
        if not reference or not addressed_to:
            return None
        return (
            Recommendation.objects.for_user(user)
            .filter(reference__iexact=reference, addressed_to=addressed_to)
            .first()
        )

    def save(self, planned, *, by, reason):
        made = []
        for one in planned:
            if one.existing is None:
                record = recommendation_create(
                    by=by, owner=by, investigation=one.context.get("investigation"), **one.fields
                )
                made.append((record, True))
            else:
                record = recommendation_update(
                    recommendation=one.existing,
                    expected_version=one.existing.version,
                    **one.fields,
                )
                made.append((record, False))
            if one.response:
                response_record(recommendation=record, by=by, **one.response)
        return made


KINDS = {kind.slug: kind for kind in (LearningItems(), Recommendations())}
RESPONSE_STATUSES = ResponseStatus
