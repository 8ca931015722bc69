"""Curriculum entries, training delivered and support for staff affected by incidents, the
reach of training, and the Patient Safety Syllabus coverage grid.

A record is looked up within the person's scope first (404 outside it), then checked against
its permission (403). Changes are POST only.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts.scope import user_scope
from accounts.shortcuts import scoped_getter
from curriculum import selectors, services
from curriculum.forms import (
    CurriculumEntryForm,
    CurriculumStatusForm,
    EntryFilterForm,
    SessionFilterForm,
    StaffSupportForm,
    TrainingSessionForm,
)
from portal.concurrency import EditConflict
from portal.history import history_page
from portal.pagination import paginated
from regions.models import Region
from regions.services import organisation_add
from taxonomy.models import SyllabusTag

entry_in_scope = scoped_getter(selectors.entry_detail_for)
session_in_scope = scoped_getter(selectors.session_detail_for)
support_in_scope = scoped_getter(selectors.support_for)


def _saved(form, update, **record):
    """Save an edit through its service unless someone saved the record since the form was
    shown; then the form says so and keeps what was typed."""
    try:
        update(expected_version=form.expected_version, **record, **_fields(form))
    except EditConflict as conflict:
        form.conflict(conflict.current)
        return False
    return True


def _fields(form):
    fields = form.fields_to_save()
    if form.new_organisation():
        fields[form.organisation_field] = organisation_add(**form.new_organisation())
    return fields


# Curriculum entries


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def entry_list(request):
    form = EntryFilterForm(request.GET, regions=user_scope(request.user).regions)
    entries = form.apply(selectors.entries_for(request.user))
    return render(
        request, "curriculum/entry_list.html", {"filter_form": form, **paginated(request, entries)}
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.add", raise_exception=True)
def entry_add(request):
    form = CurriculumEntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fellow = request.user if user_scope(request.user).fellow_assignment else None
        entry = services.curriculum_entry_create(by=request.user, fellow=fellow, **_fields(form))
        messages.success(request, "Curriculum entry saved.")
        return redirect(entry)
    return render(
        request, "curriculum/form.html", {"form": form, "heading": "Record a curriculum entry"}
    )


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def entry_detail(request, pk):
    entry = entry_in_scope(request, pk=pk)
    return render(
        request,
        "curriculum/entry_detail.html",
        {
            "entry": entry,
            "status_changes": entry.status_changes.select_related("by"),
            "recommendations": entry.recommendations.for_user(request.user),
            "learning": entry.learning_items.for_user(request.user),
            "changes": history_page(request, entry),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.change", fn=entry_in_scope, raise_exception=True)
def entry_edit(request, pk):
    entry = entry_in_scope(request, pk=pk)
    form = CurriculumEntryForm(request.POST or None, instance=entry, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.curriculum_entry_update, entry=entry)
    ):
        messages.success(request, "Curriculum entry saved.")
        return redirect(entry)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "record": entry, "heading": "Change the curriculum entry"},
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.change", fn=entry_in_scope, raise_exception=True)
def entry_status(request, pk):
    entry = entry_in_scope(request, pk=pk)
    form = CurriculumStatusForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.curriculum_status_change(
                entry=entry,
                expected_version=form.expected_version,
                by=request.user,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )
        except EditConflict as conflict:
            form.add_error(
                None,
                "Someone else changed this curriculum entry after you opened it: it is now "
                f"{conflict.current.get_status_display().lower()}. Nothing has been "
                "overwritten. Check the status and save again.",
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
        else:
            messages.success(request, f"Status saved: {entry.get_status_display()}.")
            return redirect(entry)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "record": entry, "heading": "Change the status"},
    )


# Training delivered


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def session_list(request):
    form = SessionFilterForm(request.GET, regions=user_scope(request.user).regions)
    sessions = form.apply(selectors.sessions_for(request.user))
    return render(
        request,
        "curriculum/session_list.html",
        {"filter_form": form, **paginated(request, sessions)},
    )


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def reach(request):
    form = SessionFilterForm(request.GET, regions=user_scope(request.user).regions)
    sessions = form.apply(selectors.sessions_for(request.user))
    return render(
        request,
        "curriculum/reach.html",
        {"filter_form": form, "reach": selectors.training_reach(sessions)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.add", raise_exception=True)
def session_add(request):
    form = TrainingSessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = services.training_session_create(by=request.user, **_fields(form))
        messages.success(request, "Training saved.")
        return redirect(session)
    return render(request, "curriculum/form.html", {"form": form, "heading": "Record training"})


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def session_detail(request, pk):
    session = session_in_scope(request, pk=pk)
    return render(
        request,
        "curriculum/session_detail.html",
        {
            "session": session,
            "recommendations": session.recommendations.for_user(request.user),
            "learning": session.learning_items.for_user(request.user),
            "changes": history_page(request, session),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.change", fn=session_in_scope, raise_exception=True)
def session_edit(request, pk):
    session = session_in_scope(request, pk=pk)
    form = TrainingSessionForm(request.POST or None, instance=session, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.training_session_update, session=session)
    ):
        messages.success(request, "Training saved.")
        return redirect(session)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "record": session, "heading": "Change the training"},
    )


# Support for staff affected by incidents


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def support_list(request):
    records = selectors.support_for(request.user)
    return render(request, "curriculum/support_list.html", paginated(request, records))


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.add", raise_exception=True)
def support_add(request):
    form = StaffSupportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        support = services.staff_support_create(by=request.user, **_fields(form))
        messages.success(request, "Support saved.")
        return redirect(support)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "heading": "Record support for staff affected by incidents"},
    )


@require_GET
@permission_required("curriculum.view", raise_exception=True)
def support_detail(request, pk):
    support = support_in_scope(request, pk=pk)
    return render(
        request,
        "curriculum/support_detail.html",
        {"support": support, "changes": history_page(request, support)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("curriculum.change", fn=support_in_scope, raise_exception=True)
def support_edit(request, pk):
    support = support_in_scope(request, pk=pk)
    form = StaffSupportForm(request.POST or None, instance=support, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.staff_support_update, support=support)
    ):
        messages.success(request, "Support saved.")
        return redirect(support)
    return render(
        request,
        "curriculum/form.html",
        {"form": form, "record": support, "heading": "Change the support"},
    )


# The coverage grid


def _grid_region(request):
    """The region the grid is for: `?region=` within the person's scope, else their own one
    region; None (the nation) for the national team without one. 404 outside the scope."""
    scope = user_scope(request.user)
    value = request.GET.get("region", "")
    if value:
        if not value.isdigit() or int(value) not in scope.region_ids:
            raise Http404("No such region.")
        return Region.objects.get(pk=int(value))
    if scope.is_national:
        return None
    regions = list(scope.regions.order_by("display_order"))
    if not regions:
        raise Http404("No region.")
    return regions[0]


@require_GET
@permission_required("curriculum.view_coverage", raise_exception=True)
def coverage(request):
    region = _grid_region(request)
    scope = user_scope(request.user)
    return render(
        request,
        "curriculum/coverage.html",
        {
            "grid": selectors.coverage_grid(region=region),
            "regions": scope.regions.order_by("display_order"),
            "is_national": scope.is_national,
        },
    )


@require_GET
@permission_required("curriculum.view_coverage", raise_exception=True)
def coverage_cell(request, domain, level):
    region = _grid_region(request)
    tag = (
        SyllabusTag.objects.with_names().filter(domain__number=domain, level__number=level).first()
    )
    if tag is None:
        raise Http404("No such cell of the syllabus.")
    learning, entries, sessions = selectors.cell_records(tag, region=region, user=request.user)
    return render(
        request,
        "curriculum/coverage_cell.html",
        {
            "tag": tag,
            "region": region,
            "learning": learning[:50],
            "learning_count": learning.count(),
            "entries": entries,
            "sessions": sessions,
        },
    )
