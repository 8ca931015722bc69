from django.contrib import admin

from regions.models import (
    OdsRefresh,
    OdsRegionMapping,
    Organisation,
    OrganisationName,
    PatientSafetyCollaborative,
    Region,
    RegionScheme,
)


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0
    fields = ["name", "slug", "display_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RegionScheme)
class RegionSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "valid_from", "valid_to", "is_programme_scheme"]
    list_filter = ["is_programme_scheme"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegionInline]


class CoverageInline(admin.TabularInline):
    """The PSCs whose footprint covers a region, edited from either side."""

    model = PatientSafetyCollaborative.regions.through
    extra = 0
    verbose_name = "coverage"
    verbose_name_plural = "coverage"
    autocomplete_fields = ["region"]


class CoveringCollaborativeInline(CoverageInline):
    verbose_name = "covering Patient Safety Collaborative"
    verbose_name_plural = "covering Patient Safety Collaboratives"
    autocomplete_fields = ["patientsafetycollaborative"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "slug", "display_order"]
    list_filter = ["scheme"]
    list_select_related = ["scheme"]
    search_fields = ["name", "slug", "scheme__name"]
    ordering = ["scheme__valid_from", "display_order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CoveringCollaborativeInline]


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0
    fields = ["name", "used_from", "used_until"]


class ClosedFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "closed"

    def lookups(self, request, model_admin):
        return [("no", "Open"), ("yes", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(closed_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(closed_on__isnull=True)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code", "programme_region", "closed_on", "successor"]
    list_filter = ["kind", ClosedFilter, "programme_region", "nhs_england_region"]
    list_select_related = ["successor", "programme_region"]
    search_fields = ["name", "slug", "ods_code", "former_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor"]
    inlines = [OrganisationNameInline]


@admin.register(OdsRegionMapping)
class OdsRegionMappingAdmin(admin.ModelAdmin):
    """Which programme region ODS's trusts fall in: the next ODS load or refresh uses it."""

    list_display = ["nhs_england_code", "icb_code", "nhs_england_region", "programme_region"]
    list_editable = ["programme_region"]
    list_select_related = ["nhs_england_region", "programme_region"]


@admin.register(OdsRefresh)
class OdsRefreshAdmin(admin.ModelAdmin):
    """A record of the files uploaded; they are applied from the portal's own page."""

    list_display = ["file_name", "uploaded_at", "uploaded_by", "applied_at", "applied_by"]
    list_select_related = ["uploaded_by", "applied_by"]
    fields = ["file_name", "uploaded_at", "uploaded_by", "applied_at", "applied_by", "outcome"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PatientSafetyCollaborative)
class PatientSafetyCollaborativeAdmin(admin.ModelAdmin):
    list_display = ["name", "primary_region", "slug"]
    list_filter = ["primary_region", "regions"]
    list_select_related = ["host", "primary_region"]
    search_fields = ["slug", "host__name", "host__former_names__name"]
    fields = ["host", "slug", "primary_region"]
    autocomplete_fields = ["host"]
    inlines = [CoverageInline]

    @admin.display(description="name", ordering="host__name")
    def name(self, obj):
        return obj.name
