"""Finding an organisation from what a person wrote in a spreadsheet cell: its ODS code, its
current name or a former one, in any case, with or without punctuation, "NHS FT" for "NHS
Foundation Trust" and "&" for "and".

The organisations are read once (with their former names) into a lookup, so matching the
cells of a file of thousands of rows costs two queries, not one a row.
"""

import re
from dataclasses import dataclass

from regions.models import Organisation

# Short forms people write for the words in NHS bodies' names, applied word by word after
# punctuation is gone: "Leeds Teaching Hospitals NHS FT" is the trust's full name.
_ABBREVIATIONS = {
    "ft": "foundation trust",
    "&": "and",
    "univ": "university",
    "hosp": "hospital",
    "hosps": "hospitals",
}
_NOT_WORD = re.compile(r"[^\w&]+")


def normalise(text):
    """The words of a name, lower case, without punctuation, short forms written out."""
    words = _NOT_WORD.sub(
        " ", (text or "").replace("'", "").replace("’", "").replace(".", "").lower()
    ).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


class NoMatch(Exception):
    """What was written names no organisation, or several: the message says which."""


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    how: str  # "ODS code", "name" or "former name"

    def __str__(self):
        return f"{self.organisation.label} (by {self.how})"


class OrganisationMatcher:
    """Organisations by ODS code, name and former name, normalised."""

    def __init__(self, organisations=None):
        if organisations is None:
            organisations = Organisation.objects.prefetch_related("former_names")
        self.by_code = {}
        self.by_name = {}
        self.by_former_name = {}
        for organisation in organisations:
            if organisation.ods_code:
                self.by_code[organisation.ods_code.strip().upper()] = organisation
            self.by_name.setdefault(normalise(organisation.name), []).append(organisation)
            for former in organisation.former_names.all():
                self.by_former_name.setdefault(normalise(former.name), []).append(organisation)

    def match(self, text):
        """The Match for `text`, or NoMatch saying that it matches nothing or several."""
        written = (text or "").strip()
        if not written:
            raise NoMatch("Enter an organisation's name or ODS code")
        found = self.by_code.get(written.upper())
        if found is not None:
            return Match(found, "ODS code")
        key = normalise(written)
        for how, table in (("name", self.by_name), ("former name", self.by_former_name)):
            candidates = _distinct(table.get(key, []))
            if len(candidates) == 1:
                return Match(candidates[0], how)
            if len(candidates) > 1:
                raise NoMatch(_several(written, candidates))
        raise NoMatch(
            f"“{written}” matches no organisation: check the spelling, or use its ODS code"
        )


def _distinct(organisations):
    seen, kept = set(), []
    for organisation in organisations:
        if organisation.pk not in seen:
            seen.add(organisation.pk)
            kept.append(organisation)
    return kept


def _several(written, candidates):
    names = ", ".join(
        f"{o.name} ({o.ods_code})" if o.ods_code else o.name
        for o in sorted(candidates, key=lambda o: (o.name, o.ods_code))
    )
    return f"“{written}” matches several organisations: {names}. Use the ODS code"


def match_organisation(text, matcher=None):
    """One lookup's match for `text` (reads the organisations when no matcher is given)."""
    return (matcher or OrganisationMatcher()).match(text)
