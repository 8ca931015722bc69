"""Reads of initiatives that need care: the list's latest score and next milestone in the same
query, and the detail page's related records in a fixed number of queries."""

import datetime

from django.db.models import OuterRef, Prefetch, Subquery

from fellows.models import Initiative, Milestone, ProgressUpdate
from learning.models import LearningItem


def initiative_list(*, user, status="", region=None):
    """The initiatives in the person's scope, each with `latest_score`, `next_milestone_title`
    and `next_milestone_due`: one query, however many rows."""
    latest = ProgressUpdate.objects.filter(initiative=OuterRef("pk")).order_by(
        "-written_on", "-created_at"
    )
    upcoming = Milestone.objects.filter(
        initiative=OuterRef("pk"), completed_on__isnull=True
    ).order_by("due_on", "pk")
    initiatives = (
        Initiative.objects.for_user(user)
        .select_related("region", "host_psc__host")
        .annotate(
            latest_score=Subquery(latest.values("ihi_score")[:1]),
            next_milestone_title=Subquery(upcoming.values("title")[:1]),
            next_milestone_due=Subquery(upcoming.values("due_on")[:1]),
        )
        .order_by("-updated_at", "pk")
    )
    if status:
        initiatives = initiatives.filter(status=status)
    if region is not None:
        initiatives = initiatives.filter(region=region)
    return initiatives


def initiative_for_detail(user):
    """The queryset the detail page reads one initiative from, with everything it shows."""
    return (
        Initiative.objects.for_user(user)
        .select_related("region", "host_psc__host", "created_by")
        .prefetch_related(
            "partners",
            "themes",
            "syllabus_domains",
            "syllabus_levels",
            "fellows",
            "milestones",
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("by").order_by(
                    "written_on", "created_at"
                ),
            ),
        )
    )


def initiative_learning_items(*, initiative, user):
    """The learning items linked to the initiative that the person may see."""
    return (
        LearningItem.objects.for_user(user)
        .filter(initiatives=initiative)
        .order_by("-published_at", "-created_at")
    )


def initiative_changes(initiative):
    """The initiative's change history (newest first) in words: names of related records in
    place of the ids that links are stored as, and labels in place of choice values."""
    from portal.history import changes_of

    entries = _fold_follow_ups(changes_of(initiative))
    wanted = {}
    for entry in entries:
        for label, old, new in entry["changes"]:
            field = _field_by_label(label)
            if field.many_to_many:
                target = field.related_model._meta.model_name
                ids = [row.get(target) for rows in (old or [], new or []) for row in rows]
            elif field.many_to_one:
                ids = [old, new]
            else:
                continue
            wanted.setdefault(field, set()).update(pk for pk in ids if pk is not None)
    names = {}
    for field, pks in wanted.items():
        found = field.related_model._default_manager.in_bulk(pks)
        names[field] = {pk: str(obj) for pk, obj in found.items()}
    for entry in entries:
        entry["changes"] = [
            (label, *(_in_words(_field_by_label(label), value, names) for value in (old, new)))
            for label, old, new in entry["changes"]
        ]
    return entries


def _in_words(field, value, names):
    if field.many_to_many:
        target = field.related_model._meta.model_name
        return ", ".join(
            sorted(names[field].get(row.get(target), "(removed)") for row in value or [])
        )
    if field.many_to_one:
        return names[field].get(value, "") if value is not None else ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return value


def _field_by_label(label):
    for field in Initiative._meta.get_fields():
        if getattr(field, "verbose_name", None) and field.verbose_name.capitalize() == label:
            return field
    raise LookupError(label)


# Saving an initiative writes one history row for the record and one for each set of links
# (partners, themes, ...) changed just after it; shown apart they would read as separate edits.
FOLLOW_UP_WITHIN = datetime.timedelta(seconds=5)


def _fold_follow_ups(entries):
    """Merge each "Changed" entry into the older entry just before it when the same person
    made both within a few seconds: one save, one entry."""
    folded = []
    for entry in reversed(entries):  # oldest first
        previous = folded[-1] if folded else None
        if (
            previous is not None
            and entry["kind"] == "Changed"
            and previous["kind"] != "Deleted"
            and entry["who"] == previous["who"]
            and entry["when"] - previous["when"] <= FOLLOW_UP_WITHIN
        ):
            if previous["kind"] == "Changed":
                previous["changes"] = previous["changes"] + entry["changes"]
            previous["when"] = entry["when"]
            continue
        folded.append(dict(entry))
    return list(reversed(folded))
