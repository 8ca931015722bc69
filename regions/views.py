from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from regions.forms import MAX_MATCHES, MAX_TYPED, OdsUploadForm
from regions.models import OdsRefresh, Organisation, RegionScheme
from regions.ods import OdsTrust, ods_plan
from regions.services import (
    OdsAlreadyApplied,
    OdsPlanChanged,
    ods_refresh_apply,
    ods_refresh_upload,
)


def region_list(request):
    """The programme's regions with the PSCs based in each, and the national organisations.

    Reference data is the same for everyone signed in, so there is no scoping here. The
    prefetches keep the page at a fixed number of queries however many PSCs there are.
    """
    try:
        scheme = RegionScheme.objects.programme()
    except RegionScheme.DoesNotExist:
        scheme, regions = None, []
    else:
        regions = scheme.regions.with_collaboratives()
    national = Organisation.objects.national().with_history()
    return render(
        request,
        "regions/region_list.html",
        {"scheme": scheme, "regions": regions, "national_organisations": national},
    )


@require_GET
def organisation_search(request):
    """The organisations matching `q`, for the organisation boxes' autocomplete. Reference
    data, the same for everyone signed in; the form that receives the choice checks it
    against the organisations that form allows."""
    text = " ".join(request.GET.get("q", "").split())[:MAX_TYPED].replace("\x00", "")
    found = Organisation.objects.matching(text).open_first()[:MAX_MATCHES] if text else []
    return JsonResponse({"results": [organisation.search_label for organisation in found]})


@permission_required("regions.refresh_organisations", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ods_refresh_start(request):
    """The national team uploads a newer ODS file of trusts; the next page previews it."""
    form = OdsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        refresh = ods_refresh_upload(
            file_name=form.cleaned_data["file"].name, trusts=form.trusts, by=request.user
        )
        return redirect("regions:ods-refresh", refresh.pk)
    applied = OdsRefresh.objects.filter(applied_at__isnull=False).select_related("applied_by")
    return render(
        request, "regions/ods_refresh_start.html", {"form": form, "applied": applied[:10]}
    )


@permission_required("regions.refresh_organisations", raise_exception=True)
@require_GET
def ods_refresh_preview(request, pk):
    refresh = get_object_or_404(OdsRefresh.objects.select_related("applied_by"), pk=pk)
    plan = None
    if refresh.applied_at is None:
        plan = ods_plan([OdsTrust.from_json(row) for row in refresh.trusts])
    return render(request, "regions/ods_refresh_preview.html", {"refresh": refresh, "plan": plan})


@permission_required("regions.refresh_organisations", raise_exception=True)
@require_POST
def ods_refresh_confirm(request, pk):
    refresh = get_object_or_404(OdsRefresh, pk=pk)
    try:
        plan = ods_refresh_apply(
            refresh=refresh, by=request.user, fingerprint=request.POST.get("fingerprint", "")
        )
    except OdsAlreadyApplied:
        messages.info(request, "This file has been applied already. Nothing was changed again.")
    except OdsPlanChanged:
        messages.warning(
            request,
            "The organisations changed after you looked at this preview, so nothing was "
            "applied. Check the changes below and apply them again.",
        )
    else:
        counts = plan.counts()
        messages.success(
            request,
            f"Organisations refreshed from ODS: {counts['added']} added, {counts['renamed']} "
            f"renamed, {counts['closed']} closed.",
        )
    return redirect("regions:ods-refresh", refresh.pk)
