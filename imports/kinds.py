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

from curriculum.forms import CurriculumEntryForm, TrainingSessionForm
from curriculum.models import CurriculumEntry, TrainingSession
from curriculum.services import (
    curriculum_entry_create,
    curriculum_entry_update,
    training_session_create,
    training_session_update,
)
from fellows.forms import InitiativeForm, MilestoneForm, ProgressUpdateForm
from fellows.models import Initiative, Milestone, ProgressUpdate
from fellows.services import initiative_create, initiative_update
from learning.forms import InvestigationForm, LearningItemForm
from learning.models import Investigation, LearningItem
from learning.services import investigation_create, investigation_update, learning_item_update
from portal import summaries
from portal.records import record_create
from register.forms import AdoptionForm, RecommendationForm, ResponseForm
from register.models import Adoption, Recommendation
from register.services import (
    adoption_create,
    adoption_update,
    recommendation_create,
    recommendation_update,
    response_record,
)


def _key(value):
    return value.strip().lower() if isinstance(value, str) else value


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
    """One record a row will make or change, once checked: the values its form cleaned
    (`fields`), the unsaved record the form built (`instance`) with its links, the records
    listed in its child columns, its response, and what the row's names were matched to."""

    data: dict
    matches: list = field(default_factory=list)
    existing: object = None
    context: dict = field(default_factory=dict)
    context_fields: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    instance: object = None
    links: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    response: dict | None = None
    label: str = ""


@dataclass(frozen=True)
class Child:
    """A column whose cell lists records that belong to the row's record, one a line, each
    line's parts separated by "|" in the order of `parts` (form field names)."""

    header: str
    name: str
    form: object
    parts: tuple
    hint: str = ""
    example: str = ""
    response: bool = False


class Kind:
    slug = ""
    title = ""
    noun = ""
    model = None
    columns = ()
    # Columns whose cell may name several organisations, one record each.
    split_column = None
    children = ()
    # Fields the typed form has that an import leaves to the record's page.
    left_out = ("new_organisation_name", "new_organisation_kind")

    @property
    def all_columns(self):
        return (*self.columns, *self.children)

    def column(self, name):
        return next(column for column in self.all_columns if column.name == name)

    def without_left_out(self, form):
        for name in self.left_out:
            form.fields.pop(name, None)
        return form

    def save_children(self, record, children, *, by):
        pass

    def form(self, user, data=None, instance=None, **context):
        raise NotImplementedError

    def existing(self, user, data, context):
        """The record this row updates, or None to create one."""
        return None

    def may_change(self, user, record):
        """Whether the person may change `record`, as on its edit page."""
        meta = record._meta
        name = self.change_permission or f"{meta.app_label}.change_{meta.model_name}"
        return user.has_perm(name, record)

    change_permission = None

    # Kinds that find the record a row updates by the values of `same` (any case) keep an
    # index of them, read once an import; the record itself is read for a row that matches.
    indexed = False
    same = ()

    def key_of(self, data):
        if any(data.get(name) in (None, "") for name in self.same):
            return None
        return tuple(_key(getattr(data[name], "pk", data[name])) for name in self.same)

    def existing_index(self, user):
        index = {}
        rows = self.model.objects.for_user(user).values_list("pk", *self.same)
        for pk, *values in rows.iterator(chunk_size=5000):
            index.setdefault(tuple(_key(value) for value in values), pk)
        return index

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
    indexed = True
    same = ("title", "region")
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
            # Learning imported as published in a closed quarter changes its kept figures.
            summaries.created_in_bulk(items)
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


class ByService(Kind):
    """A kind saved one record at a time by its app's create and update services; a row
    updates the record with the same values in `same` (any case), among those the person
    sees."""

    form_class = None
    indexed = True
    create = None
    update = None
    update_name = ""

    def form(self, user, data=None, instance=None, **context):
        return self.without_left_out(self.form_class(data, instance=instance, user=user))

    def existing(self, user, data, context):
        if any(data.get(name) in (None, "") for name in self.same):
            return None
        rows = self.model.objects.for_user(user)
        for name in self.same:
            value = data[name]
            if isinstance(value, str):
                rows = rows.filter(**{f"{name}__iexact": value.strip()})
            else:
                rows = rows.filter(**{name: value})
        return rows.first()

    def save(self, planned, *, by, reason):
        made = []
        for one in planned:
            if one.existing is None:
                record = type(self).create(by=by, **one.context_fields, **one.fields)
                made.append((record, True))
            else:
                record = type(self).update(
                    **{self.update_name: one.existing},
                    expected_version=one.existing.version,
                    **one.fields,
                )
                made.append((record, False))
            self.save_children(record, one.children, by=by)
        return made


class Investigations(ByService):
    slug = "investigations"
    title = "Investigations"
    noun = "investigation"
    model = Investigation
    form_class = InvestigationForm
    same = ("title", "region")
    create = staticmethod(investigation_create)
    update = staticmethod(investigation_update)
    update_name = "investigation"
    columns = (
        Column("Title", "title", example="Recognising a deteriorating patient"),
        Column(
            "Source",
            "source",
            "HSSIB national investigation report, PSIRF learning response, Learning from Deaths "
            "review, Coroner's Prevention of Future Deaths report, or Other.",
            "HSSIB national investigation report",
        ),
        Column("PSIRF response type", "psirf_response_type", "Only for a PSIRF response."),
        Column("SJR overall score", "sjr_overall_score", "1 to 5, only for Learning from Deaths."),
        Column("Organisation that published it", "organisation", "ODS code or name.", "HSSIB"),
        Column("Link to the published report", "report_url", "Needed for HSSIB and PFD reports."),
        Column("Publication date", "published_on", "For example 27/03/2025."),
        Column("Summary", "summary", "What the investigation found."),
        Column("Themes", "themes", "Separated by semicolons."),
        Column("Region", "region", "The programme region.", "North"),
    )


class TrainingSessions(ByService):
    slug = "training"
    title = "Training sessions"
    noun = "training session"
    model = TrainingSession
    form_class = TrainingSessionForm
    same = ("title", "region", "held_on")
    create = staticmethod(training_session_create)
    update = staticmethod(training_session_update)
    update_name = "session"
    left_out = (*Kind.left_out, "learning_items", "recommendations")
    change_permission = "curriculum.change"
    columns = (
        Column("Date", "held_on", "The date of the session. For example 12/02/2026."),
        Column("Title", "title", example="Human factors simulation"),
        Column("Format", "format", "As on the training form.", ""),
        Column("Professions in the audience", "professions", "Separated by semicolons."),
        Column("Number of people trained", "people_trained", "A number, never names."),
        Column("Host", "host", "ODS code or name of the organisation.", ""),
        Column("Region", "region", "The programme region.", "North"),
        Column("Patient Safety Syllabus", "syllabus", "Such as 2.3; 4.1."),
    )


class CurriculumEntries(ByService):
    slug = "curriculum"
    title = "Curriculum entries"
    noun = "curriculum entry"
    model = CurriculumEntry
    form_class = CurriculumEntryForm
    same = ("organisation", "programme", "academic_year", "region")
    create = staticmethod(curriculum_entry_create)
    update = staticmethod(curriculum_entry_update)
    update_name = "entry"
    left_out = (*Kind.left_out, "learning_items", "recommendations")
    change_permission = "curriculum.change"
    columns = (
        Column("University or trust", "organisation", "ODS code or name.", ""),
        Column("Programme", "programme", "For example BSc Adult Nursing, year 2."),
        Column("Profession", "profession"),
        Column("Stage", "stage"),
        Column("What changes", "change", "What will be taught differently."),
        Column("Patient Safety Syllabus", "syllabus", "Such as 2.3; 4.1."),
        Column("Status", "status"),
        Column("Date of the status", "status_on", "For example 01/09/2026."),
        Column("Academic year it starts", "academic_year", "For example 2025/26."),
        Column("Region", "region", "The programme region.", "North"),
    )


class Adoptions(ByService):
    """Who took up a published learning item or an initiative, named by its title."""

    slug = "adoptions"
    title = "Adoptions"
    noun = "adoption"
    model = Adoption
    form_class = AdoptionForm
    update = staticmethod(adoption_update)
    update_name = "adoption"
    columns = (
        Column(
            "What was adopted",
            "spread",
            "The title of a published learning item or of an initiative, as in the portal.",
        ),
        Column("Organisation", "organisation", "ODS code or name of who adopted it."),
        Column("Region", "region", "The programme region of the organisation.", "North"),
        Column("Stage", "stage", "Considering, piloting, adopted or embedded.", "Piloting"),
        Column("Date of the stage", "stage_on", "For example 01/09/2026."),
        Column("Contact role", "contact_role", "A role, never a name."),
        Column("Notes", "notes"),
    )

    def form(self, user, data=None, instance=None, spread=None, **context):
        return self.without_left_out(
            AdoptionForm(data, instance=instance, user=user, spread=spread)
        )

    def context_of(self, user, values, converters):
        from imports.cells import CellError

        title = (values.get("spread") or "").strip()
        if not title:
            raise CellError("is empty: fill it in")
        items = list(
            LearningItem.objects.published_for(user)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title=title.lower())[:2]
        ) + list(
            Initiative.objects.for_user(user)
            .annotate(lower_title=Lower("title"))
            .filter(lower_title=title.lower())[:2]
        )
        if not items:
            raise CellError(
                f"“{title[:80]}” matches no published learning item or initiative you can see"
            )
        if len(items) > 1:
            raise CellError(f"“{title[:80]}” matches several learning items or initiatives")
        return {"spread": items[0]}

    def existing(self, user, data, context):
        spread = context.get("spread")
        if spread is None or not data.get("organisation"):
            return None
        key = "learning_item" if isinstance(spread, LearningItem) else "initiative"
        return (
            Adoption.objects.for_user(user)
            .filter(**{key: spread, "organisation": data["organisation"]})
            .first()
        )

    @staticmethod
    def create(*, by, spread, **fields):
        key = "learning_item" if isinstance(spread, LearningItem) else "initiative"
        return adoption_create(by=by, **{key: spread}, **fields)


class Initiatives(ByService):
    """Initiatives with their milestones and IHI progress scores, one initiative a row."""

    slug = "initiatives"
    title = "Initiatives with milestones and IHI scores"
    noun = "initiative"
    model = Initiative
    form_class = InitiativeForm
    same = ("title", "region")
    create = staticmethod(initiative_create)
    update = staticmethod(initiative_update)
    update_name = "initiative"
    left_out = (*Kind.left_out, "partners", "fellows")
    columns = (
        Column("Title", "title", example="Safer handover at night"),
        Column("Summary", "summary", "What the initiative is and why."),
        Column("Aims", "aims"),
        Column("Status", "status"),
        Column("Start date", "starts_on", "For example 01/04/2026."),
        Column("End date", "ends_on"),
        Column("Region", "region", "The programme region.", "North"),
        Column("Host PSC", "host_psc", "The PSC's name."),
        Column("Themes", "themes", "Separated by semicolons."),
        Column("Patient Safety Syllabus", "syllabus", "Such as 2.3; 4.1."),
    )
    children = (
        Child(
            "Milestones",
            "milestones",
            MilestoneForm,
            ("title", "due_on", "completed_on"),
            "One a line: the milestone | its due date | the date it was completed, if it was.",
            "Baseline audit | 30/06/2026",
        ),
        Child(
            "IHI scores",
            "progress",
            ProgressUpdateForm,
            ("ihi_score", "written_on", "text"),
            "One a line: the IHI score (0.5 to 5.0) | its date | a note of progress.",
            "2.0 | 01/10/2026 | Changes tested on two wards",
        ),
    )

    def save_children(self, record, children, *, by):
        for fields in children.get("milestones", ()):
            record_create(Milestone, initiative=record, **fields)
        for fields in children.get("progress", ()):
            record_create(ProgressUpdate, initiative=record, by=by, **fields)


KINDS = {
    kind.slug: kind
    for kind in (
        Initiatives(),
        Investigations(),
        LearningItems(),
        Recommendations(),
        Adoptions(),
        CurriculumEntries(),
        TrainingSessions(),
    )
}
