"""Figures of periods that have ended (a quarter, a run of months, a day of the quarter under
way), counted once and kept in the database (portal.models.Summary), so a page counted afresh
after a write counts only what has not ended: today (docs/adr/0042, docs/adr/0047).

A period that has ended changes only when a late write touches it: a record created, changed
or deleted whose date places it in that period or before. Each app says which of its models'
fields do (`track`): their dates, the fields that move a record between the figures' groups
(its region, its kind), and the fields whose change can alter any period's figures (an
initiative's region, which decides where its adoptions' spread is credited). On such a write,
once it commits, every summary that ends on or after the earliest day touched is dropped, and
the next read counts it again.

A reader that counted a period while a late write committed must not keep what it counted: a
generation number in the cache moves on before the summaries are dropped, and a reader keeps
its count only if the number has not moved since it began counting (and drops its own row
again if it moved while it was writing it).
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils import timezone

from portal.counts import KEPT_FOR, first_generation, move_on
from portal.models import Summary
from portal.quarters import LONDON

logger = logging.getLogger(__name__)

GENERATION = "summaries:generation"
EVERYTHING = datetime.date.min


@dataclass(frozen=True)
class Key:
    kind: str
    scope: str
    ends_on: datetime.date


def read(wanted, number=None):
    """{key: figures} of those of `wanted` ({key: shape}) kept with that shape: one query, or
    none when every one of them was read whole since the summaries last changed (the cache
    holds them under their generation, which moves on whenever a summary is dropped). `number`
    is the generation the caller read before it, if it did."""
    if not wanted:
        return {}
    if number is None:
        number = generation()
    if number is not None:
        found = _cached(_name(wanted, number))
        if found is not None:
            return found
    found = _read(wanted)
    if number is not None and len(found) == len(wanted):
        _cache(_name(wanted, number), found)
    return found


def _name(wanted, number, what="read"):
    named = (
        what
        + ";"
        + ";".join(
            f"{key.kind},{key.scope},{key.ends_on},{shape}"
            for key, shape in sorted(
                wanted.items(), key=lambda item: (item[0].kind, item[0].scope, item[0].ends_on)
            )
        )
    )
    return f"{GENERATION}:{number}:{hashlib.sha256(named.encode()).hexdigest()}"


def _cached(name):
    try:
        return cache.get(name)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be read; summaries are read again.", exc_info=True)
        return None


def _cache(name, found):
    try:
        cache.set(name, found, KEPT_FOR)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not keep the summaries read.", exc_info=True)


def _read(wanted):
    # One condition for each kind, scope and shape, however many days it names.
    days = {}
    for key, shape in wanted.items():
        days.setdefault((key.kind, key.scope, shape), []).append(key.ends_on)
    rows = Q()
    for (kind, scope, shape), ends in days.items():
        rows |= Q(kind=kind, scope=scope, shape=shape, ends_on__in=ends)
    found = Summary.objects.filter(rows).values_list("kind", "scope", "ends_on", "figures")
    return {Key(kind, scope, ends_on): figures for kind, scope, ends_on, figures in found}


def generation():
    """The generation now, or None when the cache cannot be read (then nothing is kept)."""
    try:
        return cache.get_or_set(GENERATION, first_generation, timeout=None)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be read; summaries are not kept.", exc_info=True)
        return None


def keep(found, wanted, began):
    """Keep `found` ({key: figures}, shaped as `wanted` says), counted since generation
    `began`, unless a late write has committed since then: one query, two when one has."""
    if began is None or generation() != began:
        return
    Summary.objects.bulk_create(
        [
            Summary(
                kind=key.kind,
                scope=key.scope,
                ends_on=key.ends_on,
                shape=wanted[key],
                figures=figures,
            )
            for key, figures in found.items()
        ],
        update_conflicts=True,
        unique_fields=["kind", "scope", "ends_on"],
        update_fields=["shape", "figures", "made_at"],
    )
    if generation() != began:
        rows = Q()
        for key in found:
            rows |= Q(kind=key.kind, scope=key.scope, ends_on=key.ends_on)
        Summary.objects.filter(rows).delete()


def kept(wanted, count, *, count_all=None):
    """{key: figures} for each key of `wanted` ({key: shape}): what is kept, and for the rest
    `count(key)`, kept from now on. Every key must name a period that has ended. With
    `count_all`, the missing keys are first given to `count_all(keys)`, which counts those it
    can together ({key: figures}: the days of a quarter, in one query); `count` the rest."""
    # The generation is read before the summaries are: a drop that runs while they are read
    # moves it on, so what was read then, perhaps just dropped, is neither kept nor cached.
    began = generation()
    found = read(wanted, began)
    missing = [key for key in wanted if key not in found]
    if missing:
        counted = count_all(missing) if count_all is not None else {}
        counted |= {key: count(key) for key in missing if key not in counted}
        keep(counted, wanted, began)
        found |= counted
        if began is not None and generation() == began:
            _cache(_name(wanted, began), found)
    return found


def kept_combined(wanted, count, *, combine, name, count_all=None):
    """combine(kept(wanted, count, count_all=count_all)), itself kept in the cache until a
    summary is dropped: the days of a quarter added up once, not read and added up on every
    page. `name` says what `combine` makes."""
    began = generation()
    if began is not None:
        found = _cached(_name(wanted, began, name))
        if found is not None:
            return found
    combined = combine(kept(wanted, count, count_all=count_all))
    if began is not None and generation() == began:
        _cache(_name(wanted, began, name), combined)
    return combined


def drop_from(day, *, scoped_only=False, if_ended=False):
    """Drop, once the transaction commits, the summaries that end on or after `day` (of a
    scope, not the whole programme's, with `scoped_only`). With `if_ended`, only if `day` has
    ended by then: a write committed just after midnight, dated the day before, drops what a
    reader may have counted of that day before the write was there to see."""

    def drop():
        if if_ended and day >= ended_before():
            return
        # Before the rows go, so a count begun before cannot keep them (keep()); and after,
        # so a read made while they went is not taken from the cache (read()).
        move_on(GENERATION)
        rows = Summary.objects.filter(ends_on__gte=day)
        if scoped_only:
            rows = rows.exclude(scope="")
        rows.delete()
        move_on(GENERATION)

    transaction.on_commit(drop)


def ended_before():
    """The first day that may still change: today in London. Every period kept ends before
    it: the quarters and months that have closed, and each day of the quarter under way before
    today (docs/adr/0047)."""
    return timezone.localdate()


def forget(kinds, before):
    """Delete the summaries of `kinds` that end before `before`: periods no page asks for
    again (the quarter under way up to a day gone by)."""
    Summary.objects.filter(kind__in=kinds, ends_on__lt=before).delete()


# What each model's fields mean for the periods it is counted in


@dataclass
class Tracked:
    dates: tuple = ()  # place the record in a period
    places: tuple = ()  # move it between groups: the earliest of its dates is touched
    everything: tuple = ()  # can change any period's figures
    scopes: tuple = ()  # can change which records are a scope's own (a PSC's)


TRACKED = {}


def track(model, *, dates=(), places=(), everything=(), scopes=()):
    """Drop the summaries a write to `model` touches. Each names attributes (`region_id` for a
    foreign key)."""
    found = TRACKED.setdefault(model, Tracked())
    found.dates += tuple(dates)
    found.places += tuple(places)
    found.everything += tuple(everything)
    found.scopes += tuple(scopes)
    uid = f"summaries-{model._meta.label}"
    post_init.connect(_loaded, sender=model, dispatch_uid=uid)
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def track_links(through, *, record_model):
    """Drop the summaries a change of these links touches (a record's syllabus tags): from
    the record's earliest date, or all of them when changed from the other side."""
    m2m_changed.connect(_linked, sender=through, dispatch_uid=f"summaries-{through._meta.label}")
    TRACKED.setdefault(through, Tracked()).dates = (record_model,)


def _fields(tracked):
    return {*tracked.dates, *tracked.places, *tracked.everything, *tracked.scopes}


def _loaded(sender, instance, **kwargs):
    # What the record was when read, for a later save to compare with. A deferred field is not
    # read (that would be a query): its earlier value is then unknown.
    known = instance.__dict__
    instance._summaries_was = {
        name: known[name] for name in _fields(TRACKED[sender]) if name in known
    }


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, LONDON).date()
    return value


def _earliest(values):
    days = [day for day in map(_day, values) if day is not None]
    return min(days) if days else None


def _touch(day, *, scoped_only=False):
    # A write dated today or later touches nothing kept. Whether its day has ended is asked
    # when it commits, as midnight may have passed since it was saved.
    if day is not None:
        drop_from(day, scoped_only=scoped_only, if_ended=True)


def _saved(sender, instance, created, **kwargs):
    tracked = TRACKED[sender]
    was = getattr(instance, "_summaries_was", {})
    now = {name: instance.__dict__.get(name) for name in _fields(tracked)}
    instance._summaries_was = dict(now)
    changed = {name for name in _fields(tracked) if name not in was or was[name] != now[name]}
    if tracked.scopes and (created or changed & set(tracked.scopes)):
        drop_from(EVERYTHING, scoped_only=True)
    if created:
        _touch(_earliest(now[name] for name in tracked.dates))
        return
    if changed & set(tracked.everything):
        drop_from(EVERYTHING)
        return
    both = [value for name in tracked.dates for value in (was.get(name), now[name])]
    if changed & set(tracked.places):
        _touch(_earliest(both))
        return
    days = [_earliest([was.get(name), now[name]]) for name in tracked.dates if name in changed]
    _touch(_earliest(days))


def touch(value):
    """Say that a write with no signal of its own touched the period of `value` (a date or a
    moment): the summaries from it are dropped once the transaction commits."""
    _touch(_day(value))


def created_in_bulk(records):
    """Say that `records` were made with `bulk_create`, which sends no signal: the summaries
    from the earliest of their dates are dropped, once."""
    days = []
    for record in records:
        tracked = TRACKED.get(type(record))
        if tracked is not None:
            days.append(_earliest(record.__dict__.get(name) for name in tracked.dates))
    _touch(_earliest(days))


def _deleted(sender, instance, **kwargs):
    tracked = TRACKED[sender]
    if tracked.scopes:
        drop_from(EVERYTHING, scoped_only=True)
    was = getattr(instance, "_summaries_was", {})
    known = instance.__dict__
    _touch(_earliest(value for name in tracked.dates for value in (was.get(name), known.get(name))))


def _linked(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    record_model = TRACKED[sender].dates[0]
    if not isinstance(instance, record_model):
        drop_from(EVERYTHING)
        return
    tracked = TRACKED[record_model]
    _touch(_earliest(instance.__dict__.get(name) for name in tracked.dates))
