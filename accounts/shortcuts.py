"""Fetching one record within the person's scope: a record outside it is a 404 whether or not
it exists, and the attempt goes in the security log."""

from django.http import Http404

from accounts.models import SecurityEvent
from accounts.security import security_event_record


def get_object_for_user_or_404(queryset_for_user, *, request=None, **lookup):
    """The one record matching `lookup` within the user's scoped queryset, or 404.

    When the record exists but lies outside the scope, the attempt goes in the security log
    (with the request, if given); the answer is the same 404 either way.
    """
    try:
        return queryset_for_user.get(**lookup)
    except queryset_for_user.model.DoesNotExist:
        model = queryset_for_user.model
        if model._default_manager.filter(**lookup).exists():
            security_event_record(
                kind=SecurityEvent.Kind.ACCESS_DENIED,
                request=request,
                model=model._meta.label,
                lookup={k: str(v) for k, v in lookup.items()},
            )
        raise Http404(f"No {model._meta.verbose_name} found.") from None


def scoped_getter(queryset_for_user, url_kwarg="pk", field_name="pk"):
    """An `fn` for rules' permission_required: the record named in the URL, within the
    user's scope, or 404. The record is remembered on the request, so the view calling the
    same getter does not fetch it again."""

    def getter(request, *args, **kwargs):
        memo = request.__dict__.setdefault("_scoped_objects", {})
        key = (id(getter), kwargs[url_kwarg])
        if key not in memo:
            memo[key] = get_object_for_user_or_404(
                queryset_for_user(request.user),
                request=request,
                **{field_name: kwargs[url_kwarg]},
            )
        return memo[key]

    return getter
