from django.contrib import admin

from register.models import Adoption, Recommendation, ResponseDeadline


# The usual response deadlines are data the national team corrects when the rules change.
@admin.register(ResponseDeadline)
class ResponseDeadlineAdmin(admin.ModelAdmin):
    list_display = ["kind", "days"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "addressed_to", "region", "status", "due_on"]
    list_filter = ["kind", "status", "region"]
    search_fields = ["reference", "text"]
    raw_id_fields = ["investigation", "gap", "answered_by_learning", "answered_by_initiatives"]
    readonly_fields = ["status", "answered_on", "days_to_respond", "reminded_for_due_on"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "stage", "stage_on"]
    list_filter = ["stage", "region"]
    raw_id_fields = ["initiative", "learning_item"]
