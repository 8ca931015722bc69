"""Each person's home, the regional and national dashboards, and the list behind each
figure."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from rules.contrib.views import permission_required

from accounts.rules import is_fellow, is_national_team, is_regional_lead
from accounts.scope import user_scope
from dashboards import control_charts, figures, homes, presenters
from dashboards.attention import needs_attention
from dashboards.selectors import dashboard, headline_figures, programme_regions
from portal.pagination import paginated
from portal.quarters import Quarter

# The programme's regions date from 2014; no quarter before then has anything to count.
FIRST_QUARTER = Quarter(2014, 1)


def _quarter(request):
    """The quarter asked for (`?quarter=2025/26 Q3`), the current one by default; a
    quarter that has not begun, or is before the programme, is a 404."""
    label = request.GET.get("quarter", "")
    if not label:
        return Quarter.current()
    try:
        quarter = Quarter.parse(label)
    except ValueError:
        raise Http404("No such quarter.") from None
    if not FIRST_QUARTER <= quarter <= Quarter.current():
        raise Http404("No figures for that quarter.")
    return quarter


def _region_in_scope(request, slug, regions):
    """The programme region `slug` of `regions`, if the person works in it; else a 404."""
    scope = user_scope(request.user)
    for region in regions:
        if region.slug == slug and (scope.is_national or region.pk in scope.region_ids):
            return region
    raise Http404("No such region.")


def _around(quarter):
    current = Quarter.current()
    return {
        "previous": quarter.previous() if quarter.previous() >= FIRST_QUARTER else None,
        "next": quarter.next() if quarter.next() <= current else None,
    }


def _region_context(dash, region):
    mine = dash.of(region)
    return {
        "region": region,
        "cards": presenters.headline(mine, dash.nation),
        "groups": presenters.groups(
            presenters.sections(mine, dash.nation, presenters.figure_link(region, dash.quarter)),
            presenters.trend_charts(mine, dash.nation, dash.quarters),
        ),
        **control_charts.context(control_charts.region_charts(dash.quarter, dash.regions, region)),
    }


def _home_region(user, regions):
    """The region whose headline a person's home shows: the one they lead, else the one they
    work in; None when they work in none."""
    scope = user_scope(user)
    ids = scope.led_region_ids or scope.region_ids
    return next((region for region in regions if region.pk in ids), None)


def home(request):
    """The person's own work first, then the headline figures of their region (England's for
    the national team), with the way to the dashboard that has the rest."""
    user = request.user
    quarter = Quarter.current()
    context = {"quarter": quarter}
    scope = user_scope(user)
    if is_national_team(user):
        dash = headline_figures(quarter)
        context["national"] = {"regions": dash.regions}
        context["cards"] = presenters.headline(dash.nation, dash.nation)
        # The cards' variation icons; the charts themselves are on the dashboard.
        charts = control_charts.national_charts(dash.quarter, dash.regions)
        context["spc"] = control_charts.context(charts)["spc"]
    elif scope.region_ids:
        regions = programme_regions()
        region = _home_region(user, regions)
        if region is not None:
            dash = headline_figures(quarter, regions)
            context["region"] = region
            context["cards"] = presenters.headline(dash.of(region), dash.nation)
            charts = control_charts.region_charts(dash.quarter, dash.regions, region)
            context["spc"] = control_charts.context(charts)["spc"]
    if is_regional_lead(user):
        context["lead"] = homes.lead_home(user)
    if is_fellow(user):
        context["fellow"] = homes.fellow_home(user)
    if scope.chaired_psc_ids:
        context["chair"] = homes.chair_home(user, quarter)
    return render(request, "dashboards/home.html", context)


def _national_context(dash, user):
    charts = presenters.trend_charts(dash.nation, dash.nation, dash.quarters)
    return {
        "regions": dash.regions,
        "cards": presenters.headline(dash.nation, dash.nation),
        "attention": needs_attention(user),
        "groups": presenters.groups(presenters.national_table(dash), charts),
        **control_charts.context(control_charts.national_charts(dash.quarter, dash.regions)),
    }


@require_GET
@permission_required("dashboards.view", raise_exception=True)
def region_dashboard(request, slug):
    regions = programme_regions()
    region = _region_in_scope(request, slug, regions)
    quarter = _quarter(request)
    dash = dashboard(quarter, regions)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "quarter": quarter,
            **_around(quarter),
            **_region_context(dash, region),
            "attention": needs_attention(request.user, region),
        },
    )


@require_GET
@permission_required("dashboards.view", raise_exception=True)
def own_dashboard(request):
    """Where the menu's "Dashboard" leads: England's for the national team, the person's
    region's for everyone else, and a choice when they work in more than one region."""
    if is_national_team(request.user):
        return redirect("dashboard-national")
    scope = user_scope(request.user)
    regions = [region for region in programme_regions() if region.pk in scope.region_ids]
    if len(regions) == 1:
        return redirect("dashboard", regions[0].slug)
    return render(request, "dashboards/own.html", {"regions": regions})


@require_GET
@permission_required("dashboards.view_national", raise_exception=True)
def national_dashboard(request):
    quarter = _quarter(request)
    return render(
        request,
        "dashboards/national.html",
        {
            "quarter": quarter,
            **_around(quarter),
            **_national_context(dashboard(quarter), request.user),
        },
    )


@require_GET
@permission_required("dashboards.view", raise_exception=True)
def figure_list(request, slug, key):
    """The records a figure of the region's dashboard counts, as many as it says, that the
    person may open."""
    region = _region_in_scope(request, slug, programme_regions())
    quarter = _quarter(request)
    figure = figures.figure(key)
    if figure is None:
        raise Http404("No such figure.")
    rows = figures.records(key, quarter, region)
    model = rows.model
    rows = rows.filter(pk__in=model.objects.for_user(request.user).values("pk")).order_by("pk")
    return render(
        request,
        "dashboards/figure_list.html",
        {
            "region": region,
            "quarter": quarter,
            "figure": figure,
            **paginated(request, rows),
        },
    )
