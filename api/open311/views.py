"""The GeoReport v2 methods: discovery, services, a service definition, service requests (GET a
list, GET one, POST one). Errors answer in the format asked for (XML for an unknown one) as
the specification's list of ``{code, description}``: 404 for what does not exist, 403 for a
missing or wrong ``api_key``, 429 for the rate limit, 400 for anything else a client sends.

- The requests are the public list's meldingen (``selectors.openbare_meldingen``, the
  queryset of ``/meldingen/``); the text, the place and the point only once the wijkmanager
  has marked the melding publishable (as its tracking page shows them), never the reporter's
  address, account, photos or anything said to them.
- A POST is the web form: the same form validates it (with the location mapped onto its
  wijk), the same rate limit per client address counts it (one counter for both), the same
  service stores and audits it; the key's user is the reporter, as a signed-in resident is.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    ValidationError,
)
from django.db.models import Case, CharField, F, TextField, Value, When
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api.authentication import gebruik_vastleggen, sleutel_uit
from pagecache.services import compressed_response_headers, memoised, memoised_body
from participation import selectors, services
from participation.forms import MeldingForm
from participation.models import GESLOTEN_STATUSSEN, OPEN_STATUSSEN, Meldingstatus, Thema
from participation.views import _limited
from places import geo
from places.models import Wijk

from . import formats
from .changeset import changeset
from .formats import Lijst

# GeoReport v2, "Response Volume": 90 days or the first 1000 requests, whichever is smaller.
MAX_DAGEN = 90
MAX_REQUESTS = 1000
# A melding's public code (participation.models.nieuwe_code).
_CODE = re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
# What the form stores as a point: six decimals. A client sending more is rounded, not refused.
_FIJN_GETAL = re.compile(r"[+-]?\d{1,3}\.\d{7,40}")
_ZES_DECIMALEN = Decimal("0.000001")
# C0 control characters other than tab and line breaks, and DEL: no text a person writes.
_STUURTEKENS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The form's fields as Open311 names them.
PARAMETERS = {
    "tekst": "description",
    "plek": "address_string",
    "lengtegraad": "long",
    "breedtegraad": "lat",
    "wijk": "address_id",
    "thema": "service_code",
    "email": "email",
    "betreft_groep": "attribute[betreft_groep]",
}
GROEP = "betreft_groep"


class Fout(Exception):
    """An error answer: the HTTP status and one description per error."""

    def __init__(self, status: int, *beschrijvingen):
        super().__init__(*beschrijvingen)
        self.status = status
        self.beschrijvingen = beschrijvingen


def _open311(*methods):
    """The format from the URL's extension, the allowed methods, and every ``Fout`` as an
    Open311 error body. The language is the portal's (Dutch, or the visitor's choice by the
    language switch), whatever the client's Accept-Language says, as on the pages."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, formaat, **kwargs):
            if formaat not in formats.CONTENT_TYPES:
                return formats.fouten(
                    "xml", 404, _("Dit formaat bestaat niet: gebruik .xml of .json.")
                )
            if request.method not in methods:
                response = formats.fouten(formaat, 405, _("Deze methode is hier niet toegestaan."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, formaat=formaat, **kwargs)
            except Fout as fout:
                return formats.fouten(formaat, fout.status, *fout.beschrijvingen)

        # A POST is authenticated by its api_key alone, never by a session: no CSRF to fear.
        return csrf_exempt(wrapped)

    return decorate


def _sleutel(formaat: str, naam: str) -> str:
    return f"open311:{naam}:{translation.get_language()}:{formaat}"


def _bewaard(formaat: str, naam: str, maak) -> bytes:
    """The body, kept under the public version (every change to a melding or a theme bumps
    it) for everyone who asks the same in the same language."""
    return memoised(_sleutel(formaat, naam), maak)


# ------------------------------------------------------------------------------ discovery


@_open311("GET", "HEAD")
def discovery(request, formaat):
    site = settings.SITE_URL.rstrip("/")
    gewijzigd = changeset()
    waarde = {
        "changeset": gewijzigd,
        "contact": _(
            "Vragen over deze koppeling: de functioneel beheerder van het wijkaanpakportaal, "
            "%(site)s."
        )
        % {"site": site},
        "key_service": _(
            "Lezen kan zonder sleutel. Wie meldingen wil doen, meldt zich aan op %(site)s, "
            "maakt een API-sleutel en stuurt die mee als api_key."
        )
        % {"site": site},
        "endpoints": Lijst(
            "endpoint",
            [
                {
                    "specification": formats.SPECIFICATIE,
                    "url": f"{site}/open311/v2",
                    "changeset": gewijzigd,
                    "type": "test" if settings.DEMO_DATA_ALLOWED else "production",
                    # The MIME types, without their parameters.
                    "formats": Lijst(
                        "format", [ct.split(";")[0] for ct in formats.CONTENT_TYPES.values()]
                    ),
                }
            ],
        ),
    }
    return formats.antwoord(formaat, formats.inhoud(formaat, "discovery", waarde))


# ------------------------------------------------------------------------------- services


def _afhandeling_tekst(naam: str, dagen: int) -> str:
    return _("De wijkmanager bekijkt een melding over %(thema)s binnen %(dagen)s werkdagen.") % {
        "thema": naam,
        "dagen": dagen,
    }


def _afhandeling(thema) -> str:
    return _afhandeling_tekst(thema.naam, thema.afhandeltermijn)


def _service(thema) -> dict:
    return {
        "service_code": thema.slug,
        "service_name": thema.naam,
        "description": _afhandeling(thema),
        # One optional attribute (the form's "Voor wie speelt dit?"): see the definition.
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": None,
    }


def _attributen() -> Lijst:
    """The form's fields beyond the ones GeoReport names: who it concerns."""
    veld = MeldingForm.base_fields[GROEP]
    return Lijst(
        "attribute",
        [
            {
                "variable": True,
                "code": GROEP,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Zonder antwoord: alleen voor de melder zelf."),
                "order": 1,
                "description": str(veld.label),
                "values": Lijst(
                    "value", [{"key": key, "name": str(naam)} for key, naam in veld.choices]
                ),
            }
        ],
    )


@_open311("GET", "HEAD")
def service_list(request, formaat):
    def maak():
        themas = Thema.objects.filter(actief=True).only(
            "naam", "slug", "afhandeltermijn", "volgorde"
        )
        return formats.inhoud(formaat, "services", Lijst("service", [_service(t) for t in themas]))

    return formats.antwoord(formaat, _bewaard(formaat, "services", maak))


@_open311("GET", "HEAD")
def service_definition(request, code, formaat):
    if not _SLUG.fullmatch(code):
        raise Fout(404, _("service_code: dit thema bestaat niet."))

    def maak():
        thema = Thema.objects.filter(actief=True, slug=code).only("slug").first()
        if thema is None:
            raise Fout(404, _("service_code: dit thema bestaat niet."))
        waarde = {"service_code": thema.slug, "attributes": _attributen()}
        return formats.inhoud(formaat, "service_definition", waarde)

    return formats.antwoord(formaat, _bewaard(formaat, f"service:{code}", maak))


# ------------------------------------------------------------------------ GET requests


def _openbaar():
    """The public list's meldingen as rows of what a request shows. What is not yet
    publishable (the text, the place, the point) never leaves the database."""

    def openbaar(veld, **leeg):
        return Case(When(publiceerbaar=True, then=F(veld)), **leeg)

    return selectors.openbare_meldingen().values(
        "code",
        "status",
        "hoofdmelding_id",
        "ingediend_op",
        "gewijzigd_op",
        "afgesloten_op",
        "termijn_op",
        "thema__naam",
        "thema__slug",
        "thema__afhandeltermijn",
        "wijk__naam",
        "wijk__slug",
        openbare_tekst=openbaar("tekst", default=Value(""), output_field=TextField()),
        openbare_plek=openbaar("plek", default=Value(""), output_field=CharField()),
        openbare_lengtegraad=openbaar("lengtegraad"),
        openbare_breedtegraad=openbaar("breedtegraad"),
    )


class _Vertaald:
    """What every row of a list says alike, translated once per list rather than per row."""

    def __init__(self):
        self.statussen = {status: str(label) for status, label in Meldingstatus.choices}
        self.dubbel = _("(dubbel van een andere melding; wordt daarmee afgehandeld)")
        self.afhandeling = {}
        self.tijdzone = timezone.get_current_timezone()
        self.termijnen = {}

    def notice(self, rij) -> str:
        slug = rij["thema__slug"]
        if slug not in self.afhandeling:
            self.afhandeling[slug] = _afhandeling_tekst(
                rij["thema__naam"], rij["thema__afhandeltermijn"]
            )
        return self.afhandeling[slug]

    def w3(self, moment) -> str | None:
        if moment is None:
            return None
        return moment.astimezone(self.tijdzone).isoformat(timespec="seconds")

    def termijn(self, dag) -> str:
        # The tracking page's "Streefdatum": by the end of that day.
        if dag not in self.termijnen:
            eind = datetime.datetime.combine(dag, datetime.time(23, 59, 59))
            self.termijnen[dag] = self.w3(timezone.make_aware(eind, self.tijdzone))
        return self.termijnen[dag]


def _graad(waarde) -> float | None:
    return None if waarde is None else float(waarde)


def _request(rij: dict, vertaald: _Vertaald) -> dict:
    is_open = rij["status"] in OPEN_STATUSSEN
    notities = vertaald.statussen[rij["status"]]
    if rij["hoofdmelding_id"]:
        notities = f"{notities} {vertaald.dubbel}"
    bijgewerkt = rij["gewijzigd_op"]
    if not is_open and rij["afgesloten_op"]:
        bijgewerkt = rij["afgesloten_op"]
    plek = rij["openbare_plek"]
    return {
        "service_request_id": rij["code"],
        "status": "open" if is_open else "closed",
        "status_notes": notities,
        "service_name": rij["thema__naam"],
        "service_code": rij["thema__slug"],
        "description": rij["openbare_tekst"] or None,
        "agency_responsible": None,
        "service_notice": vertaald.notice(rij),
        "requested_datetime": vertaald.w3(rij["ingediend_op"]),
        "updated_datetime": vertaald.w3(bijgewerkt),
        "expected_datetime": vertaald.termijn(rij["termijn_op"]) if is_open else None,
        "address": f"{plek + ', ' if plek else ''}{rij['wijk__naam']}, Rotterdam",
        "address_id": rij["wijk__slug"],
        "zipcode": None,
        "lat": _graad(rij["openbare_breedtegraad"]),
        "long": _graad(rij["openbare_lengtegraad"]),
        # Photos are the reporter's personal data: never public.
        "media_url": None,
    }


def _requests(formaat: str, rijen) -> bytes:
    vertaald = _Vertaald()
    items = [_request(rij, vertaald) for rij in rijen]
    return formats.inhoud(formaat, "service_requests", Lijst("request", items))


@dataclass(frozen=True)
class Filters:
    codes: tuple[str, ...] = ()
    themas: tuple[str, ...] = ()
    begin: datetime.datetime | None = None
    eind: datetime.datetime | None = None
    statussen: tuple[str, ...] = ()
    pagina: int = 1
    per_pagina: int = MAX_REQUESTS


def _lijst_param(request, naam: str, max_items: int) -> list[str]:
    waarde = request.GET.get(naam, "")
    items = [item.strip() for item in waarde.split(",") if item.strip()]
    if _STUURTEKENS.search(waarde):
        raise Fout(
            400, _("%(param)s: bevat stuurtekens, die zijn niet toegestaan.") % {"param": naam}
        )
    if len(waarde) > max_items * 20 or len(items) > max_items:
        raise Fout(400, _("%(param)s: hoogstens %(n)s waarden.") % {"param": naam, "n": max_items})
    return items


def _moment(request, naam: str) -> datetime.datetime | None:
    waarde = request.GET.get(naam, "").strip()
    if not waarde:
        return None
    # A "+01:00" that was not percent-encoded arrives as " 01:00".
    waarde = re.sub(r" (\d\d:?\d\d)$", r"+\1", waarde)
    fout = Fout(
        400,
        _("%(param)s: gebruik het w3-formaat, bijvoorbeeld 2026-01-01T00:00:00Z.")
        % {"param": naam},
    )
    if len(waarde) > 40 or _STUURTEKENS.search(waarde):
        raise fout
    try:
        moment = parse_datetime(waarde)
        if moment is None:
            dag = parse_date(waarde)
            if dag is None:
                raise fout
            moment = datetime.datetime.combine(dag, datetime.time.min)
    except (ValueError, OverflowError) as exc:
        raise fout from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _getal(request, naam: str, standaard: int, maximum: int) -> int:
    waarde = request.GET.get(naam, "").strip()
    if not waarde:
        return standaard
    if not (waarde.isascii() and waarde.isdigit() and len(waarde) < 7) or not (
        1 <= int(waarde) <= maximum
    ):
        raise Fout(
            400,
            _("%(param)s: een geheel getal van 1 tot en met %(max)s.")
            % {"param": naam, "max": maximum},
        )
    return int(waarde)


def _filters(request) -> Filters:
    codes = tuple(
        dict.fromkeys(c.upper() for c in _lijst_param(request, "service_request_id", 1000))
    )
    themas = tuple(sorted(set(_lijst_param(request, "service_code", 100))))
    statussen = tuple(sorted({s.lower() for s in _lijst_param(request, "status", 2)}))
    if not set(statussen) <= {"open", "closed"}:
        raise Fout(400, _("status: open, closed of beide (gescheiden door een komma)."))
    begin, eind = _moment(request, "start_date"), _moment(request, "end_date")
    pagina = _getal(request, "page", 1, 100_000)
    per_pagina = _getal(request, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    if codes:
        # "This overrides all other arguments."
        return Filters(codes=codes, pagina=pagina, per_pagina=per_pagina)
    span = datetime.timedelta(days=MAX_DAGEN)
    if begin is not None and eind is not None:
        if eind < begin:
            raise Fout(400, _("end_date ligt vóór start_date."))
        if eind - begin > span:
            raise Fout(
                400,
                _("start_date en end_date liggen hoogstens %(dagen)s dagen uit elkaar.")
                % {"dagen": MAX_DAGEN},
            )
    elif begin is not None:
        eind = begin + span
    elif eind is not None:
        begin = eind - span
    else:
        # The most recent 90 days, counted in whole days so that the answer can be kept for
        # the rest of the day (a new melding bumps the public version anyway).
        vandaag = timezone.localdate()
        begin = timezone.make_aware(datetime.datetime.combine(vandaag - span, datetime.time.min))
    return Filters(
        themas=themas,
        begin=begin,
        eind=eind,
        statussen=statussen,
        pagina=pagina,
        per_pagina=per_pagina,
    )


def _zoek(filters: Filters):
    qs = _openbaar()
    if filters.codes:
        qs = qs.filter(code__in=[c for c in filters.codes if _CODE.fullmatch(c)])
    else:
        qs = qs.filter(ingediend_op__gte=filters.begin)
        if filters.eind is not None:
            qs = qs.filter(ingediend_op__lte=filters.eind)
        if filters.themas:
            qs = qs.filter(thema__slug__in=filters.themas)
        if filters.statussen == ("open",):
            qs = qs.filter(status__in=OPEN_STATUSSEN)
        elif filters.statussen == ("closed",):
            qs = qs.filter(status__in=GESLOTEN_STATUSSEN)
    begin = (filters.pagina - 1) * filters.per_pagina
    return qs[begin : begin + filters.per_pagina]


def _request_list(request, formaat):
    filters = _filters(request)
    sleutel = hashlib.sha256(repr(filters).encode()).hexdigest()
    naam = f"requests:{timezone.localdate().isoformat()}:{sleutel}"
    # Up to a thousand requests (about 0.7 MB): compressed once and kept too for a client
    # that accepts gzip (a tenth of the size). Public text only, nothing from the request.
    body, gecomprimeerd = memoised_body(
        request,
        _sleutel(formaat, naam),
        lambda: _requests(formaat, _zoek(filters)),
    )
    return compressed_response_headers(formats.antwoord(formaat, body), gecomprimeerd)


@_open311("GET", "HEAD")
def service_request(request, code, formaat):
    code = code.upper()
    niet_gevonden = Fout(404, _("Deze melding bestaat niet."))
    if not _CODE.fullmatch(code):
        raise niet_gevonden

    def maak():
        meldingen = list(_openbaar().filter(code=code)[:1])
        if not meldingen:
            raise niet_gevonden
        return _requests(formaat, meldingen)

    return formats.antwoord(formaat, _bewaard(formaat, f"request:{code}", maak))


# ----------------------------------------------------------------------- POST requests


def _tekst(post, naam: str, *, regels: bool = False) -> str:
    """A text parameter; control characters are refused (tab and line breaks only in a text
    that may have lines)."""
    waarde = post.get(naam, "")
    if regels:
        gevonden = _STUURTEKENS.search(waarde)
    else:
        gevonden = _STUURTEKENS.search(waarde) or re.search(r"[\t\n\r]", waarde)
    if gevonden:
        raise Fout(
            400,
            _("%(param)s: bevat stuurtekens, die zijn niet toegestaan.") % {"param": naam},
        )
    return waarde.strip()


def _graad_invoer(waarde: str) -> str:
    """A coordinate as the form takes it: with more than six decimals, rounded to six."""
    if _FIJN_GETAL.fullmatch(waarde):
        try:
            return str(Decimal(waarde).quantize(_ZES_DECIMALEN, rounding=ROUND_HALF_EVEN))
        except InvalidOperation:
            return waarde
    return waarde


def _fout(veld: str | None, tekst) -> str:
    param = PARAMETERS.get(veld) if veld else None
    return f"{param}: {tekst}" if param else str(tekst)


def _wijk(post, lat: str, lon: str, adres: str, fouten: list[str]):
    """The wijk the melding is about: ``address_id`` names it (its slug), else the point lies
    in it. The form then checks that the point, if any, lies in that wijk."""
    wijk_id = _tekst(post, "address_id")
    if wijk_id:
        wijk = (
            Wijk.objects.filter(slug=wijk_id.lower()).only("pk").first()
            if len(wijk_id) <= 100
            else None
        )
        if wijk is None:
            veld = MeldingForm.base_fields["wijk"]
            fouten.append(_fout("wijk", veld.error_messages["invalid_choice"]))
        return wijk
    if lat and lon:
        wijken = geo.wijken_bij_punt(lon, lat)
        if len(wijken) == 1:
            return wijken[0]
        if len(wijken) > 1:
            fouten.append(
                _fout(
                    "wijk",
                    _("Dit punt ligt in %(wijken)s: geef met address_id aan welke (%(slugs)s).")
                    % {
                        "wijken": " / ".join(w.naam for w in wijken),
                        "slugs": ", ".join(w.slug for w in wijken),
                    },
                )
            )
        # None: the form says that the point lies outside Rotterdam's wijken.
        return None
    if lat or lon:
        # The form says that a point has two numbers.
        return None
    if adres:
        fouten.append(
            _fout(
                "plek",
                _(
                    "Alleen een adres kunnen we niet aan een wijk koppelen: geef ook lat en "
                    "long, of address_id (de wijk)."
                ),
            )
        )
    else:
        fouten.append(_("Geef de plek op: lat en long, of address_id (de wijk)."))
    return None


def _post(request):
    try:
        return request.POST
    except (
        RequestDataTooBig,
        TooManyFieldsSent,
        SuspiciousOperation,
        MultiPartParserError,
        UnreadablePostError,
    ) as exc:
        raise Fout(400, _("Dit verzoek is te groot of niet te lezen.")) from exc


def _melden(request, formaat):
    post = _post(request)
    sleutel = sleutel_uit(post.get("api_key") or request.GET.get("api_key", ""))
    if sleutel is None:
        raise Fout(403, _("api_key ontbreekt, is ongeldig of is ingetrokken: er is niets gemeld."))
    code = _tekst(post, "service_code")
    if not code:
        raise Fout(400, _("service_code: geef het thema op (zie services)."))
    thema = Thema.objects.filter(actief=True, slug=code).first() if _SLUG.fullmatch(code) else None
    if thema is None:
        raise Fout(404, _("service_code: dit thema bestaat niet (zie services)."))

    fouten: list[str] = []
    lat = _graad_invoer(_tekst(post, "lat"))
    lon = _graad_invoer(_tekst(post, "long"))
    adres = _tekst(post, "address_string")
    wijk = _wijk(post, lat, lon, adres, fouten)
    form = MeldingForm(
        {
            "tekst": _tekst(post, "description", regels=True),
            "wijk": wijk.pk if wijk is not None else "",
            "thema": thema.pk,
            "plek": adres,
            "lengtegraad": lon,
            "breedtegraad": lat,
            "betreft_groep": _tekst(post, f"attribute[{GROEP}]") or "0",
            "email": _tekst(post, "email"),
            "website": "",
        }
    )
    valid = form.is_valid()
    for veld, berichten in form.errors.items():
        # Without a wijk the form asks for one; what is wrong with the location is said above
        # or next to the coordinates.
        if veld == "wijk" and wijk is None:
            continue
        fouten += [_fout(None if veld == "__all__" else veld, b) for b in berichten]
    if fouten or not valid:
        raise Fout(400, *(fouten or [_("Geef de plek op: lat en long, of address_id (de wijk).")]))
    if _limited(request, "melding", settings.MELDING_RATE):
        raise Fout(
            429,
            _("Vanaf dit adres zijn net al meldingen gedaan. Probeer het over een uur opnieuw."),
        )
    data = form.cleaned_data
    try:
        melding = services.melding_create(
            gegevens=services.NieuweMelding(
                tekst=data["tekst"],
                thema=data["thema"],
                wijk=data["wijk"],
                plek=data["plek"],
                lengtegraad=data["lengtegraad"],
                breedtegraad=data["breedtegraad"],
                buurtcode=data["buurtcode"],
                betreft_groep=data["betreft_groep"],
                email=data["email"],
                melder=sleutel.user,
            )
        )
    except ValidationError as exc:
        raise Fout(400, *exc.messages) from exc
    gebruik_vastleggen(sleutel)
    waarde = Lijst(
        "request",
        [
            {
                "service_request_id": melding.code,
                "service_notice": _afhandeling(thema),
                "account_id": None,
            }
        ],
    )
    return formats.antwoord(formaat, formats.inhoud(formaat, "service_requests", waarde), 201)


@_open311("GET", "HEAD", "POST")
def service_requests(request, formaat):
    if request.method == "POST":
        return _melden(request, formaat)
    return _request_list(request, formaat)
