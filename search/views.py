from django.shortcuts import render
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from curriculum.models import CurriculumEntry, StaffSupport, TrainingSession
from fellows.models import Initiative
from learning.models import Investigation, LearningItem
from learning.selectors import in_progress_matching
from portal.pagination import paginated
from regions.models import Region
from register.models import Recommendation
from search.forms import SearchForm
from search.selectors import search


def scoped_records(user):
    """What the person may find, of each kind: published learning for everyone."""
    return {
        "initiatives": Initiative.objects.for_user(user),
        "investigations": Investigation.objects.for_user(user).select_related("organisation"),
        "learning_items": LearningItem.objects.published_for(user),
        "recommendations": Recommendation.objects.for_user(user),
        "curriculum_entries": CurriculumEntry.objects.for_user(user),
        "training_sessions": TrainingSession.objects.for_user(user),
        "staff_support": StaffSupport.objects.for_user(user).select_related("organisation"),
    }


@require_GET
@permission_required("search.search", raise_exception=True)
def results(request):
    """Every kind of record, each within the person's scope; learning only once published."""
    form = SearchForm(request.GET, regions=Region.objects.in_programme_scheme())
    context = {"search_form": form, "form": form if form.errors else None, "page": None}
    if form.is_bound and form.is_valid():
        found = search(
            form.cleaned_data["q"],
            **scoped_records(request.user),
            filters=form.filters(),
        )
        context |= {"count": len(found), **paginated(request, found)}
        # Beside the results, not among them: learning not yet published that the person may
        # see, marked as such (their own, and what waits for their review).
        if form.cleaned_data["q"].strip() and request.GET.get("page", "1") == "1":
            own, waiting = in_progress_matching(request.user, form.cleaned_data["q"])
            context |= {"own_in_progress": own, "waiting_for_review": waiting}
    return render(request, "search/results.html", context)
