"""Writes that span the regions app's models."""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal import page_cache
from regions.models import (
    OdsRefresh,
    OdsRegionMapping,
    Organisation,
    OrganisationName,
    PatientSafetyCollaborative,
    Region,
    RegionScheme,
)
from regions.ods import TRACKED, OdsTrust, ods_plan, snapshot_of

REFERENCE_DATA_FILE = Path(__file__).resolve().parent / "data" / "reference.json"

SCHEME_FIELDS = ["name", "description", "valid_from", "valid_to", "is_programme_scheme"]
ORGANISATION_FIELDS = ["kind", "name", "ods_code", "closed_on", "successor"]
KINDS = (
    "schemes",
    "regions",
    "organisations",
    "former names",
    "collaboratives",
    "ODS region mappings",
)


class ReferenceDataError(ValueError):
    """The reference data file is malformed or refers to something that does not exist."""


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def summary(self):
        line = (
            f"Reference data: {self.created.total()} created, {self.updated.total()} updated, "
            f"{self.unchanged.total()} unchanged."
        )
        for label, counts in (("Created", self.created), ("Updated", self.updated)):
            if counts.total():
                parts = ", ".join(f"{counts[kind]} {kind}" for kind in KINDS if counts[kind])
                line += f" {label}: {parts}."
        return line


def reference_data_read(path=REFERENCE_DATA_FILE):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as error:
        raise ReferenceDataError(f"Cannot read reference data from {path}: {error}") from error


def reference_data_load(*, data, update=False):
    """Create the schemes, regions, organisations and PSCs in `data` that do not exist yet.

    Rows are matched by slug. Existing rows are left exactly as they are, so corrections
    made in the admin survive a reload; with `update=True` the rows the data describes are
    overwritten from it (rows it does not describe are still left alone).

    A row's own collections (an organisation's former names, a PSC's coverage) are written
    only when the row is created here, or with `update=True`: former names have no key but
    the name itself, so re-adding "missing" ones would bring back a name an admin corrected.
    """
    loader = _Loader(data, update=update)
    with transaction.atomic():
        # Loaded in bulk, without the signals that tell the kept pages of a change.
        page_cache.pages_changed()
        loader.load_schemes()
        loader.load_regions()
        loader.load_organisations()
        loader.load_collaboratives()
        loader.load_ods_regions()
    return loader.result


class _Loader:
    def __init__(self, data, *, update):
        if not isinstance(data, dict):
            raise ReferenceDataError("The reference data must be a JSON object.")
        self.data = data
        self.update = update
        self.result = LoadResult()

    def rows(self, key):
        return _rows(self.data, key, key)

    def count(self, kind, outcome):
        getattr(self.result, outcome)[kind] += 1

    def load_schemes(self):
        rows = self.rows("schemes")
        programme = [row["slug"] for row in rows if row.get("is_programme_scheme")]
        if len(programme) > 1:
            raise ReferenceDataError(f"Only one scheme can be the programme's: {programme}.")
        existing = {scheme.slug: scheme for scheme in RegionScheme.objects.all()}
        # A programme scheme chosen in the admin wins over the file, unless updating.
        programme_chosen = any(scheme.is_programme_scheme for scheme in existing.values())
        if self.update and programme:
            RegionScheme.objects.filter(is_programme_scheme=True).exclude(slug=programme[0]).update(
                is_programme_scheme=False
            )
        new, changed = [], []
        for row in rows:
            where = f"scheme {row.get('slug')!r}"
            values = {
                "name": _required(row, "name", where),
                "description": row.get("description", ""),
                "valid_from": _date(_required(row, "valid_from", where), where),
                "valid_to": _date(row.get("valid_to"), where),
                "is_programme_scheme": bool(row.get("is_programme_scheme")),
            }
            scheme = existing.get(_required(row, "slug", where))
            if scheme is None:
                if programme_chosen and not self.update:
                    values["is_programme_scheme"] = False
                new.append(_valid(RegionScheme(slug=row["slug"], **values), where))
                self.count("schemes", "created")
            elif self.update and _assign(scheme, values):
                changed.append(_valid(scheme, where))
                self.count("schemes", "updated")
            else:
                self.count("schemes", "unchanged")
        RegionScheme.objects.bulk_update(changed, SCHEME_FIELDS)
        RegionScheme.objects.bulk_create(new)
        self.schemes = {scheme.slug: scheme for scheme in RegionScheme.objects.all()}

    def load_regions(self):
        existing = {
            (region.scheme.slug, region.slug): region
            for region in Region.objects.select_related("scheme")
        }
        new, changed = [], []
        for scheme_row in self.rows("schemes"):
            scheme = self.schemes[scheme_row["slug"]]
            for row in _rows(scheme_row, "regions", f"scheme {scheme.slug!r} regions"):
                where = f"region {scheme.slug}/{row.get('slug')}"
                values = {
                    "name": _required(row, "name", where),
                    "display_order": row.get("display_order", 0),
                }
                region = existing.get((scheme.slug, _required(row, "slug", where)))
                if region is None:
                    region = Region(scheme=scheme, slug=row["slug"], **values)
                    new.append(_valid(region, where, exclude=["scheme"]))
                    self.count("regions", "created")
                elif self.update and _assign(region, values):
                    changed.append(_valid(region, where, exclude=["scheme"]))
                    self.count("regions", "updated")
                else:
                    self.count("regions", "unchanged")
        Region.objects.bulk_update(changed, ["name", "display_order"])
        Region.objects.bulk_create(new)
        self.regions = {
            f"{region.scheme.slug}/{region.slug}": region
            for region in Region.objects.select_related("scheme")
        }

    def load_organisations(self):
        rows = self.rows("organisations")
        existing = {org.slug: org for org in Organisation.objects.all()}
        created_slugs = set()
        new = []
        for row in rows:
            where = f"organisation {row.get('slug')!r}"
            slug = _required(row, "slug", where)
            if slug not in existing:
                # Successors are set below, once every organisation has a primary key.
                org = Organisation(slug=slug, **self._organisation_values(row, where))
                new.append(_valid(org, where, exclude=["successor"]))
                created_slugs.add(slug)
        Organisation.objects.bulk_create(new)
        organisations = {org.slug: org for org in Organisation.objects.all()}

        changed, names_to_write = [], []
        for row in rows:
            where = f"organisation {row['slug']!r}"
            org = organisations[row["slug"]]
            values = self._organisation_values(row, where)
            successor = row.get("successor")
            if successor and successor not in organisations:
                raise ReferenceDataError(f"{where}: no organisation {successor!r}.")
            values["successor_id"] = organisations[successor].pk if successor else None
            if org.slug in created_slugs:
                _assign(org, values)
                changed.append(org)
                self.count("organisations", "created")
                names_to_write.append((org, row))
            elif self.update:
                if _assign(org, values):
                    changed.append(_valid(org, where, exclude=["successor"]))
                    self.count("organisations", "updated")
                else:
                    self.count("organisations", "unchanged")
                names_to_write.append((org, row))
            else:
                self.count("organisations", "unchanged")
                for _ in row.get("former_names", []):
                    self.count("former names", "unchanged")
        Organisation.objects.bulk_update(changed, ORGANISATION_FIELDS)
        self._load_former_names(names_to_write)
        self.organisations = organisations

    def _organisation_values(self, row, where):
        kind = _required(row, "kind", where)
        if kind not in Organisation.Kind.values:
            raise ReferenceDataError(
                f"{where}: unknown kind {kind!r} (one of {', '.join(Organisation.Kind.values)})."
            )
        return {
            "kind": kind,
            "name": _required(row, "name", where),
            "ods_code": row.get("ods_code") or "",
            "closed_on": _date(row.get("closed_on"), where),
        }

    def _load_former_names(self, names_to_write):
        existing = {
            (former.organisation_id, former.name): former
            for former in OrganisationName.objects.filter(
                organisation__in=[org for org, _ in names_to_write]
            )
        }
        new, changed = [], []
        for org, row in names_to_write:
            for name_row in row.get("former_names", []):
                where = f"organisation {org.slug!r}, former name {name_row.get('name')!r}"
                values = {
                    "used_from": _date(name_row.get("used_from"), where),
                    "used_until": _date(_required(name_row, "used_until", where), where),
                }
                former = existing.get((org.pk, _required(name_row, "name", where)))
                if former is None:
                    former = OrganisationName(organisation=org, name=name_row["name"], **values)
                    new.append(_valid(former, where, exclude=["organisation"]))
                    self.count("former names", "created")
                elif _assign(former, values):
                    changed.append(_valid(former, where, exclude=["organisation"]))
                    self.count("former names", "updated")
                else:
                    self.count("former names", "unchanged")
        OrganisationName.objects.bulk_update(changed, ["used_from", "used_until"])
        OrganisationName.objects.bulk_create(new)

    def load_collaboratives(self):
        rows = self.rows("collaboratives")
        existing = {
            psc.slug: psc for psc in PatientSafetyCollaborative.objects.prefetch_related("regions")
        }
        new, changed, coverage = [], [], {}
        for row in rows:
            where = f"collaborative {row.get('slug')!r}"
            slug = _required(row, "slug", where)
            host = self._reference(self.organisations, _required(row, "host", where), where)
            primary = self._reference(self.regions, _required(row, "primary_region", where), where)
            region_ids = {
                self._reference(self.regions, key, where).pk for key in row.get("regions", [])
            }
            psc = existing.get(slug)
            if psc is not None and not self.update:
                # Left alone, and not checked against the rules below: an administrator may
                # since have moved the programme to another scheme, say.
                self.count("collaboratives", "unchanged")
                continue
            if host.kind != Organisation.Kind.HEALTH_INNOVATION_NETWORK:
                raise ReferenceDataError(f"{where}: the host must be a health innovation network.")
            if not primary.scheme.is_programme_scheme:
                raise ReferenceDataError(
                    f"{where}: the primary region must be in the programme's scheme."
                )
            values = {"host_id": host.pk, "primary_region_id": primary.pk}
            if psc is None:
                psc = PatientSafetyCollaborative(slug=slug, **values)
                new.append(_valid(psc, where, exclude=["host", "primary_region"]))
                coverage[slug] = region_ids
                self.count("collaboratives", "created")
            else:
                fields_changed = _assign(psc, values)
                coverage_changed = region_ids != {region.pk for region in psc.regions.all()}
                if fields_changed:
                    changed.append(psc)
                if coverage_changed:
                    coverage[slug] = region_ids
                outcome = "updated" if fields_changed or coverage_changed else "unchanged"
                self.count("collaboratives", outcome)
        PatientSafetyCollaborative.objects.bulk_update(changed, ["host", "primary_region"])
        PatientSafetyCollaborative.objects.bulk_create(new)

        Coverage = PatientSafetyCollaborative.regions.through
        ids = dict(
            PatientSafetyCollaborative.objects.filter(slug__in=coverage).values_list("slug", "pk")
        )
        Coverage.objects.filter(patientsafetycollaborative_id__in=ids.values()).delete()
        Coverage.objects.bulk_create(
            Coverage(patientsafetycollaborative_id=ids[slug], region_id=region_id)
            for slug, region_ids in coverage.items()
            for region_id in sorted(region_ids)
        )

    def load_ods_regions(self):
        """Rows are keyed by region and ICB code; one that exists is the admin's to edit."""
        existing = set(OdsRegionMapping.objects.values_list("nhs_england_code", "icb_code"))
        new = []
        for row in _rows(self.data, "ods_regions", "ods_regions", keyed_by_slug=False):
            where = f"ODS region mapping {row.get('nhs_england_code')} {row.get('icb_code', '')}"
            key = (_required(row, "nhs_england_code", where), row.get("icb_code", ""))
            if key in existing:
                self.count("ODS region mappings", "unchanged")
                continue
            existing.add(key)
            england = self._reference(
                self.regions, _required(row, "nhs_england_region", where), where
            )
            programme = self._reference(
                self.regions, _required(row, "programme_region", where), where
            )
            if not programme.scheme.is_programme_scheme:
                raise ReferenceDataError(
                    f"{where}: the programme region must be in the programme's scheme."
                )
            new.append(
                OdsRegionMapping(
                    nhs_england_code=key[0],
                    icb_code=key[1],
                    nhs_england_region=england,
                    programme_region=programme,
                )
            )
            self.count("ODS region mappings", "created")
        OdsRegionMapping.objects.bulk_create(new)

    @staticmethod
    def _reference(objects, key, where):
        try:
            return objects[key]
        except KeyError:
            raise ReferenceDataError(f"{where}: nothing called {key!r}.") from None


def _rows(data, key, where, keyed_by_slug=True):
    rows = data.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ReferenceDataError(f'{where}: "{key}" must be a list of objects.')
    if not keyed_by_slug:
        return rows
    slugs = Counter(row.get("slug") for row in rows)
    if duplicates := sorted(str(slug) for slug, n in slugs.items() if n > 1):
        raise ReferenceDataError(f"{where}: the same slug is used twice: {', '.join(duplicates)}.")
    return rows


def _required(row, key, where):
    value = row.get(key)
    if value in (None, ""):
        raise ReferenceDataError(f'{where}: "{key}" is required.')
    return value


def _date(value, where):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReferenceDataError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _assign(obj, values):
    """Set attributes on obj; return whether any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _valid(obj, where, exclude=None):
    """Check field values (lengths, choices, slugs) without touching the database."""
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as error:
        raise ReferenceDataError(f"{where}: {error.message_dict}") from None
    return obj


def organisation_add(*, name, kind):
    """An organisation someone recording their work did not find in the list (a trust or a
    university, say). Its slug is made from the name; the national team tidies the list in
    the admin, where the history says who added it."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name)[:90] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    organisation = Organisation(slug=slug, kind=kind, name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


# NHS trusts from the Organisation Data Service (regions/ods.py reads the file and plans).


class OdsPlanChanged(Exception):
    """The organisations changed between the preview and the apply; nothing was applied."""


class OdsAlreadyApplied(Exception):
    """Someone has applied this file already; nothing was applied again."""


def organisations_load_from_ods(*, trusts, by=None, reason="Loaded from the ODS file"):
    """Create and update NHS trusts from ODS rows (regions/ods.py says which fields change).

    Idempotent: a second load of the same file writes nothing. Every row written gets a
    history record naming `by` (nobody for the shipped file) and `reason`.
    """
    with transaction.atomic():
        # One ODS load at a time, so two cannot both create the same trust.
        list(OdsRegionMapping.objects.select_for_update().values_list("pk"))
        plan = ods_plan(trusts)
        _ods_plan_apply(plan, by=by, reason=reason)
    return plan


def ods_refresh_upload(*, file_name, trusts, by):
    return OdsRefresh.objects.create(
        file_name=file_name[:200], trusts=[trust.as_json() for trust in trusts], uploaded_by=by
    )


def ods_refresh_apply(*, refresh, by, fingerprint):
    """Apply an uploaded file, all or nothing, once, and only as previewed: when the plan
    differs from the one the person saw (fingerprint), nothing is applied."""
    trusts = [OdsTrust.from_json(row) for row in refresh.trusts]
    with transaction.atomic():
        # The conditional update claims the refresh: a second apply, or a second tab's,
        # finds it applied and changes nothing.
        claimed = OdsRefresh.objects.filter(pk=refresh.pk, applied_at__isnull=True).update(
            applied_at=timezone.now(), applied_by=by
        )
        if not claimed:
            raise OdsAlreadyApplied
        list(OdsRegionMapping.objects.select_for_update().values_list("pk"))
        plan = ods_plan(trusts)
        if plan.fingerprint != fingerprint:
            raise OdsPlanChanged
        _ods_plan_apply(plan, by=by, reason=f"Refreshed from ODS file {refresh.file_name}")
        OdsRefresh.objects.filter(pk=refresh.pk).update(outcome=plan.counts())
    refresh.refresh_from_db()
    return plan


def _ods_plan_apply(plan, *, by, reason):
    if not plan.changes_anything:
        return
    page_cache.pages_changed()
    history = {"default_user": by, "default_change_reason": reason}
    taken = set(Organisation.objects.values_list("slug", flat=True))
    new = []
    for trust in plan.added:
        slug, number = f"ods-{trust.ods_code.lower()}", 2
        while slug in taken:
            slug, number = f"ods-{trust.ods_code.lower()}-{number}", number + 1
        taken.add(slug)
        values = plan.values[trust.ods_code]
        new.append(
            Organisation(
                slug=slug,
                kind=Organisation.Kind.NHS_TRUST,
                ods_code=trust.ods_code,
                ods_values=snapshot_of(values),
                **values,
            )
        )
    if new:
        bulk_create_with_history(new, Organisation, batch_size=500, **history)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    former = [
        OrganisationName(organisation=org, name=old, used_until=yesterday)
        for org, old, _new in plan.renamed
        if not org.former_names.filter(name=old).exists()
    ]
    changed = []
    for pk in plan.changes.keys() | plan.snapshots.keys():
        org = plan.organisations[pk]
        _assign(org, plan.changes.get(pk, {}))
        org.ods_values = plan.snapshots.get(pk, org.ods_values)
        changed.append(org)
    if changed:
        bulk_update_with_history(
            changed, Organisation, [*TRACKED, "ods_values"], batch_size=500, **history
        )
    OrganisationName.objects.bulk_create(former)
