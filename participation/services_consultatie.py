"""Every write to consultations and reactions.

A product that goes ``ter_consultatie`` gets its consultation in the same transaction
(``consultatie_bij_overgang``, the receiver of ``cycle.signals.product_overgegaan``); adopting
it closes the consultation. The beat task opens and closes consultations by their dates
(``consultaties_bijwerken``). Residents react (``reactie_plaatsen``): signed in, it is placed
at once; with an e-mail address only after the one-time link in the mail
(``reactie_bevestigen``). The wijkmanager answers (``reactie_beantwoorden``) and hides an
abusive one with a reason (``reactie_verbergen``). Each write locks its row, checks permission
and version, and audits in one transaction; the author's account or address never goes into
the audit log."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import audit_log
from cycle.models import Agendapunt, Initiatief, Productstatus
from notices.models import Notice
from notices.services import notice_create
from people.roles import acting_role

from .models_consultatie import (
    Consultatie,
    Consultatiestatus,
    Reactie,
    Reactiestatus,
    nieuw_reactietoken,
)
from .services_volgen import schoon_email

KIND_BEVESTIGEN = "participation.reactie_bevestigen"
# Without dates of its own a consultation opens the day the product goes into it and
# closes after six weeks (the term of the Rotterdam inspraakverordening).
STANDAARD_DUUR = datetime.timedelta(weeks=6)
# How long the confirmation link of a reaction by e-mail works.
BEVESTIG_TERMIJN = datetime.timedelta(hours=48)
TEKST_MAX = 5000
ANTWOORD_MAX = 5000
REDEN_MAX = 1000
VRAAG_MAX = 2000
VERWIJDERD = "verwijderd@bewaartermijn.invalid"

STALE = _lazy(
    "Iemand anders heeft dit intussen gewijzigd. Er is niets opgeslagen; uw invoer staat "
    "hieronder nog. Lees de actuele stand en probeer het opnieuw."
)


class ConsultatieError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class VerouderdError(ConsultatieError):
    """The page was read before someone else changed the row."""


def standaard_vraag(product) -> str:
    return _(
        "Wat vindt u van deze %(soort)s? Mist er iets, of zou u iets anders willen? Noem "
        "zo nodig het onderdeel waar uw reactie over gaat."
    ) % {"soort": product._meta.verbose_name}


def _audit(action: str, *, user, target, data: dict):
    rol = acting_role(user, target) if user is not None and user.is_authenticated else ""
    return audit_log(
        action=action,
        actor=user if user is not None and user.is_authenticated else None,
        actor_rol=rol,
        target=target,
        data=data,
    )


# ------------------------------------------------------------------ the consultation itself


def consultatie_bij_overgang(*, product, user, entry, transition, source, target, **kwargs):
    """Inside a product step's transaction: open the consultation when the product goes
    ``ter_consultatie``; close it when the product is adopted."""
    if transition == "ter_consultatie":
        consultatie_openen(product=product, user=user)
    elif transition == "vaststellen" and source == Productstatus.CONSULTATIE:
        consultatie_sluiten_bij_vaststelling(product=product, user=user)


def consultatie_openen(*, product, user, opent_op=None, sluit_op=None, vraag="") -> Consultatie:
    """The consultation of ``product`` (just put in consultation), with the given dates or
    the defaults: open today, close after ``STANDAARD_DUUR``."""
    today = timezone.localdate()
    opent_op = opent_op or today
    sluit_op = sluit_op or opent_op + STANDAARD_DUUR
    consultatie, _made = Consultatie.objects.select_for_update().get_or_create(
        cyclus_id=product.cyclus_id,
        soort=product.SOORT,
        defaults={
            "vraag": vraag or standaard_vraag(product),
            "opent_op": opent_op,
            "sluit_op": sluit_op,
        },
    )
    consultatie.cyclus = product.cyclus
    status = consultatie.status_op(today)
    now = timezone.now()
    consultatie.status = status
    consultatie.geopend_op = now if status != Consultatiestatus.GEPLAND else None
    consultatie.gesloten_op = now if status == Consultatiestatus.GESLOTEN else None
    consultatie.save(update_fields=["status", "geopend_op", "gesloten_op"])
    _audit(
        "participation.consultatie_aangemaakt",
        user=user,
        target=consultatie,
        data={
            "product": product.SOORT,
            "opent_op": consultatie.opent_op.isoformat(),
            "sluit_op": consultatie.sluit_op.isoformat(),
            "status": status,
        },
    )
    return consultatie


def consultatie_sluiten_bij_vaststelling(*, product, user) -> None:
    consultatie = (
        Consultatie.objects.select_for_update()
        .filter(cyclus_id=product.cyclus_id, soort=product.SOORT)
        .exclude(status=Consultatiestatus.GESLOTEN)
        .first()
    )
    if consultatie is None:
        return
    consultatie.status = Consultatiestatus.GESLOTEN
    consultatie.gesloten_op = timezone.now()
    consultatie.save(update_fields=["status", "gesloten_op"])
    _audit(
        "participation.consultatie_gesloten",
        user=user,
        target=consultatie,
        data={"product": product.SOORT, "door": "vaststelling"},
    )


def _locked(consultatie_id: int) -> Consultatie:
    return (
        Consultatie.objects.select_for_update(of=("self",))
        .select_related("cyclus__werkgebied")
        .get(pk=consultatie_id)
    )


def _met_product(consultatie: Consultatie) -> Consultatie:
    # The product, for the permission (its status) and the messages.
    getattr(consultatie.cyclus, consultatie.soort)
    return consultatie


def consultatie_wijzigen(
    *,
    consultatie: Consultatie,
    user,
    expected_versie: int,
    vraag: str,
    opent_op: datetime.date,
    sluit_op: datetime.date,
) -> Consultatie:
    """Change the question and the dates; the status follows the dates at once (a
    consultation extended after it closed opens again)."""
    vraag = (vraag or "").strip()
    errors = {}
    if not vraag:
        errors["vraag"] = _("Vul de vraag aan bewoners in.")
    elif len(vraag) > VRAAG_MAX:
        errors["vraag"] = _("De vraag heeft hoogstens %(max)d tekens.") % {"max": VRAAG_MAX}
    if opent_op and sluit_op and sluit_op < opent_op:
        errors["sluit_op"] = _("De consultatie kan niet sluiten vóór zij opent.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _met_product(_locked(consultatie.pk))
        if not user.has_perm("participation.change_consultatie", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise VerouderdError(STALE)
        locked.vraag, locked.opent_op, locked.sluit_op = vraag, opent_op, sluit_op
        status = locked.status_op()
        now = timezone.now()
        if status != locked.status:
            if status == Consultatiestatus.OPEN:
                locked.geopend_op, locked.gesloten_op = locked.geopend_op or now, None
            elif status == Consultatiestatus.GESLOTEN:
                locked.gesloten_op = now
            else:
                locked.geopend_op = locked.gesloten_op = None
            locked.status = status
        locked.versie += 1
        locked.save()
        _audit(
            "participation.consultatie_gewijzigd",
            user=user,
            target=locked,
            data={
                "opent_op": opent_op.isoformat(),
                "sluit_op": sluit_op.isoformat(),
                "status": status,
            },
        )
    return locked


def consultaties_bijwerken(*, today=None, limit: int = 500) -> int:
    """Open the consultations whose day has come and close those whose last day has passed
    (beat, every few minutes); remove reactions whose confirmation link ran out. Each change
    is audited (and so bumps the public pages' cache). Idempotent: returns how many
    consultations changed; a second run changes nothing."""
    today = today or timezone.localdate()
    changed = 0
    with transaction.atomic():
        rows = list(
            Consultatie.objects.select_for_update(skip_locked=True)
            # Forward only: a consultation closed by its product's adoption stays closed.
            .filter(
                Q(status=Consultatiestatus.GEPLAND, opent_op__lte=today)
                | Q(status=Consultatiestatus.OPEN, sluit_op__lt=today)
            )
            .order_by("pk")[:limit]
        )
        now = timezone.now()
        for consultatie in rows:
            status = consultatie.status_op(today)
            if status == consultatie.status:
                continue
            if status == Consultatiestatus.OPEN:
                consultatie.geopend_op = now
            else:
                consultatie.geopend_op = consultatie.geopend_op or now
                consultatie.gesloten_op = now
            consultatie.status = status
            consultatie.save(update_fields=["status", "geopend_op", "gesloten_op"])
            audit_log(
                action="participation.consultatie_"
                + ("geopend" if status == "open" else "gesloten"),
                actor=None,
                target=consultatie,
                data={"door": "datum", "datum": today.isoformat()},
            )
            changed += 1
    reacties_onbevestigd_verwijderen()
    return changed


def reacties_onbevestigd_verwijderen(*, now=None, limit: int = 1000) -> int:
    """Unconfirmed reactions whose link ran out go (they were never public), and their
    address with them from the outbox's confirmation mails."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Reactie.objects.select_for_update(skip_locked=True)
            .filter(status=Reactiestatus.WACHT, token_geldig_tot__lt=now)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        Notice.objects.filter(
            kind=KIND_BEVESTIGEN,
            audit_entry__object_id__in=[str(pk) for pk in ids],
            audit_entry__action="participation.reactie_ingediend",
        ).update(recipient=VERWIJDERD)
        Reactie.objects.filter(pk__in=ids).delete()
        audit_log(
            action="participation.reacties_onbevestigd_verwijderd",
            actor=None,
            target=None,
            data={"aantal": len(ids)},
        )
    return len(ids)


# ----------------------------------------------------------------------------- reacting


def schone_tekst(tekst: str, *, veld: str = "tekst", maximum: int = TEKST_MAX, leeg=None) -> str:
    tekst = (tekst or "").strip()
    if not tekst:
        raise ValidationError({veld: ValidationError(leeg or _("Vul uw reactie in."))})
    if len(tekst) > maximum:
        raise ValidationError(
            {
                veld: ValidationError(
                    _("Hoogstens %(max)d tekens; dit zijn er %(n)d.")
                    % {"max": maximum, "n": len(tekst)}
                )
            }
        )
    return tekst


def onderdeel_kiezen(consultatie: Consultatie, waarde: str):
    """The part named by ``waarde`` ("agendapunt-<pk>" or "initiatief-<pk>"), checked to belong
    to this consultation's product; (agendapunt, initiatief); a field error otherwise."""
    if not waarde:
        return None, None
    soort, _sep, pk = waarde.partition("-")
    fout = ValidationError(
        {"onderdeel": ValidationError(_("Kies een onderdeel van dit stuk uit de lijst."))}
    )
    if not pk.isdigit() or len(pk) > 12:
        raise fout
    if soort == "agendapunt" and consultatie.soort == "wijkagenda":
        punt = Agendapunt.objects.filter(
            pk=int(pk), wijkagenda__cyclus_id=consultatie.cyclus_id
        ).first()
        if punt is None:
            raise fout
        return punt, None
    if soort == "initiatief" and consultatie.soort == "wijkprogramma":
        initiatief = Initiatief.objects.filter(
            pk=int(pk), wijkprogramma__cyclus_id=consultatie.cyclus_id
        ).first()
        if initiatief is None:
            raise fout
        return None, initiatief
    raise fout


def reactie_plaatsen(
    *, consultatie: Consultatie, tekst: str, onderdeel: str = "", user=None, email: str = ""
) -> Reactie:
    """A resident reacts. Signed in: placed at once under the account. Otherwise ``email``
    gets a one-time link; the reaction waits until it is followed. Nothing about the author
    goes into the audit log."""
    tekst = schone_tekst(tekst)
    ingelogd = user is not None and user.is_authenticated
    if not ingelogd:
        email = schoon_email(email)
    agendapunt, initiatief = onderdeel_kiezen(consultatie, onderdeel)
    now = timezone.now()
    with transaction.atomic():
        # A share lock: the consultation cannot close (or be edited) under a reaction.
        locked = (
            Consultatie.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied")
            .get(pk=consultatie.pk)
        )
        product = getattr(locked.cyclus, locked.soort)
        if not locked.is_open or product.status != Productstatus.CONSULTATIE:
            raise ConsultatieError(gesloten_bericht(locked))
        reactie = Reactie(
            consultatie=locked,
            tekst=tekst,
            agendapunt=agendapunt,
            initiatief=initiatief,
            aangemaakt_op=now,
        )
        if ingelogd:
            reactie.auteur = user
            reactie.status = Reactiestatus.GEPLAATST
            reactie.geplaatst_op = now
            reactie.save()
            _audit(
                "participation.reactie_geplaatst",
                user=None,
                target=reactie,
                data={"consultatie": locked.pk, "via": "account"},
            )
            return reactie
        reactie.email = email
        reactie.token = nieuw_reactietoken()
        reactie.token_geldig_tot = now + BEVESTIG_TERMIJN
        reactie.save()
        entry = _audit(
            "participation.reactie_ingediend",
            user=None,
            target=reactie,
            data={"consultatie": locked.pk, "via": "e-mail"},
        )
        with translation.override(settings.LANGUAGE_CODE):
            notice_create(
                kind=KIND_BEVESTIGEN,
                recipients=[email],
                subject=_("Bevestig uw reactie op %(titel)s") % {"titel": product.algemene_titel()},
                audit_entry=entry,
            )
    return reactie


def gesloten_bericht(consultatie: Consultatie) -> str:
    if consultatie.status_op() == Consultatiestatus.GEPLAND and (
        consultatie.status != Consultatiestatus.GESLOTEN
    ):
        return _("Deze consultatie is nog niet open. U kunt reageren vanaf %(datum)s.") % {
            "datum": _datum(consultatie.opent_op)
        }
    return _(
        "Deze consultatie is gesloten. Er kunnen geen reacties meer worden gegeven; uw reactie "
        "is niet opgeslagen."
    )


def _datum(dag: datetime.date) -> str:
    return date_format(dag, "j F Y")


def reactie_per_token(token: str) -> Reactie | None:
    """The unconfirmed reaction of ``token``, for the page that asks to confirm."""
    if not token or len(token) > 64:
        return None
    return (
        Reactie.objects.select_related("consultatie__cyclus__werkgebied")
        .filter(token=token, status=Reactiestatus.WACHT)
        .first()
    )


def reactie_bevestigen(*, token: str) -> Reactie:
    """The owner of the address followed the one-time link: the reaction is placed. The
    token goes with it (a second click finds nothing); a link that ran out, or a product
    adopted in the meantime, places nothing."""
    ongeldig = _(
        "Deze link werkt niet (meer). Hij is al gebruikt, of ouder dan %(uren)d uur. Uw "
        "reactie is dan niet geplaatst; geef haar opnieuw als de consultatie nog open is."
    ) % {"uren": int(BEVESTIG_TERMIJN.total_seconds() // 3600)}
    if not token or len(token) > 64:
        raise ConsultatieError(ongeldig)
    with transaction.atomic():
        reactie = (
            Reactie.objects.select_for_update(of=("self",))
            .select_related("consultatie__cyclus__werkgebied")
            .filter(token=token, status=Reactiestatus.WACHT)
            .first()
        )
        now = timezone.now()
        if reactie is None or reactie.token_geldig_tot is None or reactie.token_geldig_tot < now:
            raise ConsultatieError(ongeldig)
        consultatie = reactie.consultatie
        product = getattr(consultatie.cyclus, consultatie.soort)
        if product.status != Productstatus.CONSULTATIE:
            raise ConsultatieError(
                _(
                    "De consultatie is afgesloten en het stuk is vastgesteld; uw reactie kan "
                    "niet meer worden geplaatst."
                )
            )
        reactie.status = Reactiestatus.GEPLAATST
        reactie.geplaatst_op = now
        reactie.token = None
        reactie.token_geldig_tot = None
        reactie.versie += 1
        reactie.save(
            update_fields=["status", "geplaatst_op", "token", "token_geldig_tot", "versie"]
        )
        # A confirmation mail still waiting (the link came from an earlier one, or the demo
        # confirmed at once) has nothing left to confirm: it is not sent.
        Notice.objects.filter(
            kind=KIND_BEVESTIGEN,
            status=Notice.Status.PENDING,
            audit_entry__object_id=str(reactie.pk),
            audit_entry__action="participation.reactie_ingediend",
        ).update(status=Notice.Status.FAILED, last_error="Bevestigd vóór verzending.")
        _audit(
            "participation.reactie_geplaatst",
            user=None,
            target=reactie,
            data={"consultatie": consultatie.pk, "via": "e-mail"},
        )
    return reactie


# ---------------------------------------------------------------------------- moderation


def _reactie_locked(reactie_id: int) -> Reactie:
    reactie = (
        Reactie.objects.select_for_update(of=("self",))
        .select_related("consultatie__cyclus__werkgebied")
        .get(pk=reactie_id)
    )
    _met_product(reactie.consultatie)
    return reactie


def reactie_beantwoorden(
    *, reactie: Reactie, user, expected_versie: int, antwoord: str, wat_veranderd: str = ""
) -> Reactie:
    """The wijkmanager's answer, and what changed in the product because of the reaction:
    both go into the nota van beantwoording."""
    antwoord = schone_tekst(
        antwoord, veld="antwoord", maximum=ANTWOORD_MAX, leeg=_("Vul het antwoord in.")
    )
    wat_veranderd = (wat_veranderd or "").strip()
    if len(wat_veranderd) > ANTWOORD_MAX:
        raise ValidationError(
            {
                "wat_veranderd": _("Hoogstens %(max)d tekens; dit zijn er %(n)d.")
                % {"max": ANTWOORD_MAX, "n": len(wat_veranderd)}
            }
        )
    with transaction.atomic():
        locked = _reactie_locked(reactie.pk)
        if not user.has_perm("participation.beantwoord_reactie", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise VerouderdError(STALE)
        if locked.status == Reactiestatus.WACHT:
            raise ConsultatieError(_("Deze reactie is nog niet bevestigd en dus niet geplaatst."))
        eerder = locked.is_beantwoord
        locked.antwoord, locked.wat_veranderd = antwoord, wat_veranderd
        locked.beantwoord_op, locked.beantwoord_door = timezone.now(), user
        locked.versie += 1
        locked.save(
            update_fields=[
                "antwoord",
                "wat_veranderd",
                "beantwoord_op",
                "beantwoord_door",
                "versie",
            ]
        )
        _audit(
            "participation.reactie_beantwoord",
            user=user,
            target=locked,
            data={"consultatie": locked.consultatie_id, "gewijzigd": eerder},
        )
    return locked


def reactie_verbergen(*, reactie: Reactie, user, expected_versie: int, reden: str) -> Reactie:
    """Hide an abusive reaction: its text is no longer shown, the reason is ("verborgen door
    de wijkmanager: <reden>"). Never deleted."""
    reden = schone_tekst(
        reden, veld="reden", maximum=REDEN_MAX, leeg=_("Geef de reden waarom u haar verbergt.")
    )
    with transaction.atomic():
        locked = _reactie_locked(reactie.pk)
        if not user.has_perm("participation.verberg_reactie", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise VerouderdError(STALE)
        if locked.status != Reactiestatus.GEPLAATST:
            raise ConsultatieError(_("Alleen een geplaatste reactie kan worden verborgen."))
        locked.status = Reactiestatus.VERBORGEN
        locked.verborgen_reden = reden
        locked.verborgen_op = timezone.now()
        locked.versie += 1
        locked.save(update_fields=["status", "verborgen_reden", "verborgen_op", "versie"])
        _audit(
            "participation.reactie_verborgen",
            user=user,
            target=locked,
            data={"consultatie": locked.consultatie_id, "reden": reden},
        )
    return locked


# ------------------------------------------------------------------------------- the mail


def render_bevestigen(notice: Notice) -> tuple[str, str]:
    """The confirmation mail of a reaction, with its one-time link (rendered when sent, so
    the key is never stored in the outbox)."""
    reactie = (
        Reactie.objects.select_related("consultatie__cyclus__werkgebied")
        .filter(pk=int(notice.audit_entry.object_id), status=Reactiestatus.WACHT)
        .first()
    )
    if reactie is None or not reactie.token:
        raise ConsultatieError("The reaction was confirmed or removed before the mail was sent.")
    consultatie = reactie.consultatie
    url = settings.SITE_URL.rstrip("/") + reverse(
        "reactie-bevestigen", kwargs={"token": reactie.token}
    )
    body = "\n".join(
        [
            _(
                "Iemand (waarschijnlijk u) heeft met dit e-mailadres gereageerd op de "
                "consultatie over de %(soort)s %(jaar)s van %(werkgebied)s."
            )
            % {
                "soort": consultatie.soort,
                "jaar": consultatie.cyclus.jaar,
                "werkgebied": consultatie.cyclus.werkgebied.naam,
            },
            "",
            _("Plaats uw reactie met deze link (één keer te gebruiken):"),
            url,
            "",
            _(
                "De link werkt %(uren)d uur. Uw reactie wordt zonder uw naam of e-mailadres "
                "getoond. Heeft u niet gereageerd? Dan hoeft u niets te doen: de reactie wordt "
                "dan niet geplaatst en verwijderd."
            )
            % {"uren": int(BEVESTIG_TERMIJN.total_seconds() // 3600)},
        ]
    )
    return notice.subject, body
