from django.contrib import admin

from taxonomy.models import Profession, SearchSynonym, Theme


# Themes are the programme's own list and change over time, so staff keep it up to date here;
# the syllabus domains and levels are fixed by the published syllabus and are not editable.
@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "meaning"]
    search_fields = ["term", "meaning"]
