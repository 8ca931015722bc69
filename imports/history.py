"""Who made a change and why, for the history entries an import writes.

An import runs in a task, where simple_history's middleware has no request to read the
person from. While `recorded_as` is in force, every history entry written in this thread
names the person who imported and the import ("Imported from learning.xlsx, import 12"),
whichever service wrote it, so the apps' services stay as they are."""

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import pre_create_historical_record

_recording = ContextVar("imports_recording", default=None)


@contextmanager
def recorded_as(user, reason):
    token = _recording.set((user, reason[:100]))
    try:
        yield
    finally:
        _recording.reset(token)


def _name_the_import(sender, history_instance, **kwargs):
    recording = _recording.get()
    if recording is not None:
        user, reason = recording
        history_instance.history_user = user
        history_instance.history_change_reason = reason


def connect():
    pre_create_historical_record.connect(_name_the_import, dispatch_uid="imports-history")
