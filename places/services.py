"""Loading Rotterdam's reference data from CSV files of the shape in ``places/data/``, and a
beheerder's upload of a newer Wijkprofiel file."""

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


# --- Uploading a newer Wijkprofiel -------------------------------------------------------------

WIJKPROFIEL_MAX_BYTES = 1_000_000
WIJKPROFIEL_MAX_REGELS = 5_000
# More errors than this are counted, not listed: the first ones tell what is wrong.
WIJKPROFIEL_MAX_FOUTEN = 50
WIJKPROFIEL_JAREN = (2000, 2100)
WIJKPROFIEL_INDEX_MAX = 500
WIJKPROFIEL_INDICES = ("fysieke_index", "veiligheidsindex", "sociale_index")
# ASCII digits only: int() would also take "+7", " 7", "1_0" and other scripts' digits.
_CIJFERS = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class WijkprofielRegel:
    regel: int
    wijk_id: int
    jaar: int
    waarden: tuple[int, int, int]  # in the order of WIJKPROFIEL_INDICES


@dataclass(frozen=True)
class WijkprofielImportResultaat:
    bestand: str
    regels: int
    nieuw: int
    gewijzigd: int
    ongewijzigd: int
    jaren: list[int] = field(default_factory=list)


def _toon(waarde: str) -> str:
    """A cell as quoted in an error message: short, without control characters. (The page
    escapes it; it is never evaluated, so a formula is just text.)"""
    waarde = "".join(c if c.isprintable() else "?" for c in waarde)
    return f"“{waarde[:40]}…”" if len(waarde) > 40 else f"“{waarde}”"


def _bestandsnaam(file) -> str:
    naam = PureWindowsPath(getattr(file, "name", "") or "").name
    return "".join(c for c in naam if c.isprintable())[:200]


class _Fouten:
    """Collects the errors of a file, listing the first WIJKPROFIEL_MAX_FOUTEN."""

    def __init__(self):
        self.lijst: list[ValidationError] = []
        self.aantal = 0

    def __call__(self, message: str, code: str, **params):
        self.aantal += 1
        if len(self.lijst) < WIJKPROFIEL_MAX_FOUTEN:
            self.lijst.append(ValidationError(message, code=code, params=params))

    def raise_if_any(self):
        if not self.aantal:
            return
        fouten = list(self.lijst)
        if self.aantal > len(self.lijst):
            meer = self.aantal - len(self.lijst)
            fouten.append(
                ValidationError(
                    ngettext(
                        "En nog %(aantal)s fout die hier niet staat.",
                        "En nog %(aantal)s fouten die hier niet staan.",
                        meer,
                    ),
                    code="meer_fouten",
                    params={"aantal": meer},
                )
            )
        raise ValidationError(fouten)


def _tekst(file) -> str:
    """The file's text, or a ValidationError about why it is not a UTF-8 text file."""
    limiet = {"limiet": "1 MB"}
    if (getattr(file, "size", 0) or 0) > WIJKPROFIEL_MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot: het mag hoogstens %(limiet)s zijn."),
            code="te_groot",
            params=limiet,
        )
    data = file.read(WIJKPROFIEL_MAX_BYTES + 1)
    if len(data) > WIJKPROFIEL_MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot: het mag hoogstens %(limiet)s zijn."),
            code="te_groot",
            params=limiet,
        )
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if b"\x00" in data:
        raise ValidationError(
            _("Dit is geen CSV-bestand: het bevat binaire gegevens."), code="binair"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _(
                "Het bestand is geen tekst in UTF-8 (fout in byte %(positie)s). Sla het op als "
                "“CSV UTF-8 (door komma's gescheiden)”."
            ),
            code="geen_utf8",
            params={"positie": exc.start + 1},
        ) from exc


def _kolommen(kop: list[str]) -> list[str]:
    kolommen = [naam.strip() for naam in kop]
    ontbrekend = sorted(COLUMNS["wijkprofiel.csv"] - set(kolommen))
    if ontbrekend:
        message = _("Regel 1: de kopregel mist de kolom(men) %(kolommen)s.")
        if len(kop) == 1 and ";" in kop[0]:
            message += " " + _(
                "De kolommen zijn gescheiden door puntkomma's; gebruik komma's, zoals in "
                "“wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index”."
            )
        raise ValidationError(message, code="kolommen", params={"kolommen": ", ".join(ontbrekend)})
    dubbel = sorted({naam for naam in kolommen if kolommen.count(naam) > 1})
    if dubbel:
        raise ValidationError(
            _("Regel 1: de kolom(men) %(kolommen)s staan meer dan eens in de kopregel."),
            code="kolommen_dubbel",
            params={"kolommen": ", ".join(dubbel)},
        )
    return kolommen


def wijkprofiel_lezen(file) -> list[WijkprofielRegel]:
    """Read and check a whole Wijkprofiel CSV (the shape of ``places/data/wijkprofiel.csv``).
    Writes nothing. Raises one ValidationError listing every bad line with its number."""
    tekst = _tekst(file)
    reader = csv.reader(io.StringIO(tekst, newline=""))
    try:
        kop = next(reader, None)
    except csv.Error as exc:
        raise ValidationError(_("Regel 1: de kopregel is geen geldige CSV."), code="csv") from exc
    if not kop or not any(cel.strip() for cel in kop):
        raise ValidationError(_("Het bestand is leeg."), code="leeg")
    kolommen = _kolommen(kop)

    wijken = dict(Wijk.objects.values_list("slug", "pk"))
    fouten = _Fouten()
    regels: list[WijkprofielRegel] = []
    gezien: dict[tuple[int, int], int] = {}
    einde = reader.line_num
    aantal = 0
    while True:
        begin = einde + 1
        try:
            rij = next(reader, None)
        except csv.Error:
            # Python's reason is in English: name the usual causes instead.
            fouten(
                _(
                    "Regel %(regel)s: geen geldige CSV. Kijk of elk aanhalingsteken gesloten is "
                    "en geen veld extreem lang is."
                ),
                "csv",
                regel=begin,
            )
            break
        if rij is None:
            break
        einde = reader.line_num
        if not any(cel.strip() for cel in rij):
            continue  # blank lines (and the empty rows spreadsheets append) carry nothing
        aantal += 1
        if aantal > WIJKPROFIEL_MAX_REGELS:
            fouten(
                _("Het bestand heeft meer dan %(max)s regels met gegevens."),
                "te_veel_regels",
                max=WIJKPROFIEL_MAX_REGELS,
            )
            break
        if len(rij) != len(kolommen):
            fouten(
                ngettext(
                    "Regel %(regel)s: %(aantal)s veld, de kopregel heeft er %(verwacht)s.",
                    "Regel %(regel)s: %(aantal)s velden, de kopregel heeft er %(verwacht)s.",
                    len(rij),
                ),
                "velden",
                regel=begin,
                aantal=len(rij),
                verwacht=len(kolommen),
            )
            continue
        cellen = {naam: cel.strip() for naam, cel in zip(kolommen, rij, strict=True)}
        goed = True

        wijk_id = wijken.get(cellen["wijk_slug"])
        if wijk_id is None:
            goed = False
            if cellen["wijk_slug"]:
                fouten(
                    _("Regel %(regel)s: onbekende wijk %(wijk)s."),
                    "wijk",
                    regel=begin,
                    wijk=_toon(cellen["wijk_slug"]),
                )
            else:
                fouten(_("Regel %(regel)s: de wijk ontbreekt."), "wijk", regel=begin)

        jaar = None
        if _CIJFERS.fullmatch(cellen["jaar"]):
            jaar = int(cellen["jaar"])
        if jaar is None or not WIJKPROFIEL_JAREN[0] <= jaar <= WIJKPROFIEL_JAREN[1]:
            goed = False
            jaar = None
            fouten(
                _(
                    "Regel %(regel)s: jaar %(waarde)s is geen jaartal van %(van)s tot en met "
                    "%(tot)s."
                ),
                "jaar",
                regel=begin,
                waarde=_toon(cellen["jaar"]),
                van=WIJKPROFIEL_JAREN[0],
                tot=WIJKPROFIEL_JAREN[1],
            )

        waarden = []
        for kolom in WIJKPROFIEL_INDICES:
            cel = cellen[kolom]
            if _CIJFERS.fullmatch(cel) and int(cel) <= WIJKPROFIEL_INDEX_MAX:
                waarden.append(int(cel))
                continue
            goed = False
            fouten(
                _(
                    "Regel %(regel)s: %(kolom)s %(waarde)s is geen geheel getal van 0 tot en "
                    "met %(max)s."
                ),
                "index",
                regel=begin,
                kolom=kolom,
                waarde=_toon(cel),
                max=WIJKPROFIEL_INDEX_MAX,
            )

        if wijk_id is not None and jaar is not None:
            eerder = gezien.get((wijk_id, jaar))
            if eerder is not None:
                goed = False
                fouten(
                    _(
                        "Regel %(regel)s: wijk %(wijk)s, jaar %(jaar)s staat ook al op regel "
                        "%(eerder)s."
                    ),
                    "dubbel",
                    regel=begin,
                    wijk=_toon(cellen["wijk_slug"]),
                    jaar=jaar,
                    eerder=eerder,
                )
            else:
                gezien[wijk_id, jaar] = begin
        if goed:
            regels.append(WijkprofielRegel(begin, wijk_id, jaar, tuple(waarden)))

    if not aantal and not fouten.aantal:
        fouten(_("Het bestand bevat alleen een kopregel, geen gegevens."), "geen_gegevens")
    fouten.raise_if_any()
    return regels


def wijkprofiel_import(*, user, file) -> WijkprofielImportResultaat:
    """Import a newer Wijkprofiel CSV: all or nothing. Every line is checked before anything
    is written; a file with any error raises ValidationError (one message per bad line) and
    changes nothing. Scores of years already known are updated, new years added, in one
    transaction with the audit entry (which also bumps the public version, so the public pages
    show the new figures at once)."""
    from audit.services import audit_log
    from people.models import Rol

    if not user.has_perm("places.import_wijkprofiel"):
        raise PermissionDenied
    bestand = _bestandsnaam(file)
    regels = wijkprofiel_lezen(file)
    with transaction.atomic():
        bestaand = {
            (score.wijk_id, score.jaar): score
            for score in WijkprofielScore.objects.select_for_update().filter(
                wijk_id__in={r.wijk_id for r in regels}, jaar__in={r.jaar for r in regels}
            )
        }
        nieuw, gewijzigd, ongewijzigd = [], [], 0
        for regel in regels:
            waarden = dict(zip(WIJKPROFIEL_INDICES, regel.waarden, strict=True))
            score = bestaand.get((regel.wijk_id, regel.jaar))
            if score is None:
                nieuw.append(WijkprofielScore(wijk_id=regel.wijk_id, jaar=regel.jaar, **waarden))
            elif any(getattr(score, veld) != waarde for veld, waarde in waarden.items()):
                for veld, waarde in waarden.items():
                    setattr(score, veld, waarde)
                gewijzigd.append(score)
            else:
                ongewijzigd += 1
        # An upsert: a score another import added meanwhile is updated, not a crash.
        WijkprofielScore.objects.bulk_create(
            nieuw,
            update_conflicts=True,
            unique_fields=["wijk", "jaar"],
            update_fields=list(WIJKPROFIEL_INDICES),
        )
        WijkprofielScore.objects.bulk_update(gewijzigd, list(WIJKPROFIEL_INDICES))
        resultaat = WijkprofielImportResultaat(
            bestand=bestand,
            regels=len(regels),
            nieuw=len(nieuw),
            gewijzigd=len(gewijzigd),
            ongewijzigd=ongewijzigd,
            jaren=sorted({r.jaar for r in regels}),
        )
        # Bulk writes send no post_save, so ``invalidate_on_change`` does not fire: the audit
        # entry bumps the public version instead, in this transaction.
        audit_log(
            action="places.wijkprofiel_import",
            actor=user,
            actor_rol=Rol.BEHEERDER.value,
            target=None,
            data={
                "bestand": resultaat.bestand,
                "regels": resultaat.regels,
                "nieuw": resultaat.nieuw,
                "gewijzigd": resultaat.gewijzigd,
                "ongewijzigd": resultaat.ongewijzigd,
                "jaren": resultaat.jaren,
            },
        )
    return resultaat
