"""Writing, replying to, editing and hiding comments on learning items.

The item or comment is looked up within the person's scope first (404 outside it), then
checked against its permission (403). The forms live on the item's page; these pages show
them again with what was typed when something is wrong, and serve browsers without script.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts.shortcuts import get_object_for_user_or_404, scoped_getter
from discussion import rules as discussion_rules
from discussion import selectors, services
from discussion.forms import CommentForm, HideForm
from discussion.models import EDIT_WINDOW
from learning.selectors import learning_item_detail_for

item_in_scope = scoped_getter(learning_item_detail_for)
comment_in_scope = scoped_getter(selectors.comment_for_user)


def _added(request, item, form, parent=None):
    comment, not_told = services.comment_create(
        item=item, by=request.user, body=form.cleaned_data["body"], parent=parent
    )
    messages.success(request, "Your comment has been added.")
    if not_told:
        messages.warning(
            request,
            "Nobody was told of these mentions, as no one with the address can see this "
            f"learning: {', '.join('@' + address for address in not_told)}.",
        )
    return redirect(comment.location())


@require_http_methods(["GET", "POST"])
@permission_required("discussion.add_comment", fn=item_in_scope, raise_exception=True)
def comment_add(request, pk):
    item = item_in_scope(request, pk=pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _added(request, item, form)
    return render(request, "discussion/comment_form.html", {"item": item, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("discussion.add_comment", fn=item_in_scope, raise_exception=True)
def comment_reply(request, pk, comment_pk):
    item = item_in_scope(request, pk=pk)
    parent = get_object_for_user_or_404(
        selectors.comment_for_user(request.user).filter(item=item),
        request=request,
        pk=comment_pk,
    )
    form = CommentForm(request.POST or None, button="Add reply")
    form.fields["body"].label = "Your reply"
    if request.method == "POST" and form.is_valid():
        return _added(request, item, form, parent=parent)
    return render(
        request, "discussion/comment_form.html", {"item": item, "form": form, "parent": parent}
    )


@require_GET
def comment_detail(request, pk):
    """Where a comment is now: its item's page of threads, at the comment."""
    return redirect(comment_in_scope(request, pk=pk).location())


@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    comment = comment_in_scope(request, pk=pk)
    if not discussion_rules.wrote_comment(request.user, comment):
        raise PermissionDenied
    # A form sent after the time ran out is answered below, keeping what was typed.
    if request.method == "GET" and not comment.is_editable_at(timezone.now()):
        messages.error(request, _too_late())
        return redirect(comment.location())
    form = CommentForm(request.POST or None, initial={"body": comment.body}, button="Save comment")
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        except services.CommentNotEditable as refused:
            # What was typed stays on the page, to copy into a new comment.
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your comment has been saved.")
            return redirect(comment.location())
    return render(
        request,
        "discussion/comment_form.html",
        {"item": comment.item, "form": form, "comment": comment},
    )


def _too_late():
    return (
        "This comment can no longer be edited: comments can be edited for "
        f"{EDIT_WINDOW.seconds // 60} minutes after they are written."
    )


@require_http_methods(["GET", "POST"])
@permission_required("discussion.hide_comment", fn=comment_in_scope, raise_exception=True)
def comment_hide(request, pk):
    comment = comment_in_scope(request, pk=pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.comment_hide(
            comment=comment, by=request.user, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, "The comment is hidden. It stays in the history.")
        return redirect(comment.location())
    return render(
        request,
        "discussion/comment_hide.html",
        {"item": comment.item, "form": form, "comment": comment},
    )
