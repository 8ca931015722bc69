"""Reading the Organisation Data Service's file of NHS trusts (etr.csv), as ODS publishes it.

The file has no header row and every field quoted; regions/data/ods/README.md says what each
column means. Reading only: what the rows change is decided in regions/services.py.
"""

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from regions.models import OdsRegionMapping, Organisation, Region

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "ods" / "etr.csv"

# A newer file from ODS is about 100 KB; anything much bigger is not that file.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

CODE, NAME, REGION, ICB, CLOSE_DATE = 0, 1, 2, 3, 11
_CODE = re.compile(r"[A-Z0-9]{3,10}", re.ASCII)

# Words kept as ODS writes them (in capitals), and small words kept in lower case when not
# the first word: the way people write trusts' names.
CAPITALS = {"NHS", "UK", "ICB", "ICS", "CIC", "HIV", "GP"}
SMALL_WORDS = {"and", "of", "the", "for", "on", "upon", "in", "at", "with", "by"}


class OdsFileError(ValueError):
    """The file is not an ODS file of NHS trusts; the message says why, for a person."""


@dataclass(frozen=True)
class OdsTrust:
    ods_code: str
    name: str
    nhs_england_code: str
    icb_code: str
    closed_on: datetime.date | None

    def as_json(self):
        return {**asdict(self), "closed_on": self.closed_on and self.closed_on.isoformat()}

    @classmethod
    def from_json(cls, row):
        closed_on = row["closed_on"] and datetime.date.fromisoformat(row["closed_on"])
        return cls(**{**row, "closed_on": closed_on})


def name_as_written(name):
    """ "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" -> "Guy's and St Thomas' NHS Foundation
    Trust": each word capitalised, "NHS", acronyms and words with digits (codes) kept in
    capitals, small words in lower case but first."""
    words = []
    for position, word in enumerate(name.split()):
        bare = word.strip(",.()&")
        if bare.upper() in CAPITALS or any(ch.isdigit() for ch in bare):
            words.append(word.upper())
        elif position > 0 and word.lower() in SMALL_WORDS:
            words.append(word.lower())
        else:
            # Each part of "STOKE-ON-TRENT" is a word; capitalize() lowers the rest, so
            # "GUY'S" becomes "Guy's" where str.title() would give "Guy'S".
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _decode(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OdsFileError("The file is not text. Choose the etr.csv file from ODS.")


def _date(value, row_number):
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise OdsFileError(
            f"Row {row_number}: the close date {value[:20]!r} is not a date written YYYYMMDD."
        ) from None


def read_trusts(content):
    """The trusts in an ODS etr.csv file (bytes), or OdsFileError saying what is wrong."""
    if len(content) > MAX_BYTES:
        raise OdsFileError("The file is larger than 2 MB, so it is not the ODS file of trusts.")
    text = _decode(content)
    if "\x00" in text:
        raise OdsFileError("The file is not text. Choose the etr.csv file from ODS.")
    trusts, seen = [], set()
    try:
        for row_number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if not any(cell.strip() for cell in row):
                continue
            if row_number > MAX_ROWS:
                raise OdsFileError(f"The file has more than {MAX_ROWS:,} rows.")
            if len(row) <= CLOSE_DATE:
                raise OdsFileError(
                    f"Row {row_number} has {len(row)} columns; the ODS file of trusts has at "
                    "least 12. Choose the etr.csv file from ODS."
                )
            code = row[CODE].strip().upper()
            if not _CODE.fullmatch(code):
                raise OdsFileError(f"Row {row_number}: {code[:20]!r} is not an ODS code.")
            if code in seen:
                raise OdsFileError(f"Row {row_number}: the ODS code {code} is in the file twice.")
            seen.add(code)
            name = " ".join(row[NAME].split())
            if not name or len(name) > 200:
                raise OdsFileError(f"Row {row_number}: the name must be 1 to 200 characters.")
            trusts.append(
                OdsTrust(
                    ods_code=code,
                    name=name_as_written(name),
                    nhs_england_code=row[REGION].strip()[:10],
                    icb_code=row[ICB].strip()[:10],
                    closed_on=_date(row[CLOSE_DATE].strip(), row_number),
                )
            )
    except csv.Error as error:
        raise OdsFileError(f"The file is not a CSV file ODS would write: {error}.") from None
    if not trusts:
        raise OdsFileError("The file has no trusts in it.")
    return trusts


def read_shipped_trusts():
    return read_trusts(SHIPPED_FILE.read_bytes())


# What a file would change. Reads the database; the writes are in regions/services.py.

TRACKED = ("name", "closed_on", "nhs_england_region_id", "programme_region_id")
FIELD_WORDS = {
    "name": "name",
    "closed_on": "close date",
    "nhs_england_region_id": "NHS England region",
    "programme_region_id": "programme region",
}


@dataclass
class OdsPlan:
    """The changes a file makes: rows to create, fields to change, and what ODS last gave for
    every trust in it (`snapshots`), so the next file is compared with this one."""

    added: list = field(default_factory=list)  # OdsTrust
    renamed: list = field(default_factory=list)  # (organisation, old name, new name)
    closed: list = field(default_factory=list)  # (organisation, close date)
    reopened: list = field(default_factory=list)  # organisation
    moved: list = field(default_factory=list)  # (organisation, what, old region, new region)
    kept: list = field(default_factory=list)  # (organisation, what, portal's value, ODS's)
    # Trusts with no programme region: outside England, or a region code with no mapping.
    unmapped: list = field(default_factory=list)  # OdsTrust
    unchanged: int = 0
    changes: dict = field(default_factory=dict)  # organisation pk: {field: value}
    snapshots: dict = field(default_factory=dict)  # organisation pk: ods_values
    organisations: dict = field(default_factory=dict)  # pk: Organisation
    values: dict = field(default_factory=dict)  # ODS code: the values the file gives
    region_names: dict = field(default_factory=dict)  # region pk: name

    def added_rows(self):
        """(trust, its programme region's name) for the preview."""
        return [
            (trust, self.region_names.get(self.values[trust.ods_code]["programme_region_id"]))
            for trust in self.added
        ]

    @property
    def fingerprint(self):
        """Stands for the whole plan: a preview shown and an apply that would do something
        else (another refresh applied in between, an edit) have different fingerprints."""
        data = {
            "added": [trust.as_json() for trust in self.added],
            "changes": sorted((pk, sorted(values.items())) for pk, values in self.changes.items()),
            "snapshots": sorted((pk, sorted(v.items())) for pk, v in self.snapshots.items()),
        }
        return hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()

    @property
    def changes_anything(self):
        return bool(self.added or self.changes or self.snapshots)

    def counts(self):
        return {
            "added": len(self.added),
            "renamed": len(self.renamed),
            "closed": len(self.closed),
            "reopened": len(self.reopened),
            "moved": len(self.moved),
            "kept": len(self.kept),
            "unchanged": self.unchanged,
        }


class RegionMap:
    """The editable mapping from an NHS England region code (and ICB code) to regions."""

    def __init__(self):
        self.rows = {
            (row.nhs_england_code, row.icb_code): row for row in OdsRegionMapping.objects.all()
        }

    def regions_of(self, trust):
        row = self.rows.get((trust.nhs_england_code, trust.icb_code)) or self.rows.get(
            (trust.nhs_england_code, "")
        )
        if row is None:
            return None, None
        return row.nhs_england_region_id, row.programme_region_id


def snapshot_of(values):
    return {**values, "closed_on": values["closed_on"] and values["closed_on"].isoformat()}


def ods_plan(trusts):
    """What loading `trusts` would change, without changing anything.

    For each tracked field of an organisation ODS already gave values for: when the file says
    what ODS said last time, nothing changes (so an edit made here stands); when the file says
    something new and the field still holds what ODS said last time, the new value is taken;
    when a person has edited the field since, their value is kept and the plan says so.
    An organisation with the ODS code that no ODS load has touched (added by hand) gets only
    the fields it has empty.
    """
    regions = RegionMap()
    region_names = dict(Region.objects.values_list("pk", "name"))
    existing = {org.ods_code.upper(): org for org in Organisation.objects.exclude(ods_code="")}
    plan = OdsPlan(region_names=region_names)

    def shown(name, value):
        return region_names.get(value) if name.endswith("region_id") else value

    for trust in trusts:
        england_id, programme_id = regions.regions_of(trust)
        if programme_id is None:
            plan.unmapped.append(trust)
        values = {
            "name": trust.name,
            "closed_on": trust.closed_on,
            "nhs_england_region_id": england_id,
            "programme_region_id": programme_id,
        }
        plan.values[trust.ods_code] = values
        org = existing.get(trust.ods_code)
        if org is None:
            plan.added.append(trust)
            continue
        plan.organisations[org.pk] = org
        last = org.ods_values
        changes = {}
        for name in TRACKED:
            new, current = values[name], getattr(org, name)
            if name not in last:
                if current in (None, ""):
                    changes[name] = new
                elif current != new:
                    plan.kept.append(
                        (org, FIELD_WORDS[name], shown(name, current), shown(name, new))
                    )
                continue
            previous = last[name]
            if name == "closed_on" and previous:
                previous = datetime.date.fromisoformat(previous)
            if new in (previous, current):
                continue
            if current == previous:
                changes[name] = new
            else:
                plan.kept.append((org, FIELD_WORDS[name], shown(name, current), shown(name, new)))
        for name, new in changes.items():
            current = getattr(org, name)
            if name == "name":
                plan.renamed.append((org, current, new))
            elif name == "closed_on":
                if new is None:
                    plan.reopened.append(org)
                else:
                    plan.closed.append((org, new))
            else:
                plan.moved.append((org, FIELD_WORDS[name], shown(name, current), shown(name, new)))
        snapshot = snapshot_of(values)
        if changes:
            plan.changes[org.pk] = changes
        if snapshot != last:
            plan.snapshots[org.pk] = snapshot
        if not changes:
            plan.unchanged += 1
    return plan
