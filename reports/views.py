"""Asking for a quarterly report, watching it being made, and downloading it.

A report is looked up within the person's scope (404 outside it, someone else's included when
its scope is not theirs). Every download is in the security log."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from rules.contrib.views import permission_required

from accounts.models import SecurityEvent
from accounts.security import security_event_record
from accounts.shortcuts import get_object_for_user_or_404
from portal.files import download_response
from reports import services
from reports.forms import ReportRequestForm
from reports.models import Report


@require_http_methods(["GET", "POST"])
@permission_required("reports.request", raise_exception=True)
def report_request(request):
    form = ReportRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        region, psc = form.region_and_psc
        made, _new = services.report_request(
            by=request.user,
            quarter=form.cleaned_data["quarter"],
            format=form.cleaned_data["format"],
            region=region,
            psc=psc,
        )
        return redirect(made)
    recent = (
        Report.objects.for_user(request.user)
        .filter(requested_by=request.user)
        .select_related("region", "psc__primary_region")[:10]
    )
    return render(request, "reports/request.html", {"form": form, "recent": recent})


@require_GET
@permission_required("reports.request", raise_exception=True)
def report_detail(request, pk):
    made = get_object_for_user_or_404(
        Report.objects.for_user(request.user).select_related("region", "psc__primary_region"),
        request=request,
        pk=pk,
    )
    # No automatic refresh: a page that reloads itself moves a screen reader's place and
    # cannot be paused (WCAG 2.2.1); the person checks when they choose, and is emailed.
    return render(request, "reports/detail.html", {"report": made})


@require_GET
@permission_required("reports.request", raise_exception=True)
def report_download(request, pk):
    made = get_object_for_user_or_404(
        Report.objects.for_user(request.user).select_related("region", "psc__primary_region"),
        request=request,
        pk=pk,
    )
    if not made.is_downloadable:
        raise Http404("This report is not ready, or was kept for 7 days and deleted.")
    security_event_record(
        kind=SecurityEvent.Kind.REPORT_EXPORTED,
        request=request,
        report=made.pk,
        scope=made.scope_name,
        quarter=made.quarter.label,
        format=made.format,
    )
    return download_response(made.file, filename=made.filename)
