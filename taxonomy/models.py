"""What the programme's records are tagged with: safety themes, the NHS Patient Safety
Syllabus, and the PSIRF learning-response types.

Initiatives, investigations, learning items (and what comes after them: recommendations,
curriculum entries, training) all use these, so they sit below every record app. The tables
were created when the taxonomy lived in the learning app and keep their names.
"""

from django.db import models


class SyllabusDomain(models.Model):
    """A domain of the NHS Patient Safety Syllabus (v2, 2021): fixed reference data."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        db_table = "learning_syllabusdomain"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class SyllabusLevel(models.Model):
    """A level of the NHS Patient Safety Syllabus, from essentials (1) to experts (5)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "learning_syllabuslevel"
        ordering = ["number"]

    def __str__(self):
        return f"Level {self.number}: {self.name}"


class SyllabusTagQuerySet(models.QuerySet):
    def with_names(self):
        return self.select_related("domain", "level")


class Theme(models.Model):
    """A safety theme records are tagged with (medication safety, deterioration, ...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        db_table = "learning_theme"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PsirfResponse(models.TextChoices):
    """Learning-response types under the Patient Safety Incident Response Framework."""

    PSII = "psii", "Patient safety incident investigation (PSII)"
    AAR = "aar", "After action review (AAR)"
    MDT = "mdt", "Multidisciplinary team (MDT) review"
    SWARM = "swarm", "SWARM huddle"
    OTHER = "other", "Other learning response"


class SyllabusTag(models.Model):
    """One cell of the Patient Safety Syllabus: a domain at a level. Records are tagged with
    these pairs, so a coverage grid can count what is taught where."""

    domain = models.ForeignKey(SyllabusDomain, on_delete=models.PROTECT, related_name="tags")
    level = models.ForeignKey(SyllabusLevel, on_delete=models.PROTECT, related_name="tags")

    objects = SyllabusTagQuerySet.as_manager()

    class Meta:
        ordering = ["domain__number", "level__number"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "level"], name="taxonomy_one_tag_a_cell")
        ]

    def __str__(self):
        return f"Domain {self.domain.number}, level {self.level.number}"


class Profession(models.Model):
    """A profession people are trained in or taught for: the programme's own list, editable
    in the admin."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class SearchSynonym(models.Model):
    """Words people type into search and the programme's words for the same thing: a search
    for either finds what the other finds. Staff keep the list in the admin; the migration
    seeds it with the acronyms of the programme."""

    term = models.CharField(max_length=60, help_text="An acronym or phrase, such as PFD.")
    meaning = models.CharField(
        max_length=200,
        help_text="What it stands for, such as Prevention of Future Deaths.",
    )

    class Meta:
        ordering = ["term", "meaning"]
        constraints = [
            models.UniqueConstraint(fields=["term", "meaning"], name="one_synonym_of_each_pair")
        ]

    def __str__(self):
        return f"{self.term}: {self.meaning}"
