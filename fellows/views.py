"""Initiatives, their milestones and progress updates.

An initiative is looked up within the person's scope first, so one outside it is a 404 for
everybody, then checked against its permission. Changes are POST only.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.scope import user_scope
from accounts.shortcuts import get_object_for_user_or_404, scoped_getter
from fellows import backlinks, selectors, services
from fellows.forms import InitiativeFilterForm, InitiativeForm, MilestoneForm, ProgressUpdateForm
from fellows.models import Initiative, Milestone
from fellows.presenters import score_chart
from portal.concurrency import EditConflict
from portal.history import history_page
from portal.pagination import paginated

initiative_in_scope = scoped_getter(lambda user: Initiative.objects.for_user(user))
# The milestone pages name the initiative in the URL too: the record is reached through it.
initiative_of_milestone = scoped_getter(
    lambda user: Initiative.objects.for_user(user), url_kwarg="initiative_pk"
)


@require_GET
@permission_required("fellows.view_initiatives", raise_exception=True)
def initiative_list(request):
    form = InitiativeFilterForm(request.GET, regions=user_scope(request.user).regions)
    initiatives = form.apply(selectors.initiative_list(user=request.user))
    return render(
        request,
        "fellows/initiative_list.html",
        {
            "filter_form": form,
            "overdue_count": initiatives.filter(next_milestone_overdue=True).count(),
            **paginated(request, initiatives),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("fellows.add_initiative", raise_exception=True)
def initiative_create(request):
    form = InitiativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        initiative = services.initiative_create(by=request.user, **form.fields_to_save())
        messages.success(request, f"Initiative added: {initiative}.")
        return redirect("fellows:detail", pk=initiative.pk)
    return render(request, "fellows/initiative_form.html", {"form": form})


# An initiative's history includes its milestones and progress updates, which have no page.
INITIATIVE_PARTS = [
    ("milestones", "Milestone", lambda entry: entry.title),
    (
        "progress_updates",
        "Progress update",
        lambda entry: f"IHI score {entry.ihi_score}, {entry.written_on:%-d %B %Y}",
    ),
]


@require_GET
@permission_required("fellows.view_initiatives", raise_exception=True)
def initiative_detail(request, pk):
    initiative = get_object_for_user_or_404(
        selectors.initiative_for_detail(request.user), request=request, pk=pk
    )
    updates = list(initiative.progress_updates.all())
    today = timezone.localdate()
    milestones = [
        {"milestone": milestone, "overdue": milestone.is_overdue(today)}
        for milestone in initiative.milestones.all()
    ]
    adoptions, spread = backlinks.spread(initiative, request.user)
    return render(
        request,
        "fellows/initiative_detail.html",
        {
            "initiative": initiative,
            "updates": updates,
            "timeline": list(reversed(updates)),
            "chart": score_chart(updates),
            "milestones": milestones,
            "learning_items": backlinks.learning_linked(initiative, request.user),
            "answers": backlinks.recommendations_answered(initiative, request.user),
            "adoptions": adoptions,
            "spread": spread,
            "history": history_page(request, initiative, parts=INITIATIVE_PARTS),
            "can_change": request.user.has_perm("fellows.change_initiative", initiative),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("fellows.change_initiative", fn=initiative_in_scope, raise_exception=True)
def initiative_edit(request, pk):
    initiative = initiative_in_scope(request, pk=pk)
    form = InitiativeForm(request.POST or None, instance=initiative, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                initiative=initiative,
                expected_version=form.expected_version,
                **form.fields_to_save(),
            )
        except EditConflict as conflict:
            form.conflict(conflict.current)
        else:
            messages.success(request, "Initiative saved.")
            return redirect("fellows:detail", pk=pk)
    return render(request, "fellows/initiative_form.html", {"form": form, "initiative": initiative})


@require_http_methods(["GET", "POST"])
@permission_required("fellows.change_initiative", fn=initiative_in_scope, raise_exception=True)
def milestone_create(request, pk):
    initiative = initiative_in_scope(request, pk=pk)
    form = MilestoneForm(request.POST or None, instance=Milestone(initiative=initiative))
    if request.method == "POST" and form.is_valid():
        milestone = form.save()
        messages.success(request, f"Milestone added: {milestone}.")
        return redirect("fellows:detail", pk=pk)
    return render(
        request,
        "fellows/child_form.html",
        {"form": form, "initiative": initiative, "heading": "Add a milestone"},
    )


def _milestone(request, initiative_pk, pk):
    initiative = initiative_of_milestone(request, initiative_pk=initiative_pk)
    return initiative, get_object_for_user_or_404(
        initiative.milestones.all(), request=request, pk=pk
    )


@require_http_methods(["GET", "POST"])
@permission_required("fellows.change_initiative", fn=initiative_of_milestone, raise_exception=True)
def milestone_edit(request, initiative_pk, pk):
    initiative, milestone = _milestone(request, initiative_pk, pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                milestone=milestone,
                expected_version=form.expected_version,
                **form.fields_to_save(),
            )
        except EditConflict as conflict:
            form.conflict(conflict.current)
        else:
            messages.success(request, f"Milestone saved: {milestone}.")
            return redirect("fellows:detail", pk=initiative_pk)
    return render(
        request,
        "fellows/child_form.html",
        {"form": form, "initiative": initiative, "heading": "Change a milestone"},
    )


@require_POST
@permission_required("fellows.change_initiative", fn=initiative_of_milestone, raise_exception=True)
def milestone_complete(request, initiative_pk, pk):
    _initiative, milestone = _milestone(request, initiative_pk, pk)
    services.milestone_complete(milestone=milestone)
    messages.success(request, f"Milestone marked complete: {milestone}.")
    return redirect("fellows:detail", pk=initiative_pk)


@require_http_methods(["GET", "POST"])
@permission_required("fellows.change_initiative", fn=initiative_in_scope, raise_exception=True)
def progress_update_create(request, pk):
    initiative = initiative_in_scope(request, pk=pk)
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        update = form.save(commit=False)
        update.initiative, update.by = initiative, request.user
        update.save()
        messages.success(request, "Progress update added.")
        return redirect("fellows:detail", pk=pk)
    return render(
        request,
        "fellows/child_form.html",
        {"form": form, "initiative": initiative, "heading": "Add a progress update"},
    )
