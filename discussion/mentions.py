"""Mentions in a comment: `@` and a person's email address, as `@lead.north@example.org`.

Only people who may see the learning item are told; anyone else is left out without a word to
them, and the writer hears which mentions told nobody, in the same words whether the address is
unknown or its owner cannot see the item, so a mention reveals neither the item nor who has an
account.
"""

import re

from django.db.models import Q

from accounts.models import User
from learning.models import LearningItem

# `@` not inside a word (an email address written plainly is not a mention), then an address.
MENTION = re.compile(r"(?<![\w.+@-])@([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)")

HOW_TO_MENTION = (
    "To tell someone in the portal at once, write @ and their email address, for example "
    "@lead.north@example.org."
)


def mentioned_addresses(text):
    """The addresses mentioned in `text`, lower case, in the order first written."""
    seen = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), match.group(0))
    return list(seen)


def can_see(person, item):
    return LearningItem.objects.for_user(person).filter(pk=item.pk).exists()


def resolve_mentions(text, *, item, writer):
    """(people to tell, addresses that told nobody) for the mentions in `text`. The writer's
    own address tells nobody and is not reported."""
    addresses = [a for a in mentioned_addresses(text) if a != writer.email.lower()]
    if not addresses:
        return [], []
    matching = Q()
    for address in addresses:
        matching |= Q(email__iexact=address)
    found = {
        person.email.lower(): person for person in User.objects.filter(matching, is_active=True)
    }
    told, not_told = [], []
    for address in addresses:
        person = found.get(address)
        if person is not None and can_see(person, item):
            told.append(person)
        else:
            not_told.append(address)
    return told, not_told
