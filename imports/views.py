"""Import: choosing a kind, its template, uploading a file, choosing columns, the preview,
confirming, watching it run, the log, and undo.

An import is looked up within the person's imports (404 for anyone else's but the national
team's). Nothing is saved from a file until the person confirms what the check found."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.shortcuts import get_object_for_user_or_404
from imports import services
from imports.forms import MappingForm, UploadForm
from imports.kinds import KINDS
from imports.models import Import
from imports.reading import Unreadable
from imports.templates import template_csv, template_xlsx
from portal.pagination import paginated

REFRESH_SECONDS = 3
# While a task works on it, the page refreshes itself: it works without JavaScript.
WORKING = {Import.Status.UPLOADED, Import.Status.CHECKING, Import.Status.QUEUED,
           Import.Status.RUNNING}  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mine(request, pk):
    return get_object_for_user_or_404(
        Import.objects.for_user(request.user).select_related("created_by"),
        request=request,
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@permission_required("imports.import", raise_exception=True)
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(
                by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except Unreadable as error:
            form.add_error("file", str(error))
        else:
            return redirect(batch)
    log = Import.objects.for_user(request.user).select_related("created_by")
    return render(
        request,
        "imports/start.html",
        {"form": form, "kinds": KINDS.values(), **paginated(request, log)},
    )


@require_GET
@permission_required("imports.import", raise_exception=True)
def import_template(request, kind):
    chosen = KINDS.get(kind)
    if chosen is None:
        raise Http404("No such kind of record.")
    if request.GET.get("format") == "csv":
        response = HttpResponse(template_csv(chosen), content_type="text/csv; charset=utf-8")
        filename = f"{chosen.slug}-template.csv"
    else:
        response = HttpResponse(template_xlsx(chosen), content_type=XLSX)
        filename = f"{chosen.slug}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@permission_required("imports.import", raise_exception=True)
def import_detail(request, pk):
    batch = _mine(request, pk)
    kind = KINDS[batch.kind]
    refresh = REFRESH_SECONDS if batch.status in WORKING else None
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "kind": kind,
            "preview": batch.preview,
            "refresh": refresh,
            "may_undo": batch.may_be_undone() and batch.created_by_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("imports.import", raise_exception=True)
def import_columns(request, pk):
    batch = _mine(request, pk)
    if batch.status != Import.Status.CHECKED or batch.created_by_id != request.user.pk:
        messages.info(request, "The columns of this import can no longer be changed.")
        return redirect(batch)
    kind = KINDS[batch.kind]
    with batch.file.open("rb") as upload:
        headers = services.headers_of(upload)
    form = MappingForm(
        request.POST or None, kind=kind, headers=headers, initial_mapping=batch.mapping
    )
    if request.method == "POST" and form.is_valid():
        with batch.file.open("rb") as upload:
            upload.name = batch.filename
            checked = services.import_upload(
                by=request.user, kind=batch.kind, upload=upload, mapping=form.mapping()
            )
        batch.file.delete(save=False)
        batch.delete()
        return redirect(checked)
    return render(request, "imports/columns.html", {"batch": batch, "kind": kind, "form": form})


@require_POST
@permission_required("imports.import", raise_exception=True)
def import_confirm(request, pk):
    batch = _mine(request, pk)
    if batch.created_by_id != request.user.pk:
        raise Http404("Only the person who uploaded a file confirms its import.")
    if not services.import_confirm(batch=batch, by=request.user):
        messages.info(request, "This import has already been confirmed, or has errors.")
    return redirect(batch)


@require_http_methods(["GET", "POST"])
@permission_required("imports.import", raise_exception=True)
def import_undo(request, pk):
    batch = _mine(request, pk)
    if batch.created_by_id != request.user.pk:
        raise Http404("Only the person who imported a file undoes it.")
    if request.method == "POST":
        try:
            services.import_undo(batch=batch, by=request.user)
        except services.NotUndone as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The import has been undone.")
        return redirect(batch)
    if not batch.may_be_undone():
        messages.info(request, "This import cannot be undone.")
        return redirect(batch)
    return render(request, "imports/undo.html", {"batch": batch, "kind": KINDS[batch.kind]})
