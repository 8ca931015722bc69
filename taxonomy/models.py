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
