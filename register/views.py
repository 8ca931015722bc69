"""The register's pages: recommendations with their responses and answers, a gap with its
recommendation, the response rates, the spread of initiatives and learning, and the thread
of an investigation.

A record is looked up within the person's scope first (404 outside it), then checked
against its permission (403). Changes are POST only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.scope import user_scope
from accounts.shortcuts import get_object_for_user_or_404, scoped_getter
from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from portal.concurrency import EditConflict
from portal.history import history_page
from portal.pagination import paginated
from regions.models import Region
from register import backlinks, selectors, services
from register.forms import (
    AdoptionForm,
    AnswerSearchForm,
    GapForm,
    RecommendationFilterForm,
    RecommendationForm,
    ResponseForm,
    SpreadFilterForm,
    StageForm,
)
from register.models import STAGE_ORDER, AdoptionStage

recommendation_in_scope = scoped_getter(selectors.recommendation_detail_for)
adoption_in_scope = scoped_getter(selectors.adoptions_for)


def _id(request, name):
    """An id from the query string (or the form), or None; anything else is a 404."""
    value = request.GET.get(name) or request.POST.get(name)
    if not value:
        return None
    if not value.isdigit():
        raise Http404(f"No such {name}.")
    return int(value)


def _saved(form, update, **record):
    """Save an edit through its service unless someone saved the record since the form was
    shown; then the form says so and keeps what was typed."""
    try:
        update(expected_version=form.expected_version, **record, **form.fields_to_save())
    except EditConflict as conflict:
        form.conflict(conflict.current)
        return False
    return True


# Recommendations


@require_GET
@permission_required("register.view_recommendations", raise_exception=True)
def recommendation_list(request):
    form = RecommendationFilterForm(request.GET, regions=user_scope(request.user).regions)
    recommendations = form.apply(selectors.recommendations_for(request.user))
    return render(
        request,
        "register/recommendation_list.html",
        {"filter_form": form, "today": timezone.localdate(), **paginated(request, recommendations)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.add_recommendation", raise_exception=True)
def recommendation_add(request):
    investigation = None
    investigation_id = _id(request, "investigation")
    if investigation_id is not None:
        investigation = get_object_for_user_or_404(
            Investigation.objects.for_user(request.user), request=request, pk=investigation_id
        )
    form = RecommendationForm(request.POST or None, user=request.user, investigation=investigation)
    if request.method == "POST" and form.is_valid():
        recommendation = services.recommendation_create(
            by=request.user, new_organisation=form.new_organisation(), **form.fields_to_save()
        )
        messages.success(request, "Recommendation saved.")
        return redirect(recommendation)
    return render(
        request,
        "register/recommendation_form.html",
        {"form": form, "investigation": investigation},
    )


@require_GET
@permission_required("register.view_recommendations", raise_exception=True)
def recommendation_detail(request, pk):
    recommendation = recommendation_in_scope(request, pk=pk)
    learning, initiatives = selectors.answers_of(recommendation, request.user)
    entries, sessions = backlinks.carried_by(recommendation, request.user)
    return render(
        request,
        "register/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "responses": recommendation.responses.select_related("recorded_by"),
            "learning": learning,
            "initiatives": initiatives,
            "curriculum_entries": entries,
            "training_sessions": sessions,
            "changes": history_page(request, recommendation),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(
    "register.change_recommendation", fn=recommendation_in_scope, raise_exception=True
)
def recommendation_edit(request, pk):
    recommendation = recommendation_in_scope(request, pk=pk)
    form = RecommendationForm(request.POST or None, instance=recommendation, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            services.recommendation_update,
            recommendation=recommendation,
            new_organisation=form.new_organisation(),
        )
    ):
        messages.success(request, "Recommendation saved.")
        return redirect(recommendation)
    return render(
        request,
        "register/recommendation_form.html",
        {"form": form, "recommendation": recommendation},
    )


@require_http_methods(["GET", "POST"])
@permission_required(
    "register.change_recommendation", fn=recommendation_in_scope, raise_exception=True
)
def response_add(request, pk):
    recommendation = recommendation_in_scope(request, pk=pk)
    form = ResponseForm(request.POST or None, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_record(
                recommendation=recommendation, by=request.user, **form.cleaned_data
            )
        except services.StaleResponse as stale:
            form.conflict(stale.newer)
        else:
            messages.success(request, "Response recorded.")
            return redirect(recommendation)
    return render(
        request,
        "register/response_form.html",
        {"form": form, "recommendation": recommendation, "heading": "Record a response"},
    )


@require_http_methods(["GET", "POST"])
@permission_required(
    "register.change_recommendation", fn=recommendation_in_scope, raise_exception=True
)
def answers(request, pk):
    """Find learning or an initiative by its title and link it as answering the
    recommendation (GET to find, POST to link)."""
    recommendation = recommendation_in_scope(request, pk=pk)
    if request.method == "POST":
        learning_item, initiative = _answer_from(request)
        services.answer_link(
            recommendation=recommendation, learning_item=learning_item, initiative=initiative
        )
        messages.success(
            request, f"Linked as answering this recommendation: {learning_item or initiative}."
        )
        return redirect(recommendation)
    form = AnswerSearchForm(request.GET or None)
    learning, initiatives = [], []
    if form.is_valid():
        learning, initiatives = selectors.answer_candidates(
            recommendation, request.user, form.cleaned_data["q"]
        )
    return render(
        request,
        "register/answers.html",
        {
            "recommendation": recommendation,
            "form": form,
            "learning": learning,
            "initiatives": initiatives,
        },
    )


def _answer_from(request):
    """The learning item or initiative the POST names, within the person's scope."""
    learning_id, initiative_id = _id(request, "learning_item"), _id(request, "initiative")
    if learning_id is not None:
        item = get_object_for_user_or_404(
            LearningItem.objects.for_user(request.user), request=request, pk=learning_id
        )
        return item, None
    if initiative_id is not None:
        initiative = get_object_for_user_or_404(
            Initiative.objects.for_user(request.user), request=request, pk=initiative_id
        )
        return None, initiative
    raise Http404("Nothing to link.")


@require_POST
@permission_required(
    "register.change_recommendation", fn=recommendation_in_scope, raise_exception=True
)
def answer_remove(request, pk):
    recommendation = recommendation_in_scope(request, pk=pk)
    learning_item, initiative = _answer_from(request)
    services.answer_unlink(
        recommendation=recommendation, learning_item=learning_item, initiative=initiative
    )
    messages.success(request, f"No longer linked: {learning_item or initiative}.")
    return redirect(recommendation)


@require_http_methods(["GET", "POST"])
@permission_required("register.add_recommendation", raise_exception=True)
def gap_add(request):
    form = GapForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("new_organisation_name")
        data.pop("new_organisation_kind")
        _gap, recommendation = services.gap_record(
            by=request.user,
            new_organisation=form.new_organisation(),
            issued_on=timezone.localdate(),
            **data,
        )
        messages.success(
            request,
            "The gap is saved as a draft learning item, with your recommendation that answers it.",
        )
        return redirect(recommendation)
    return render(request, "register/gap_form.html", {"form": form})


SORTS = {"organisation": "addressed_to", "region": "region"}


@require_GET
@permission_required("register.view_recommendations", raise_exception=True)
def response_rates(request):
    by = request.GET.get("by", "organisation")
    if by not in SORTS:
        by = "organisation"
    sort = request.GET.get("sort", "total")
    descending = request.GET.get("order", "desc") != "asc"
    rates = selectors.response_rates(
        selectors.recommendations_for(request.user),
        by=SORTS[by],
        sort=sort,
        descending=descending,
    )
    return render(
        request,
        "register/response_rates.html",
        {
            "rates": rates,
            "by": by,
            "sort": sort if sort in selectors.RATE_COLUMNS else "total",
            "descending": descending,
            "columns": selectors.RATE_COLUMNS,
        },
    )


# Adoption and spread


@require_GET
@permission_required("register.view_spread", raise_exception=True)
def spread(request):
    # Spread crosses regions: every programme region may be where something was adopted.
    form = SpreadFilterForm(request.GET, regions=Region.objects.in_programme_scheme())
    adoptions = form.apply(selectors.adoptions_for(request.user))
    return render(
        request,
        "register/spread.html",
        {
            "filter_form": form,
            "reach": selectors.widest_reach(adoptions),
            **paginated(request, adoptions),
        },
    )


def _spread_from(request):
    """The initiative (in scope) or published learning item the adoption is of."""
    initiative_id, learning_id = _id(request, "initiative"), _id(request, "learning")
    if initiative_id is not None:
        return get_object_for_user_or_404(
            Initiative.objects.for_user(request.user), request=request, pk=initiative_id
        )
    if learning_id is not None:
        return get_object_for_user_or_404(
            LearningItem.objects.published_for(request.user),
            request=request,
            pk=learning_id,
        )
    return None


@require_http_methods(["GET", "POST"])
@permission_required("register.add_adoption", raise_exception=True)
def adoption_add(request):
    spread = _spread_from(request)
    if spread is None:
        return render(request, "register/adoption_start.html")
    form = AdoptionForm(request.POST or None, user=request.user, spread=spread)
    if request.method == "POST" and form.is_valid():
        adoption = services.adoption_create(
            by=request.user, new_organisation=form.new_organisation(), **form.fields_to_save()
        )
        messages.success(request, f"Adoption recorded: {adoption.organisation}.")
        return redirect(adoption)
    return render(request, "register/adoption_form.html", {"form": form, "spread": spread})


@require_GET
@permission_required("register.view_spread", raise_exception=True)
def adoption_detail(request, pk):
    adoption = adoption_in_scope(request, pk=pk)
    return render(
        request,
        "register/adoption_detail.html",
        {
            "adoption": adoption,
            "stage_changes": adoption.stage_changes.select_related("by"),
            "changes": history_page(request, adoption),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.change_adoption", fn=adoption_in_scope, raise_exception=True)
def adoption_edit(request, pk):
    adoption = adoption_in_scope(request, pk=pk)
    form = AdoptionForm(request.POST or None, instance=adoption, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            services.adoption_update,
            adoption=adoption,
            new_organisation=form.new_organisation(),
        )
    ):
        messages.success(request, "Adoption saved.")
        return redirect(adoption)
    return render(
        request,
        "register/adoption_form.html",
        {"form": form, "adoption": adoption, "spread": adoption.spread},
    )


@require_http_methods(["GET", "POST"])
@permission_required("register.change_adoption", fn=adoption_in_scope, raise_exception=True)
def adoption_stage(request, pk):
    adoption = adoption_in_scope(request, pk=pk)
    form = StageForm(request.POST or None, adoption=adoption)
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_stage_change(
                adoption=adoption,
                expected_version=form.expected_version,
                by=request.user,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except EditConflict as conflict:
            form.add_error(
                None,
                f"Someone else changed this adoption after you opened it: it is now at the "
                f"stage {conflict.current.get_stage_display().lower()}. Nothing has been "
                "overwritten. Check the stage and save again.",
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
        else:
            messages.success(request, f"Stage saved: {adoption.get_stage_display()}.")
            return redirect(adoption)
    return render(
        request,
        "register/child_form.html",
        {
            "form": form,
            "adoption": adoption,
            "heading": "Change the stage",
            "stage_order": STAGE_ORDER,
            "stopped": AdoptionStage.STOPPED,
        },
    )


# The thread


@require_GET
@permission_required("learning.view_investigations", raise_exception=True)
def thread(request, pk):
    investigation = get_object_for_user_or_404(
        Investigation.objects.for_user(request.user).select_related("organisation", "region"),
        request=request,
        pk=pk,
    )
    if not request.user.has_perm("register.view_recommendations"):
        raise PermissionDenied
    return render(
        request,
        "register/thread.html",
        {"thread": selectors.investigation_thread(investigation, request.user)},
    )
