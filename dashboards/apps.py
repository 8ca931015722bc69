from django.apps import AppConfig
from django.db.models.signals import post_save


class DashboardsConfig(AppConfig):
    """Each person's home and the regional and national dashboards: counts of what every
    other app records, so it stands above them all."""

    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self):
        from dashboards.control_charts import SETTINGS
        from dashboards.models import Rebase, Target
        from dashboards.selectors import REGIONS
        from portal.counts import watch, watch_models
        from regions.models import Region, RegionScheme

        # The dashboards count what these apps record, and read their own targets and rebases.
        watch("fellows", "learning", "register", "curriculum", "dashboards")
        # What rarely changes is kept across those writes, until it changes itself.
        watch_models(SETTINGS, Target, Rebase)
        watch_models(REGIONS, Region, RegionScheme)
        track_what_the_summaries_count()


def track_what_the_summaries_count():
    """What of each counted record places it in a closed quarter or month, for the kept
    summaries (portal/summaries.py, docs/adr/0042)."""
    from accounts.models import RoleAssignment
    from curriculum.models import (
        CurriculumEntry,
        CurriculumStatusChange,
        StaffSupport,
        TrainingSession,
    )
    from fellows.models import Initiative, ProgressUpdate
    from learning.models import Investigation, LearningItem, LearningItemEvent
    from portal.summaries import track, track_links
    from register.models import Adoption, AdoptionStageChange, Recommendation

    # Statuses at a quarter's end are read from the history, whose entries are dated when
    # written; an initiative's region decides where its adoptions' spread is credited.
    track(Initiative.history.model, dates=["history_date"], places=["region_id", "status"])
    track(Initiative, everything=["region_id"], scopes=["host_psc_id"])
    track(ProgressUpdate, dates=["written_on"], places=["ihi_score", "initiative_id", "created_at"])
    track(
        LearningItem,
        dates=["published_at"],
        places=["status", "kind", "days_to_publish", "created_by_id"],
        everything=["region_id"],
    )
    track(Investigation, dates=["created_at"], places=["region_id", "source", "created_by_id"])
    track(
        Recommendation,
        dates=["issued_on", "due_on", "answered_on"],
        places=["region_id", "days_to_respond", "created_by_id"],
    )
    track(Adoption, everything=["region_id", "initiative_id", "learning_item_id"])
    track(AdoptionStageChange, dates=["on"], places=["from_stage", "to_stage", "adoption_id", "at"])
    # An entry's status is counted from its changes of status, its coverage from when it was
    # made; an entry moved to another region moves every quarter's statuses.
    track(CurriculumEntry, dates=["created_at"], places=["created_by_id"], everything=["region_id"])
    track(CurriculumStatusChange, dates=["on"], places=["to_status", "entry_id", "at"])
    track(
        TrainingSession,
        dates=["held_on"],
        places=["region_id", "people_trained", "created_by_id", "host_id"],
    )
    track(StaffSupport, dates=["held_on"], places=["region_id", "staff_reached", "created_by_id"])
    # A PSC's own records are its fellows' (reports/sections.py).
    track(RoleAssignment, scopes=["psc_id", "role", "user_id"])
    for model in (LearningItem, CurriculumEntry, TrainingSession):
        track_links(model.syllabus.through, record_model=model)
    # A review step is a conditional UPDATE with no signal of its own; its event says when
    # learning published in a closed quarter is withdrawn from it.
    post_save.connect(_review_step, sender=LearningItemEvent, dispatch_uid="summaries-steps")


def _review_step(sender, instance, created, **kwargs):
    from learning.models import LearningItem
    from portal.summaries import touch

    published = LearningItem.Status.PUBLISHED
    if created and published in (instance.from_status, instance.to_status):
        touch(instance.item.published_at)
