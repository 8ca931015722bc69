"""Digest preferences, the one-click unsubscribe, the lead's preview and the national team's
runs page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts.scope import user_scope
from digests import selectors, services
from digests.forms import DigestPreferenceForm
from digests.models import DigestKind
from digests.tokens import unsubscribe_for_token
from discussion.selectors import comment_delivery_of
from discussion.services import discussion_preference_update
from portal.pagination import paginated


@require_http_methods(["GET", "POST"])
@permission_required("digests.change_preference", raise_exception=True)
def preferences(request):
    preference = services.digest_preference_for(request.user)
    initial = {
        "frequency": preference.frequency,
        "regions": sorted(selectors.preference_region_ids(preference)),
        "kinds": preference.kinds,
        "comments": comment_delivery_of(request.user),
        "author_summary": "yes" if preference.author_summary else "no",
    }
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = dict(form.cleaned_data)
        with transaction.atomic():
            comments = chosen.pop("comments")
            if comments:
                discussion_preference_update(user=request.user, comments=comments)
            services.digest_preference_update(preference=preference, **chosen)
        messages.success(request, "Your digest preferences have been saved.")
        return redirect("digests:preferences")
    return render(
        request,
        "digests/preferences.html",
        {"form": form, "preference": preference, "follows_roles": not preference.regions_chosen_at},
    )


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST here with no session and no CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe from the link and headers of a digest. A GET asks to confirm (a
    link scanner must not unsubscribe anyone); a POST unsubscribes the person the signed
    token names, with no sign-in."""
    person, kind = unsubscribe_for_token(token)
    if person is None:
        raise Http404("This unsubscribe link is not valid.")
    context = {"person": person, "authors": kind == DigestKind.AUTHORS}
    if request.method == "POST":
        if kind == DigestKind.AUTHORS:
            services.author_summary_off(user=person)
        else:
            services.digest_unsubscribe(user=person)
        return render(request, "digests/unsubscribed.html", context)
    return render(request, "digests/unsubscribe.html", context)


@require_GET
@permission_required("digests.preview", raise_exception=True)
def preview(request):
    region_ids = user_scope(request.user).reviewed_region_ids
    context = selectors.digest_preview(user=request.user, region_ids=region_ids)
    return render(request, "digests/preview.html", context)


@require_GET
@permission_required("digests.view_runs", raise_exception=True)
def runs(request):
    context = paginated(request, selectors.digest_runs_with_counts())
    runs = context["page"].object_list
    failures = selectors.digest_failures_by_run(runs)
    for run in runs:
        run.failures = failures.get(run.pk, [])
    return render(request, "digests/runs.html", context)
