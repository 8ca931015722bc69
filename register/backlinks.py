"""What the register's pages show of the apps above it, answered by them at start-up
(portal/backlinks.py)."""

from portal.backlinks import Backlink

carried_by = Backlink(
    "(curriculum entries, training sessions) that carry a recommendation, that the person sees"
)
carrying_any = Backlink(
    "(curriculum entries, training sessions) that carry any of these recommendations or "
    "learning items, that the person sees"
)
