from django.shortcuts import render

from regions.models import Organisation, RegionScheme


def region_list(request):
    """The programme's regions with the PSCs based in each, and the national organisations.

    Reference data is the same for everyone signed in, so there is no scoping here. The
    prefetches keep the page at a fixed number of queries however many PSCs there are.
    """
    try:
        scheme = RegionScheme.objects.programme()
    except RegionScheme.DoesNotExist:
        scheme, regions = None, []
    else:
        regions = scheme.regions.with_collaboratives()
    national = Organisation.objects.national().with_history()
    return render(
        request,
        "regions/region_list.html",
        {"scheme": scheme, "regions": regions, "national_organisations": national},
    )
