"""Investigations, learning items and their review, the review queue and search.

A record is looked up within the user's scope first (404 outside it), then checked against its
permission (403). Review steps are POST only, after a confirmation page. A step the item's
status does not allow (publishing a draft) is refused with a message rather than a 403, since
the person may well have been allowed a moment ago; the step's service checks the status again,
so two reviewers acting at once cannot both move it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.scope import user_scope
from accounts.shortcuts import get_object_for_user_or_404, scoped_getter
from learning import backlinks, news, selectors, services
from learning.forms import (
    InvestigationFilterForm,
    InvestigationForm,
    LearningFilterForm,
    LearningItemForm,
    PublishForm,
    ReturnForm,
)
from learning.steps import STEPS
from portal.concurrency import EditConflict
from portal.history import history_page
from portal.markdown import render_markdown
from portal.pagination import paginated
from regions.models import Region

investigation_in_scope = scoped_getter(selectors.investigation_detail_for)
item_in_scope = scoped_getter(selectors.learning_item_detail_for)


# Investigations


@require_GET
@permission_required("learning.view_investigations", raise_exception=True)
def investigation_list(request):
    form = InvestigationFilterForm(request.GET, regions=user_scope(request.user).regions)
    investigations = form.apply(selectors.investigations_for(request.user))
    return render(
        request,
        "learning/investigation_list.html",
        {"filter_form": form, **paginated(request, investigations)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("learning.add_investigation", raise_exception=True)
def investigation_add(request):
    form = InvestigationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        investigation = services.investigation_create(by=request.user, **form.fields_to_save())
        messages.success(request, "Investigation saved.")
        return redirect("learning:investigation-detail", pk=investigation.pk)
    return render(request, "learning/investigation_form.html", {"form": form})


@require_GET
@permission_required("learning.view_investigations", raise_exception=True)
def investigation_detail(request, pk):
    investigation = get_object_for_user_or_404(
        selectors.investigation_detail_for(request.user), request=request, pk=pk
    )
    return render(
        request,
        "learning/investigation_detail.html",
        {
            "investigation": investigation,
            "learning": selectors.learning_for_investigation(investigation, request.user),
            "recommendations": investigation.recommendations.for_user(request.user).select_related(
                "addressed_to"
            ),
            "changes": history_page(request, investigation),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(
    "learning.change_investigation", fn=investigation_in_scope, raise_exception=True
)
def investigation_edit(request, pk):
    investigation = investigation_in_scope(request, pk=pk)
    form = InvestigationForm(request.POST or None, instance=investigation, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.investigation_update, investigation=investigation)
    ):
        messages.success(request, "Investigation saved.")
        return redirect("learning:investigation-detail", pk=pk)
    return render(
        request,
        "learning/investigation_form.html",
        {"form": form, "investigation": investigation},
    )


def _saved(form, update, **record):
    """Save an edit through its service unless someone saved the record since the form was
    shown; then the form says so and keeps what was typed."""
    try:
        update(expected_version=form.expected_version, **record, **form.fields_to_save())
    except EditConflict as conflict:
        form.conflict(conflict.current)
        return False
    return True


# Learning items


@require_GET
def item_list(request):
    # Published learning is the programme's, so every region is offered.
    form = LearningFilterForm(request.GET, regions=Region.objects.in_programme_scheme())
    published = form.apply(selectors.published_learning_for(request.user))
    return render(
        request,
        "learning/item_list.html",
        {
            "filter_form": form,
            "own": paginated(request, selectors.own_learning_in_progress(request.user), "mine"),
            **paginated(request, published),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("learning.add_learningitem", raise_exception=True)
def item_add(request):
    form = LearningItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = services.learning_item_create(by=request.user, **form.fields_to_save())
        messages.success(request, "Learning item saved as a draft.")
        return redirect("learning:item-detail", pk=item.pk)
    return render(request, "learning/item_form.html", {"form": form})


@require_GET
def item_detail(request, pk):
    item = item_in_scope(request, pk=pk)
    adoptions, spread = backlinks.spread(item, request.user)
    discussion = backlinks.discussion(item, request)
    # Shown once: the author has now seen it (written only when there was news to see).
    news_here = news.news_for_item(item, request.user)
    if news_here:
        news.mark_seen(request.user, [item])
    return render(
        request,
        "learning/item_detail.html",
        {
            "item": item,
            "answers": backlinks.recommendations_answered(item, request.user),
            "gap_recommendations": backlinks.gap_recommendations(item, request.user),
            "adoptions": adoptions,
            "spread": spread,
            "body": render_markdown(item.body),
            "investigations": selectors.linked_investigations(item, request.user),
            "initiatives": selectors.linked_initiatives(item, request.user),
            "discussion": discussion,
            "changes": history_page(request, item, parts=discussion.history_parts),
            "news": news_here,
        },
    )


@require_POST
def news_seen(request):
    """Mark everything that happened to the person's learning as seen (their home's list)."""
    news.mark_all_seen(request.user)
    messages.success(request, "The news about your learning is marked as seen.")
    return redirect("home")


@require_http_methods(["GET", "POST"])
@permission_required("learning.change_learningitem", fn=item_in_scope, raise_exception=True)
def item_edit(request, pk):
    item = item_in_scope(request, pk=pk)
    form = LearningItemForm(request.POST or None, instance=item, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(form, services.learning_item_update, item=item)
    ):
        messages.success(request, "Learning item saved.")
        return redirect("learning:item-detail", pk=pk)
    return render(request, "learning/item_form.html", {"form": form, "item": item})


def _step_view(name):
    step = STEPS[name]

    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        item = item_in_scope(request, pk=pk)
        # Who first: someone who may never take the step is refused whatever the item's
        # status, and is not told where it stands in its review.
        if not request.user.has_perm(step.who, item):
            raise PermissionDenied
        if item.status not in step.from_statuses:
            messages.error(request, step.refusal(item))
            return redirect("learning:item-detail", pk=pk)
        if not request.user.has_perm(step.permission, item):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        form = STEP_FORMS[name](data) if name in STEP_FORMS else None
        if request.method == "POST" and (form is None or form.is_valid()):
            extra = form.cleaned_data if form else {}
            try:
                services.STEP_SERVICES[name](item=item, by=request.user, **extra)
            except services.StepNotAllowed as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, step.done)
            if step.returns_to_queue:
                return redirect("learning:review-queue")
            return redirect("learning:item-detail", pk=pk)
        return render(
            request,
            "learning/item_confirm.html",
            {"item": item, "step": name, "heading": step.heading, "button": step.button,
             "form": form},
        )  # fmt: skip

    view.__name__ = f"item_{name}"
    return view


# The steps that ask something more: the feedback of a return, whether a publication is public.
STEP_FORMS = {"return": ReturnForm, "publish": PublishForm}

item_submit = _step_view("submit")
item_publish = _step_view("publish")
item_return = _step_view("return")
item_withdraw = _step_view("withdraw")


@require_POST
@permission_required("learning.publicise_learningitem", fn=item_in_scope, raise_exception=True)
def item_public(request, pk):
    """Show published learning on the public pages, or take it off them."""
    item = item_in_scope(request, pk=pk)
    public = request.POST.get("public") == "yes"
    if services.learning_item_set_public(item=item, by=request.user, public=public):
        messages.success(
            request,
            "It is now on the public pages: anyone can read it without signing in."
            if public
            else "It is no longer on the public pages.",
        )
    return redirect("learning:item-detail", pk=pk)


@require_GET
@permission_required("learning.view_review_queue", raise_exception=True)
def review_queue(request):
    items = selectors.review_queue_for(request.user)
    return render(request, "learning/review_queue.html", paginated(request, items))
