"""Loading Rotterdam's reference data from CSV files of the shape in ``places/data/``."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Gebied, Werkgebied, Wijk, WijkprofielScore, Wijkraad

DATA_DIR = Path(__file__).resolve().parent / "data"

COLUMNS = {
    "gebieden.csv": {"code", "naam", "slug", "cbs_wijknaam"},
    "wijkraden.csv": {"naam", "slug", "soort", "gebied", "wijk_slugs"},
    "wijken.csv": {"slug", "naam", "gebied_slug", "cbs_buurtcodes", "inwoners", "inwoners_jaar"},
    "wijkprofiel.csv": {"wijk_slug", "jaar", "fysieke_index", "veiligheidsindex", "sociale_index"},
}
RAAD_PREFIXES = ("Wijkraad ", "Dorpsraad ")


class ReferenceDataError(ValueError):
    pass


@dataclass
class ImportResult:
    gebieden: int = 0
    werkgebieden: int = 0
    wijken: int = 0
    wijkprofielscores: int = 0


def _read(directory: Path, name: str) -> list[dict]:
    path = directory / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = COLUMNS[name] - set(reader.fieldnames or [])
            if missing:
                raise ReferenceDataError(f"{name}: ontbrekende kolommen {sorted(missing)}")
            return list(reader)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"{path} bestaat niet") from exc


def _werkgebied_naam(raad_naam: str) -> str:
    for prefix in RAAD_PREFIXES:
        if raad_naam.startswith(prefix):
            return raad_naam[len(prefix) :]
    return raad_naam


def _werkgebied_slug(raad_slug: str) -> str:
    for prefix in ("wijkraad-", "dorpsraad-"):
        if raad_slug.startswith(prefix):
            return raad_slug[len(prefix) :]
    return raad_slug


def _int_or_none(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


@transaction.atomic
def reference_data_import(*, directory: Path = DATA_DIR) -> ImportResult:
    """Create or update every place from the CSV files in ``directory``. Idempotent: running
    it again with a newer file of the same shape updates the rows in place."""
    rows = {name: _read(directory, name) for name in COLUMNS}
    result = ImportResult()

    gebieden = {}
    for row in rows["gebieden.csv"]:
        gebied, _ = Gebied.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "code": row["code"],
                "naam": row["naam"],
                "cbs_wijknaam": row["cbs_wijknaam"],
            },
        )
        gebieden[gebied.naam] = gebieden[gebied.slug] = gebied
        result.gebieden += 1

    werkgebied_of_wijk = {}
    for row in rows["wijkraden.csv"]:
        try:
            gebied = gebieden[row["gebied"]]
        except KeyError as exc:
            raise ReferenceDataError(f"wijkraden.csv: onbekend gebied {row['gebied']!r}") from exc
        werkgebied, _ = Werkgebied.objects.update_or_create(
            slug=_werkgebied_slug(row["slug"]),
            defaults={"naam": _werkgebied_naam(row["naam"]), "gebied": gebied},
        )
        Wijkraad.objects.update_or_create(
            werkgebied=werkgebied,
            defaults={"naam": row["naam"], "slug": row["slug"], "soort": row["soort"]},
        )
        for wijk_slug in filter(None, row["wijk_slugs"].split(";")):
            werkgebied_of_wijk[wijk_slug.strip()] = werkgebied
        result.werkgebieden += 1

    wijken = {}
    for row in rows["wijken.csv"]:
        try:
            gebied = gebieden[row["gebied_slug"]]
        except KeyError as exc:
            raise ReferenceDataError(f"wijken.csv: onbekend gebied {row['gebied_slug']!r}") from exc
        wijk, _ = Wijk.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "naam": row["naam"],
                "gebied": gebied,
                "werkgebied": werkgebied_of_wijk.get(row["slug"]),
                "cbs_buurtcodes": [c for c in row["cbs_buurtcodes"].split(";") if c],
                "inwoners": _int_or_none(row["inwoners"]),
                "inwoners_jaar": _int_or_none(row["inwoners_jaar"]),
                "opmerking": row.get("opmerking", ""),
            },
        )
        wijken[wijk.slug] = wijk
        result.wijken += 1

    unknown = set(werkgebied_of_wijk) - set(wijken)
    if unknown:
        raise ReferenceDataError(f"wijkraden.csv: onbekende wijken {sorted(unknown)}")

    for row in rows["wijkprofiel.csv"]:
        try:
            wijk = wijken[row["wijk_slug"]]
        except KeyError as exc:
            raise ReferenceDataError(
                f"wijkprofiel.csv: onbekende wijk {row['wijk_slug']!r}"
            ) from exc
        WijkprofielScore.objects.update_or_create(
            wijk=wijk,
            jaar=int(row["jaar"]),
            defaults={
                "fysieke_index": int(row["fysieke_index"]),
                "veiligheidsindex": int(row["veiligheidsindex"]),
                "sociale_index": int(row["sociale_index"]),
            },
        )
        result.wijkprofielscores += 1
    return result
