from django.db import models


class Summary(models.Model):
    """The figures of a period that has ended, counted once and kept (portal/summaries.py):
    one kind of figures (a quarter's, a run of months', the coverage up to a day), for one
    scope (the whole programme, or a part of it such as a PSC's own records), up to and
    including `ends_on`. A late write dated on or before `ends_on` drops it."""

    kind = models.CharField(max_length=40)
    scope = models.CharField(max_length=40, blank=True)
    ends_on = models.DateField()
    # The shape of `figures` its maker wrote: a row of another shape is counted again.
    shape = models.PositiveSmallIntegerField()
    figures = models.JSONField()
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope", "ends_on"], name="portal_summary_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["ends_on"], name="portal_summary_ends_on")]

    def __str__(self):
        return f"{self.kind} {self.scope or 'programme'} to {self.ends_on}"
