from django.contrib import admin

from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession


@admin.register(CurriculumEntry)
class CurriculumEntryAdmin(admin.ModelAdmin):
    list_display = ["programme", "organisation", "status", "region"]
    list_filter = ["status", "region"]
    raw_id_fields = ["recommendations", "learning_items"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "held_on", "people_trained", "region"]
    list_filter = ["format", "region"]
    raw_id_fields = ["recommendations", "learning_items"]


@admin.register(StaffSupport)
class StaffSupportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "staff_reached", "region"]
    list_filter = ["kind", "region"]
