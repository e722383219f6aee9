"""Writes of bewonersinitiatieven: the application and its co-signers, and every step of its
state machine. Each step locks the row, asks the same ``rules`` the views ask, checks the
version the page was read at, transitions, saves, books through ``ledger_bi`` (the ledger's own
services), writes its audit entry and puts the applicant's mail in the outbox, all in one
transaction. A refused step changes nothing and books nothing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from notices.models import Notice
from notices.services import notice_create
from people.roles import acting_role

from . import ledger_bi
from .models_bi import (
    AANTAL_MEDEONDERTEKENAARS,
    SPELREGELS,
    Beslisser,
    Bewonersinitiatief,
    BIStatus,
    Bon,
    Kostenpost,
    Medeondertekening,
    Regeling,
    Ronde,
    Verdeling,
)

KIND_STAP = "budgets.bi_stap"
KIND_MEDEONDERTEKENEN = "budgets.bi_medeondertekenen"
MAX_MEDEONDERTEKENAARS = 8


class BIError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is, next to
    ``field`` when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class BIStaleError(BIError):
    """Someone (or another tab) changed the application after the page was read."""


def _stale() -> BIStaleError:
    return BIStaleError(
        _(
            "Deze aanvraag is gewijzigd nadat u de pagina opende. Er is niets gewijzigd; "
            "bekijk de actuele stand en neem de stap dan opnieuw."
        )
    )


def regeling_van(werkgebied) -> Regeling:
    """The werkgebied's rules; Rotterdam's defaults when a beheerder set none."""
    regeling = Regeling.objects.filter(werkgebied=werkgebied).first()
    return regeling or Regeling(werkgebied=werkgebied)


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _euro(bedrag) -> str:
    return "€ " + f"{Decimal(bedrag):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _audit(action: str, *, user, initiatief, data: dict | None = None):
    return audit_log(
        action=f"budgets.{action}",
        actor=user,
        actor_rol=acting_role(user, initiatief.werkgebied) if user is not None else "",
        target=initiatief,
        data=data or {},
    )


def _mail_aanvrager(initiatief, *, entry, subject: str, regel: str) -> None:
    aanvrager = initiatief.aanvrager
    if aanvrager is None or not aanvrager.is_active:
        return
    body = "\n".join(
        [
            regel,
            "",
            _("Bekijk uw aanvraag: %(url)s") % {"url": _site_url(initiatief.get_absolute_url())},
        ]
    )
    notice_create(
        kind=KIND_STAP, recipients=[aanvrager], subject=subject, body=body, audit_entry=entry
    )


def _lock(initiatief_pk: int) -> Bewonersinitiatief:
    return (
        Bewonersinitiatief.objects.select_for_update(of=("self",))
        .select_related("werkgebied", "aanvrager")
        .get(pk=initiatief_pk)
    )


def _check(initiatief, *, user, perm: str, expected_versie: int | None, status) -> None:
    # Whoever may not see the application learns nothing about its version or status.
    if not user.has_perm("budgets.view_bewonersinitiatief", initiatief):
        raise BIError(_("U mag deze stap bij deze aanvraag niet nemen."))
    if expected_versie is not None and initiatief.versie != expected_versie:
        raise _stale()
    statussen = status if isinstance(status, tuple) else (status,)
    if initiatief.status not in statussen:
        raise BIError(
            _(
                "Deze aanvraag heeft de status ‘%(status)s’: deze stap kan nu niet. Er is niets "
                "gewijzigd."
            )
            % {"status": initiatief.get_status_display()}
        )
    obj = initiatief.werkgebied if perm.startswith("budgets.decide") else initiatief
    if not user.has_perm(perm, obj):
        raise BIError(_("U mag deze stap bij deze aanvraag niet nemen."))


def _bump(initiatief, *fields: str) -> None:
    initiatief.versie += 1
    initiatief.save(update_fields=["status", "versie", *fields])


# The application -----------------------------------------------------------------------


@dataclass
class Aanvraag:
    """What the application form gives (amounts already exact ``Decimal`` euros)."""

    titel: str
    wat: str
    voor_wie: str
    activiteit_datum: datetime.date
    uitvoerders: str
    eigen_bijdrage: Decimal
    andere_financiers: str
    bijdrage_anderen: Decimal
    geboortedatum: datetime.date | None
    verklaring_meerderjarig: bool
    kostenposten: list  # [(onderdeel, bedrag)]


def _gevraagd(aanvraag: Aanvraag) -> Decimal:
    totaal = sum((bedrag for _o, bedrag in aanvraag.kostenposten), Decimal("0"))
    return max(totaal - aanvraag.eigen_bijdrage - aanvraag.bijdrage_anderen, Decimal("0"))


def _vul(initiatief: Bewonersinitiatief, aanvraag: Aanvraag) -> None:
    for veld in (
        "titel",
        "wat",
        "voor_wie",
        "activiteit_datum",
        "uitvoerders",
        "eigen_bijdrage",
        "andere_financiers",
        "bijdrage_anderen",
        "geboortedatum",
        "verklaring_meerderjarig",
    ):
        setattr(initiatief, veld, getattr(aanvraag, veld))
    initiatief.gevraagd_bedrag = _gevraagd(aanvraag)


def aanvraag_opslaan(
    *,
    user,
    werkgebied,
    aanvraag: Aanvraag,
    initiatief: Bewonersinitiatief | None = None,
    expected_versie: int | None = None,
) -> Bewonersinitiatief:
    """Create the concept, or save it again. Checks of the regulation come at submission, so
    that a resident can keep a half-finished plan."""
    if not aanvraag.kostenposten:
        raise BIError(_("Vul minstens één kostenpost in."), field="kostenposten")
    with transaction.atomic():
        if initiatief is None:
            if not user.has_perm("budgets.apply_bewonersinitiatief", werkgebied):
                raise BIError(_("Alleen bewoners van dit werkgebied kunnen hier aanvragen."))
            initiatief = Bewonersinitiatief(werkgebied=werkgebied, aanvrager=user)
            _vul(initiatief, aanvraag)
            initiatief.save()
            actie = "bi_aangemaakt"
        else:
            initiatief = _lock(initiatief.pk)
            _check(
                initiatief,
                user=user,
                perm="budgets.change_bewonersinitiatief",
                expected_versie=expected_versie,
                status=BIStatus.CONCEPT,
            )
            _vul(initiatief, aanvraag)
            initiatief.versie += 1
            initiatief.save()
            initiatief.kostenposten.all().delete()
            actie = "bi_gewijzigd"
        Kostenpost.objects.bulk_create(
            Kostenpost(initiatief=initiatief, onderdeel=onderdeel, bedrag=bedrag)
            for onderdeel, bedrag in aanvraag.kostenposten
        )
        _audit(
            actie,
            user=user,
            initiatief=initiatief,
            data={"gevraagd": str(initiatief.gevraagd_bedrag)},
        )
    return initiatief


def medeondertekenaar_toevoegen(
    *, user, initiatief: Bewonersinitiatief, naam: str, email: str, expected_versie: int
) -> Medeondertekening:
    """Ask one other resident to sign: they get a one-time link by e-mail."""
    naam = " ".join((naam or "").split())[:150]
    email = (email or "").strip()
    if not naam:
        raise BIError(_("Vul de naam van de medeondertekenaar in."), field="naam")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.change_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.CONCEPT,
        )
        if initiatief.aanvrager and email.casefold() == initiatief.aanvrager.email.casefold():
            raise BIError(
                _(
                    "U bent de aanvrager: vraag vier andere bewoners van de wijk om te "
                    "ondertekenen."
                ),
                field="email",
            )
        bestaande = list(initiatief.medeondertekeningen.all())
        if any(m.email.casefold() == email.casefold() for m in bestaande):
            raise BIError(
                _("Deze bewoner staat al bij de medeondertekenaars: iedereen tekent één keer."),
                field="email",
            )
        if len(bestaande) >= MAX_MEDEONDERTEKENAARS:
            raise BIError(
                _("U kunt hoogstens %(n)s bewoners vragen te ondertekenen.")
                % {"n": MAX_MEDEONDERTEKENAARS},
                field="email",
            )
        try:
            with transaction.atomic():
                ondertekening = Medeondertekening.objects.create(
                    initiatief=initiatief, naam=naam, email=email
                )
        except IntegrityError as exc:
            raise BIError(
                _("Deze bewoner staat al bij de medeondertekenaars: iedereen tekent één keer."),
                field="email",
            ) from exc
        initiatief.versie += 1
        initiatief.save(update_fields=["versie"])
        entry = audit_log(
            action="budgets.bi_medeondertekenaar_gevraagd",
            actor=user,
            actor_rol=acting_role(user, initiatief.werkgebied),
            target=ondertekening,
            data={"initiatief": initiatief.pk},
        )
        notice_create(
            kind=KIND_MEDEONDERTEKENEN,
            recipients=[email],
            subject=_("Wilt u het bewonersinitiatief ‘%(titel)s’ ondertekenen?")
            % {"titel": initiatief.titel},
            audit_entry=entry,
        )
    return ondertekening


def render_medeondertekenen(notice: Notice) -> tuple[str, str]:
    """The mail with the one-time link (rendered when sent, so the outbox stores no token)."""
    ondertekening = (
        Medeondertekening.objects.select_related("initiatief__werkgebied")
        .filter(pk=int(notice.audit_entry.object_id))
        .first()
    )
    if ondertekening is None or ondertekening.is_bevestigd:
        raise LookupError("no co-signature waiting for confirmation")
    initiatief = ondertekening.initiatief
    body = "\n".join(
        [
            _("Beste %(naam)s,") % {"naam": ondertekening.naam},
            "",
            _(
                "Een bewoner van %(werkgebied)s vraagt een bijdrage aan voor het "
                "bewonersinitiatief ‘%(titel)s’ en vraagt u als bewoner van de wijk (12 jaar of "
                "ouder) het te ondertekenen. Lees het plan en bevestig via deze link (hij werkt "
                "één keer):"
            )
            % {"werkgebied": initiatief.werkgebied.naam, "titel": initiatief.titel},
            _site_url(reverse("bi-ondertekenen", kwargs={"token": ondertekening.token})),
            "",
            _("Kent u dit initiatief niet? Dan hoeft u niets te doen."),
        ]
    )
    return notice.subject, body


def ondertekening_per_token(token: str) -> Medeondertekening | None:
    if not token or len(token) > 64:
        return None
    return (
        Medeondertekening.objects.select_related("initiatief__werkgebied")
        .filter(token=token)
        .first()
    )


def medeondertekening_bevestigen(*, token: str, bewoner_12_plus: bool) -> Medeondertekening:
    """The co-signer followed the link and declares they live in the wijk and are 12+."""
    ongeldig = BIError(
        _("Deze link werkt niet (meer): hij is al gebruikt of de aanvraag is ingetrokken.")
    )
    if not bewoner_12_plus:
        raise BIError(
            _("Alleen bewoners van de wijk van 12 jaar of ouder kunnen ondertekenen."),
            field="bewoner_12_plus",
        )
    with transaction.atomic():
        ondertekening = (
            Medeondertekening.objects.select_for_update().filter(token=token).first()
            if token and len(token) <= 64
            else None
        )
        if ondertekening is None or ondertekening.is_bevestigd:
            raise ongeldig
        initiatief = _lock(ondertekening.initiatief_id)
        if initiatief.status != BIStatus.CONCEPT:
            raise ongeldig
        ondertekening.bevestigd_op = timezone.now()
        ondertekening.save(update_fields=["bevestigd_op"])
        initiatief.versie += 1
        initiatief.save(update_fields=["versie"])
        entry = audit_log(
            action="budgets.bi_medeondertekend",
            actor=None,
            target=ondertekening,
            data={"initiatief": initiatief.pk},
        )
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("%(naam)s heeft uw bewonersinitiatief ondertekend")
            % {"naam": ondertekening.naam},
            regel=_("%(naam)s heeft ‘%(titel)s’ ondertekend.")
            % {"naam": ondertekening.naam, "titel": initiatief.titel},
        )
    return ondertekening


def bezwaren_indienen(initiatief: Bewonersinitiatief, regeling: Regeling, *, vandaag) -> list:
    """What keeps the concept from being submitted: ``[(field, message)]`` in Dutch."""
    bezwaren = []
    bevestigd = sum(1 for m in initiatief.medeondertekeningen.all() if m.is_bevestigd)
    if bevestigd < AANTAL_MEDEONDERTEKENAARS:
        bezwaren.append(
            (
                None,
                _(
                    "Er zijn %(n)s van de %(nodig)s handtekeningen van andere bewoners "
                    "bevestigd. U kunt indienen zodra vier bewoners hebben bevestigd."
                )
                % {"n": bevestigd, "nodig": AANTAL_MEDEONDERTEKENAARS},
            )
        )
    uiterlijk = vandaag + datetime.timedelta(weeks=regeling.weken_vooraf)
    if initiatief.activiteit_datum < uiterlijk:
        bezwaren.append(
            (
                "activiteit_datum",
                _(
                    "Vraag minstens %(weken)s weken vóór de activiteit aan: de activiteit kan "
                    "op zijn vroegst op %(datum)s zijn."
                )
                % {"weken": regeling.weken_vooraf, "datum": uiterlijk.strftime("%d-%m-%Y")},
            )
        )
    if initiatief.gevraagd_bedrag <= 0:
        bezwaren.append(
            (
                "kostenposten",
                _("De kosten min uw eigen bijdrage en die van anderen zijn nul: u vraagt niets."),
            )
        )
    elif initiatief.gevraagd_bedrag > regeling.maximum:
        bezwaren.append(
            (
                "kostenposten",
                _("U vraagt %(gevraagd)s; in dit werkgebied is het maximum per initiatief %(max)s.")
                % {"gevraagd": _euro(initiatief.gevraagd_bedrag), "max": _euro(regeling.maximum)},
            )
        )
    if initiatief.geboortedatum:
        g = initiatief.geboortedatum
        leeftijd = vandaag.year - g.year - ((vandaag.month, vandaag.day) < (g.month, g.day))
        if leeftijd < regeling.minimumleeftijd:
            bezwaren.append(
                (
                    "geboortedatum",
                    _("De aanvrager moet %(n)s jaar of ouder zijn.")
                    % {"n": regeling.minimumleeftijd},
                )
            )
    elif not initiatief.verklaring_meerderjarig:
        bezwaren.append(
            (
                "verklaring_meerderjarig",
                _("Vul uw geboortedatum in of verklaar dat u %(n)s jaar of ouder bent.")
                % {"n": regeling.minimumleeftijd},
            )
        )
    return bezwaren


def open_ronde(werkgebied, vandaag) -> Ronde | None:
    return Ronde.objects.filter(
        werkgebied=werkgebied, open_vanaf__lte=vandaag, sluit_op__gte=vandaag
    ).first()


def indienen(*, user, initiatief: Bewonersinitiatief, expected_versie: int, vandaag=None):
    vandaag = vandaag or timezone.localdate()
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        if initiatief.status == BIStatus.INGEDIEND and initiatief.versie == expected_versie + 1:
            # The same submit a second time (a double click): already done.
            return initiatief
        _check(
            initiatief,
            user=user,
            perm="budgets.change_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.CONCEPT,
        )
        regeling = regeling_van(initiatief.werkgebied)
        bezwaren = bezwaren_indienen(initiatief, regeling, vandaag=vandaag)
        if regeling.verdeling == Verdeling.RONDES:
            ronde = open_ronde(initiatief.werkgebied, vandaag)
            if ronde is None:
                bezwaren.append(
                    (None, _("Er is nu geen ronde open; aanvragen kan in de volgende ronde."))
                )
            initiatief.ronde = ronde
        if bezwaren:
            raise BIError(" ".join(str(m) for _f, m in bezwaren), field=bezwaren[0][0])
        initiatief.indienen()
        initiatief.ingediend_op = timezone.now()
        initiatief.beslis_uiterlijk = vandaag + datetime.timedelta(
            weeks=regeling.beslistermijn_weken
        )
        _bump(initiatief, "ingediend_op", "beslis_uiterlijk", "ronde")
        entry = _audit("bi_ingediend", user=user, initiatief=initiatief)
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw bewonersinitiatief ‘%(titel)s’ is ingediend")
            % {"titel": initiatief.titel},
            regel=_("Wij hebben uw aanvraag ontvangen. U hoort uiterlijk %(datum)s het besluit.")
            % {"datum": initiatief.beslis_uiterlijk.strftime("%d-%m-%Y")},
        )
    return initiatief


def in_beoordeling_nemen(*, user, initiatief, expected_versie: int):
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.decide_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.INGEDIEND,
        )
        initiatief.beoordelen()
        _bump(initiatief)
        entry = _audit("bi_in_beoordeling", user=user, initiatief=initiatief)
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw bewonersinitiatief wordt beoordeeld"),
            regel=_("Uw aanvraag ‘%(titel)s’ wordt nu beoordeeld.") % {"titel": initiatief.titel},
        )
    return initiatief


def termijn_verlengen(*, user, initiatief, reden: str, expected_versie: int):
    """Extend the decision term once, to the regulation's longer term, with a reason."""
    reden = (reden or "").strip()
    if not reden:
        raise BIError(_("Geef de reden van de verlenging."), field="reden")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.decide_bewonersinitiatief",
            expected_versie=expected_versie,
            status=(BIStatus.INGEDIEND, BIStatus.IN_BEOORDELING),
        )
        if initiatief.verlengings_reden:
            raise BIError(_("De beslistermijn is al eens verlengd; dat kan één keer."))
        regeling = regeling_van(initiatief.werkgebied)
        begin = timezone.localdate(initiatief.ingediend_op)
        initiatief.beslis_uiterlijk = begin + datetime.timedelta(weeks=regeling.verlengd_tot_weken)
        initiatief.verlengings_reden = reden
        _bump(initiatief, "beslis_uiterlijk", "verlengings_reden")
        entry = _audit(
            "bi_termijn_verlengd", user=user, initiatief=initiatief, data={"reden": reden}
        )
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("De beslistermijn van uw bewonersinitiatief is verlengd"),
            regel=_("U hoort uiterlijk %(datum)s het besluit. Reden: %(reden)s")
            % {"datum": initiatief.beslis_uiterlijk.strftime("%d-%m-%Y"), "reden": reden},
        )
    return initiatief


def _toetsingen_schoon(toetsingen: dict) -> dict:
    """``{code: (voldoet, toelichting)}`` for all seven spelregels, each with a note."""
    schoon = {}
    for code, label in SPELREGELS:
        voldoet, toelichting = toetsingen.get(code, (None, ""))
        toelichting = (toelichting or "").strip()
        if voldoet is None or not toelichting:
            raise BIError(
                _("Beoordeel elke spelregel en licht hem toe: ‘%(regel)s’ ontbreekt.")
                % {"regel": label},
                field=f"toelichting_{code}",
            )
        schoon[code] = (bool(voldoet), toelichting)
    return schoon


def _besluit(initiatief, toetsingen: dict, user) -> None:
    from .models_bi import Toetsing

    initiatief.toetsingen.all().delete()
    Toetsing.objects.bulk_create(
        Toetsing(initiatief=initiatief, spelregel=code, voldoet=v, toelichting=t)
        for code, (v, t) in toetsingen.items()
    )
    initiatief.besloten_op = timezone.now()
    initiatief.besluit_door = (
        Beslisser.WIJKMANAGER
        if regeling_van(initiatief.werkgebied).beslisser == Beslisser.WIJKMANAGER
        else Beslisser.WIJKRAAD
    )


def toekennen(*, user, initiatief, bedrag: Decimal, toetsingen: dict, expected_versie: int):
    """Award ``bedrag`` (at most what was asked and what is left in the werkgebied's
    bewonersinitiatieven part) and reserve it in the ledger, in one transaction."""
    if not isinstance(bedrag, Decimal) or bedrag <= 0:
        raise BIError(_("Vul een bedrag in euro’s in, groter dan nul."), field="bedrag")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.decide_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.IN_BEOORDELING,
        )
        if bedrag > initiatief.gevraagd_bedrag:
            raise BIError(
                _("U kunt niet meer toekennen dan gevraagd is (%(gevraagd)s).")
                % {"gevraagd": _euro(initiatief.gevraagd_bedrag)},
                field="bedrag",
            )
        schoon = _toetsingen_schoon(toetsingen)
        over = ledger_bi.beschikbaar(initiatief=initiatief)
        if over is None:
            raise BIError(
                _(
                    "Er is voor %(jaar)s geen budget voor bewonersinitiatieven vastgesteld in "
                    "%(werkgebied)s: er kan niets worden toegekend."
                )
                % {"jaar": initiatief.activiteit_datum.year, "werkgebied": initiatief.werkgebied},
                field="bedrag",
            )
        if bedrag > over:
            raise BIError(
                _(
                    "Er is nog %(over)s over in het budget voor bewonersinitiatieven: u kunt "
                    "niet meer toekennen."
                )
                % {"over": _euro(over)},
                field="bedrag",
            )
        initiatief.toekennen()
        initiatief.toegekend_bedrag = bedrag
        _besluit(initiatief, schoon, user)
        try:
            initiatief.reservering = ledger_bi.reserveren(
                initiatief=initiatief, bedrag=bedrag, user=user
            )
        except ledger_bi.LedgerWeigert as exc:
            raise BIError(exc.message, field="bedrag") from exc
        _bump(initiatief, "toegekend_bedrag", "besloten_op", "besluit_door", "reservering")
        entry = _audit(
            "bi_toegekend",
            user=user,
            initiatief=initiatief,
            data={"bedrag": str(bedrag), "spelregels": {c: v for c, (v, _t) in schoon.items()}},
        )
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw bewonersinitiatief ‘%(titel)s’ is toegekend")
            % {"titel": initiatief.titel},
            regel=_("U krijgt %(bedrag)s voor uw initiatief.") % {"bedrag": _euro(bedrag)},
        )
    return initiatief


def afwijzen(*, user, initiatief, redenen: str, toetsingen: dict, expected_versie: int):
    redenen = (redenen or "").strip()
    if not redenen:
        raise BIError(_("Geef de redenen van de afwijzing."), field="redenen")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.decide_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.IN_BEOORDELING,
        )
        schoon = _toetsingen_schoon(toetsingen)
        initiatief.afwijzen()
        initiatief.afwijzing_redenen = redenen
        _besluit(initiatief, schoon, user)
        _bump(initiatief, "afwijzing_redenen", "besloten_op", "besluit_door")
        entry = _audit("bi_afgewezen", user=user, initiatief=initiatief, data={"redenen": redenen})
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw bewonersinitiatief ‘%(titel)s’ is afgewezen")
            % {"titel": initiatief.titel},
            regel=_("De redenen: %(redenen)s") % {"redenen": redenen},
        )
    return initiatief


def uitbetalen(*, user, initiatief, expected_versie: int, bedrag: Decimal | None = None):
    """Pay the awarded amount, or less (once): booked by the ledger against the reservation;
    what is not paid is released at the verantwoording."""
    if bedrag is not None and (not isinstance(bedrag, Decimal) or bedrag <= 0):
        raise BIError(_("Vul een bedrag in euro’s in, groter dan nul."), field="bedrag")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        if not user.has_perm("budgets.pay_bewonersinitiatief", initiatief.werkgebied):
            raise BIError(_("U mag deze stap bij deze aanvraag niet nemen."))
        if initiatief.status in (BIStatus.UITBETAALD, BIStatus.VERANTWOORD):
            raise BIError(_("Dit initiatief is al uitbetaald; er wordt niet twee keer betaald."))
        if initiatief.status != BIStatus.TOEGEKEND:
            raise BIError(_("Alleen een toegekend initiatief kan worden uitbetaald."))
        if initiatief.versie != expected_versie:
            raise _stale()
        if bedrag is not None and bedrag > initiatief.toegekend_bedrag:
            raise BIError(
                _(
                    "Er is %(toegekend)s toegekend: meer dan dat wordt niet uitbetaald. Er is "
                    "niets geboekt."
                )
                % {"toegekend": _euro(initiatief.toegekend_bedrag)},
                field="bedrag",
            )
        initiatief.uitbetalen()
        initiatief.uitbetaald_bedrag = bedrag or initiatief.toegekend_bedrag
        initiatief.uitbetaald_op = timezone.now()
        _bump(initiatief, "uitbetaald_bedrag", "uitbetaald_op")
        try:
            ledger_bi.betalen(initiatief=initiatief, bedrag=initiatief.uitbetaald_bedrag, user=user)
        except ledger_bi.LedgerWeigert as exc:
            raise BIError(exc.message) from exc
        entry = _audit(
            "bi_uitbetaald",
            user=user,
            initiatief=initiatief,
            data={"bedrag": str(initiatief.uitbetaald_bedrag)},
        )
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw bewonersinitiatief is uitbetaald"),
            regel=_(
                "%(bedrag)s is uitbetaald. Vertel na afloop wat u heeft gedaan en voeg de bonnen "
                "toe."
            )
            % {"bedrag": _euro(initiatief.uitbetaald_bedrag)},
        )
    return initiatief


def verantwoorden(
    *,
    user,
    initiatief,
    verslag: str,
    werkelijke_kosten: Decimal,
    bonnen: list,
    expected_versie: int,
):
    """The residents report what they did, with receipts (cleaned files: ``[(ContentFile,
    content_type)]``); what was reserved and not paid goes back to the budget."""
    verslag = (verslag or "").strip()
    if not verslag:
        raise BIError(_("Vertel wat u heeft gedaan."), field="verslag")
    if not isinstance(werkelijke_kosten, Decimal) or werkelijke_kosten < 0:
        raise BIError(_("Vul de werkelijke kosten in euro’s in."), field="werkelijke_kosten")
    if not bonnen:
        raise BIError(_("Voeg minstens één bon toe."), field="bonnen")
    with transaction.atomic():
        initiatief = _lock(initiatief.pk)
        _check(
            initiatief,
            user=user,
            perm="budgets.account_bewonersinitiatief",
            expected_versie=expected_versie,
            status=BIStatus.UITBETAALD,
        )
        initiatief.verantwoorden()
        initiatief.verslag = verslag
        initiatief.werkelijke_kosten = werkelijke_kosten
        initiatief.verantwoord_op = timezone.now()
        _bump(initiatief, "verslag", "werkelijke_kosten", "verantwoord_op")
        for inhoud, content_type in bonnen:
            Bon.objects.create(
                initiatief=initiatief,
                bestand=inhoud,
                content_type=content_type,
                grootte=inhoud.size,
            )
        try:
            ledger_bi.vrijgeven(initiatief=initiatief, user=user)
        except ledger_bi.LedgerWeigert as exc:
            raise BIError(exc.message) from exc
        entry = _audit(
            "bi_verantwoord",
            user=user,
            initiatief=initiatief,
            data={"werkelijke_kosten": str(werkelijke_kosten), "bonnen": len(bonnen)},
        )
        _mail_aanvrager(
            initiatief,
            entry=entry,
            subject=_("Uw verantwoording is ontvangen"),
            regel=_("Dank u wel: de verantwoording van ‘%(titel)s’ is ontvangen.")
            % {"titel": initiatief.titel},
        )
    return initiatief


def toegekend_totaal(werkgebied) -> Decimal:
    return Bewonersinitiatief.objects.filter(
        werkgebied=werkgebied, toegekend_bedrag__isnull=False
    ).aggregate(s=Sum("toegekend_bedrag"))["s"] or Decimal("0")
