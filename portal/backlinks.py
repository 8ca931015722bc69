"""What links to a record from an app above the record's own (docs/adr/0011).

A record's page shows what links to it: the learning linked to an initiative, the
recommendations a learning item answers, where it spread, the curriculum that carries a
recommendation. Each of those links is a field of a higher app, so the lower app may not
import the reads of it without running against the order of the apps.

So the lower app declares what its page asks, as a `Backlink` in its own `backlinks.py`, and
the higher app answers it when it starts (in its AppConfig.ready), importing downwards as it
may. The lower page calls the backlink like the function that answers it. A backlink nobody
answered raises: a page that lost its answer fails its tests instead of showing an empty
section.
"""

from django.core.exceptions import ImproperlyConfigured


class Backlink:
    """A question a lower app's page asks of the apps above it, answered once at start-up."""

    every = []

    def __init__(self, question):
        self.question = question
        self._read = None
        Backlink.every.append(self)

    def __repr__(self):
        return f"<Backlink: {self.question}>"

    @property
    def answered(self):
        return self._read is not None

    def answer(self, read):
        """Let `read` answer the question. Two different answers are a wiring mistake."""
        if self._read is not None and self._read is not read:
            raise ImproperlyConfigured(f"{self.question!r} is answered twice.")
        self._read = read
        return read

    def __call__(self, *args, **kwargs):
        if self._read is None:
            raise ImproperlyConfigured(
                f"Nothing answers {self.question!r}: the app that owns the link answers it "
                "in its AppConfig.ready()."
            )
        return self._read(*args, **kwargs)
