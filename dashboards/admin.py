"""The national team sets each measure's target and records rebases here (the admin is theirs
alone). Every version is kept in the record's history table with who made it, and the admin's
own history page lists the changes."""

from django.contrib import admin

from dashboards.models import Rebase, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["measure", "value", "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]
    fields = ["measure", "value", "reason", "set_by", "set_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Rebase)
class RebaseAdmin(admin.ModelAdmin):
    list_display = ["measure", "region", "psc", "starts_on", "recorded_by", "recorded_at"]
    list_filter = ["measure", "region"]
    list_select_related = ["region", "psc", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at"]
    fields = [
        "measure",
        "region",
        "psc",
        "starts_on",
        "baseline_months",
        "reason",
        "recorded_by",
        "recorded_at",
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
