"""Counts over many records (the dashboards' figures, the syllabus coverage) are kept in the
cache between writes. Every write to a record of an app they count moves a generation number
on, once the write has committed, and a count is kept under the generation it was read in: so
the next read after a write counts afresh, and nobody sees a count older than their own last
change.

A write is any save, delete or change of links of a model of a watched app, its history
included: every change the portal makes writes a history entry through the post-save signal,
even a conditional UPDATE (portal/history.py), so none is missed.

The generation lives in the default cache, which is Redis, shared by every process, wherever
REDIS_URL is set. When the cache cannot be reached, the count is made from the database."""

import hashlib
import logging
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

GENERATION = "counts:generation"
KEPT_FOR = 60 * 60  # seconds; a count is read again after a write in any case


WATCHED = set()


def watch(*app_labels):
    """Count again after any write to a model of these apps."""
    WATCHED.update(app_labels)
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_written, dispatch_uid=f"counts-{signal}")


def _written(sender, **kwargs):
    if sender._meta.app_label in WATCHED:
        counts_changed()


def counts_changed():
    """Call inside the transaction that writes a counted record."""
    transaction.on_commit(_next_generation)


def _next_generation():
    move_on(GENERATION)


def move_on(generation):
    """Move the generation number kept under the cache key `generation` on."""
    try:
        try:
            cache.incr(generation)
        except ValueError:  # not set yet, or evicted: start from a number never used before
            cache.add(generation, first_generation(), timeout=None) or cache.incr(generation)
    except Exception:  # noqa: BLE001 - the write has committed; a cache outage must not undo it
        logger.warning("The cache could not be told that %s moved on.", generation, exc_info=True)


def first_generation():
    """A number above any the generation had before it was evicted: the time in nanoseconds."""
    return time.time_ns()


def watch_models(generation, *models):
    """Move the generation `generation` on after any write to these models: for what is read
    from them alone and changes rarely (the programme's regions, the SPC targets), kept across
    the writes that move the counts on."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                lambda sender, **kwargs: transaction.on_commit(lambda: move_on(generation)),
                sender=model,
                weak=False,
                dispatch_uid=f"{generation}-{model._meta.label}-{signal}",
            )


def counted(name, count, *, keep_from=None, generation=GENERATION):
    """`count()`, or what it returned since the last write to a counted record (or, with
    `generation`, to one of the models watched for it: watch_models).

    With `keep_from`, a number is kept only once it is at least that: smaller counts are quick
    to make again. (A count made after the last write is still exact, so nobody sees a number
    older than their own last change.)"""
    try:
        number = cache.get_or_set(generation, first_generation, timeout=None)
        key = (
            f"counts:{number}:{name}"
            if generation == GENERATION
            else f"{generation}:{number}:{name}"
        )
        found = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("The cache could not be read; counting from the database.", exc_info=True)
        return count()
    if found is None:
        found = count()
        if keep_from is None or found >= keep_from:
            try:
                cache.set(key, found, KEPT_FOR)
            except Exception:  # noqa: BLE001
                logger.warning("The cache could not keep a count.", exc_info=True)
    return found


def query_key(rows):
    """A name for what the queryset `rows` reads, from its SQL; None when it reads nothing."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a none() queryset
        return None
    return hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()


def counted_rows(name, rows):
    """The rows of `rows`, a grouped count, as a list kept like a count between writes. Rows
    of a model no write moves the generation for are read afresh every time."""
    if rows.model._meta.app_label not in WATCHED:
        return list(rows.all())
    key = query_key(rows)
    if key is None:
        return []
    # A copy of the query each time: the caller's queryset keeps no rows of its own to reuse.
    return counted(f"{name}:{key}", lambda: list(rows.all()))
