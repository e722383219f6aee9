"""Every write to meldingen. Each service locks the row it changes, checks permission, changes
it, writes its audit entry in the same transaction (never with the reporter's address, text or
photos in it) and puts the reporter's e-mail in the outbox."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import audit_log
from notices.models import Notice
from notices.services import notice_create
from people.roles import acting_role

from .models import (
    GESLOTEN_STATUSSEN,
    OPEN_STATUSSEN,
    Foto,
    Melding,
    Meldingstatus,
    Spoor,
    Spoorsoort,
    Steun,
    werkdagen_na,
)
from .rules import involved

# The transitions a triage form may ask for, and the fields each one needs.
TRIAGE_OVERGANGEN = (
    "in_behandeling_nemen",
    "doorzetten",
    "opnemen",
    "afhandelen",
    "niet_in_behandeling_nemen",
)
# How long after closing the reporter's address and photos are kept.
BEWAARTERMIJN = datetime.timedelta(days=365)


class MeldingError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleMeldingError(MeldingError):
    """Someone else changed the melding after the user loaded the page."""


def _lock(melding_id: int) -> Melding:
    try:
        return Melding.objects.select_for_update().get(pk=melding_id)
    except Melding.DoesNotExist as exc:
        raise MeldingError(_("Deze melding bestaat niet (meer).")) from exc


def _check_versie(melding: Melding, expected_versie: int | None) -> None:
    if expected_versie is not None and melding.versie != expected_versie:
        raise StaleMeldingError(
            _(
                "Iemand anders heeft deze melding intussen gewijzigd. Bekijk de nieuwe stand "
                "en probeer het opnieuw."
            )
        )


def _audit(*, action: str, user, melding: Melding, data: dict):
    return audit_log(
        action=action,
        actor=user,
        actor_rol=acting_role(user, melding),
        target=melding,
        data=data,
    )


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _notify_reporter(melding: Melding, entry, *, subject: str, body: str) -> list[Notice]:
    """Mail the reporter, if they left an address; in Dutch, the portal's language."""
    if not melding.email:
        return []
    return notice_create(
        kind="participation.melding",
        recipients=[melding.email],
        subject=subject,
        body=body,
        audit_entry=entry,
    )


def _status_body(melding: Melding) -> str:
    lines = [
        _("De status van uw melding %(code)s is nu: %(status)s.")
        % {"code": melding.code, "status": melding.get_status_display()},
    ]
    if melding.antwoord and melding.status in GESLOTEN_STATUSSEN:
        lines += ["", _("Antwoord:"), melding.antwoord]
    if melding.status == Meldingstatus.AFGEHANDELD:
        lines += [
            "",
            _(
                "Is het opgelost? Laat het ons binnen twee weken weten op de volgpagina; als "
                "het niet is opgelost, nemen we uw melding opnieuw in behandeling."
            ),
        ]
    lines += ["", _("Volg uw melding: %(url)s") % {"url": _site_url(melding.get_absolute_url())}]
    return "\n".join(lines)


def _notify_status(melding: Melding, entry) -> list[Notice]:
    """Tell the reporter the melding's new status (and the answer, once it is closed): their
    account as a notification (mailed as they chose), an address they left by e-mail."""
    from .bewoners import melding_notificatie

    with translation.override(settings.LANGUAGE_CODE):
        melding_notificatie(melding)
        return _notify_reporter(
            melding,
            entry,
            subject=_("Uw melding %(code)s: %(status)s")
            % {"code": melding.code, "status": melding.get_status_display()},
            body=_status_body(melding),
        )


# ----------------------------------------------------------------------------- reporting


@dataclass(frozen=True)
class NieuweMelding:
    tekst: str
    thema: object
    wijk: object
    plek: str = ""
    lengtegraad: object = None
    breedtegraad: object = None
    buurtcode: str = ""
    betreft_groep: bool = False
    email: str = ""
    # The signed-in account that reports it (None: anonymous, as most are).
    melder: object = None


def melding_create(*, gegevens: NieuweMelding, fotos=()) -> Melding:
    """Store a resident's melding with its photos (already checked and stripped, see
    ``participation.photos``) and confirm it by e-mail when an address was given."""
    tekst = gegevens.tekst.strip()
    if not tekst:
        raise ValidationError({"tekst": _("Beschrijf wat er aan de hand is.")})
    today = timezone.localdate()
    opgeslagen: list[Foto] = []
    try:
        return _melding_create(gegevens, tekst, today, fotos, opgeslagen)
    except BaseException:
        # The files are written before the transaction ends; when it rolls back, nothing may
        # keep them (a resident's photo without its melding would be kept forever).
        for foto in opgeslagen:
            if foto.bestand._committed and foto.bestand.name:
                foto.bestand.storage.delete(foto.bestand.name)
        raise


def _eigen_adres_weg(gegevens) -> str:
    """A signed-in reporter hears through their account (as they chose): their own address
    typed again is not kept a second time."""
    email = gegevens.email.strip()
    melder = gegevens.melder
    if melder is not None and email.casefold() == (melder.email or "").casefold():
        return ""
    return email


def _melding_create(gegevens, tekst, today, fotos, opgeslagen) -> Melding:
    with transaction.atomic():
        melding = Melding.objects.create(
            tekst=tekst,
            thema=gegevens.thema,
            wijk=gegevens.wijk,
            werkgebied_id=gegevens.wijk.werkgebied_id,
            plek=gegevens.plek.strip(),
            lengtegraad=gegevens.lengtegraad,
            breedtegraad=gegevens.breedtegraad,
            buurtcode=gegevens.buurtcode,
            betreft_groep=gegevens.betreft_groep,
            email=_eigen_adres_weg(gegevens),
            melder=gegevens.melder,
            termijn_op=werkdagen_na(today, gegevens.thema.afhandeltermijn),
        )
        for foto in fotos:
            # Kept before it is saved: its file is written before its row, and either may fail.
            rij = Foto(
                melding=melding,
                bestand=foto.inhoud,
                content_type=foto.content_type,
                breedte=foto.breedte,
                hoogte=foto.hoogte,
                grootte=foto.grootte,
            )
            opgeslagen.append(rij)
            rij.save()
        entry = _audit(
            action="participation.melding_ingediend",
            user=None,
            melding=melding,
            data={"thema": gegevens.thema.naam, "wijk": gegevens.wijk.naam, "fotos": len(fotos)},
        )
        with translation.override(settings.LANGUAGE_CODE):
            _notify_reporter(
                melding,
                entry,
                subject=_("Uw melding %(code)s is ontvangen") % {"code": melding.code},
                body="\n".join(
                    [
                        _(
                            "Dank u voor uw melding over %(thema)s in %(wijk)s. De wijkmanager "
                            "bekijkt haar binnen %(dagen)s werkdagen."
                        )
                        % {
                            "thema": gegevens.thema.naam,
                            "wijk": gegevens.wijk.naam,
                            "dagen": gegevens.thema.afhandeltermijn,
                        },
                        "",
                        _("Uw volgcode: %(code)s") % {"code": melding.code},
                        _("Volg uw melding: %(url)s")
                        % {"url": _site_url(melding.get_absolute_url())},
                    ]
                ),
            )
    return melding


def melding_steunen(*, melding_id: int) -> Melding:
    """Add one anonymous support ("ik heb dit ook") to an open melding."""
    with transaction.atomic():
        melding = _lock(melding_id)
        if not melding.is_open or melding.hoofdmelding_id is not None:
            raise MeldingError(_("Deze melding is al afgesloten; steunen kan niet meer."))
        Steun.objects.create(melding=melding)
        Melding.objects.filter(pk=melding.pk).update(steun=F("steun") + 1)
        _audit(action="participation.melding_gesteund", user=None, melding=melding, data={})
        melding.refresh_from_db(fields=["steun"])
    return melding


# ------------------------------------------------------------------------------- triage


def _close_fields(melding: Melding, now) -> None:
    melding.afgesloten_op = now if melding.status in GESLOTEN_STATUSSEN else None


def melding_transition(
    *,
    melding_id: int,
    user,
    transition: str,
    expected_versie: int | None,
    antwoord: str = "",
    notitie: str = "",
    cluster=None,
    partner=None,
    cyclus=None,
) -> Melding:
    """Take one triage step. ``doorzetten`` needs a cluster or a partner (and may carry a
    note for them); ``opnemen`` a running cycle of the melding's werkgebied; ``afhandelen`` an
    answer; ``niet_in_behandeling_nemen`` a reason (the answer the reporter reads)."""
    if transition not in TRIAGE_OVERGANGEN:
        raise MeldingError(_("Deze stap bestaat niet."))
    antwoord, notitie = antwoord.strip(), notitie.strip()
    with transaction.atomic():
        melding = _lock(melding_id)
        # Permission first: an outsider must not learn from the error whether the melding
        # changed or which status it has.
        if not involved.test(user, melding):
            raise PermissionDenied
        _check_versie(melding, expected_versie)
        method = getattr(melding, transition)
        if not can_proceed(method):
            raise MeldingError(_("Deze stap is bij de huidige status niet mogelijk."))
        meta = method._django_fsm.get_transition(melding.status)
        if not meta.has_perm(melding, user):
            raise PermissionDenied
        errors = {}
        if transition == "doorzetten":
            if (cluster is None) == (partner is None):
                errors["cluster"] = _("Kies een cluster of een partner (één van beide).")
        elif transition == "opnemen":
            if cyclus is None:
                errors["cyclus"] = _("Kies de cyclus waarin de melding wordt opgenomen.")
            elif cyclus.werkgebied_id != melding.werkgebied_id or cyclus.is_afgerond:
                errors["cyclus"] = _("Kies een lopende cyclus van het werkgebied van de melding.")
        elif transition in ("afhandelen", "niet_in_behandeling_nemen") and not antwoord:
            errors["antwoord"] = (
                _("Schrijf het antwoord aan de melder.")
                if transition == "afhandelen"
                else _("Schrijf waarom de melding niet in behandeling wordt genomen.")
            )
        if errors:
            raise ValidationError(errors)
        source = melding.status
        method()
        data = {"van": source, "naar": melding.status}
        if transition == "doorzetten":
            melding.cluster, melding.partner, melding.notitie = cluster, partner, notitie
            data["naar_wie"] = str(cluster or partner)
        if transition == "opnemen":
            melding.cyclus = cyclus
            data["cyclus"] = str(cyclus)
            Spoor.objects.create(melding=melding, soort=Spoorsoort.CYCLUS, cyclus=cyclus)
        if antwoord:
            melding.antwoord = antwoord
        _close_fields(melding, timezone.now())
        if melding.status in GESLOTEN_STATUSSEN:
            # A new decision: the reporter's earlier "solved or not" was about the old one.
            melding.opgelost = None
        melding.versie += 1
        melding.save()
        entry = _audit(
            action=f"participation.melding_{transition}", user=user, melding=melding, data=data
        )
        _notify_status(melding, entry)
        if melding.status in GESLOTEN_STATUSSEN:
            _close_duplicates(melding, user=user)
    return melding


def _close_duplicates(hoofd: Melding, *, user, only=None) -> None:
    """Close the open duplicates of ``hoofd`` with it (those of ``only``, when given): same
    status, same answer."""
    dubbelen = Melding.objects.select_for_update().filter(
        hoofdmelding=hoofd, status__in=OPEN_STATUSSEN
    )
    if only is not None:
        dubbelen = dubbelen.filter(pk__in=only)
    for dubbel in dubbelen:
        _follow(dubbel, hoofd, user=user)


def _follow(dubbel: Melding, hoofd: Melding, *, user) -> None:
    source = dubbel.status
    # Not through the transition methods: a duplicate follows its main melding's decision,
    # which was checked (permission, fields) when it was taken.
    Melding.objects.filter(pk=dubbel.pk).update(
        status=hoofd.status,
        antwoord=hoofd.antwoord,
        cyclus=hoofd.cyclus,
        afgesloten_op=hoofd.afgesloten_op,
        versie=F("versie") + 1,
    )
    dubbel.refresh_from_db()
    if hoofd.cyclus_id:
        Spoor.objects.create(melding=dubbel, soort=Spoorsoort.CYCLUS, cyclus=hoofd.cyclus)
    entry = _audit(
        action="participation.melding_gesloten_met_hoofdmelding",
        user=user,
        melding=dubbel,
        data={"van": source, "naar": dubbel.status, "hoofdmelding": hoofd.code},
    )
    _notify_status(dubbel, entry)


def melding_als_dubbel(*, melding_id: int, hoofdcode: str, user, expected_versie: int | None):
    """Link a melding to the main melding it repeats; it closes with it (at once, if the main
    melding is already closed)."""
    hoofdcode = hoofdcode.strip().upper()
    with transaction.atomic():
        melding = _lock(melding_id)
        if not user.has_perm("participation.triage_melding", melding):
            raise PermissionDenied
        _check_versie(melding, expected_versie)
        if not melding.is_open:
            raise MeldingError(
                _("Een afgesloten melding kan niet meer als dubbel worden gemarkeerd.")
            )
        hoofd = Melding.objects.select_for_update().filter(code=hoofdcode).first()
        # The main melding of a duplicate is that one's main melding: no chains.
        if hoofd is not None and hoofd.hoofdmelding_id is not None:
            hoofd = Melding.objects.select_for_update().get(pk=hoofd.hoofdmelding_id)
        if hoofd is None or hoofd.pk == melding.pk:
            raise ValidationError({"hoofdcode": _("Er is geen andere melding met deze volgcode.")})
        if hoofd.werkgebied_id != melding.werkgebied_id:
            raise ValidationError({"hoofdcode": _("De hoofdmelding ligt in een ander werkgebied.")})
        melding.hoofdmelding = hoofd
        melding.versie += 1
        melding.save(update_fields=["hoofdmelding", "versie", "gewijzigd_op"])
        # Its own duplicates now belong to the main melding.
        eigen = list(Melding.objects.filter(hoofdmelding=melding).values_list("pk", flat=True))
        Melding.objects.filter(pk__in=eigen).update(hoofdmelding=hoofd)
        _audit(
            action="participation.melding_dubbel",
            user=user,
            melding=melding,
            data={"hoofdmelding": hoofd.code},
        )
        if not hoofd.is_open:
            # The melding and its own open duplicates, now duplicates of a closed main.
            _close_duplicates(hoofd, user=user, only=[melding.pk, *eigen])
            melding.refresh_from_db()
    return melding


def melding_publiceerbaar(*, melding_id: int, user, publiceerbaar: bool, expected_versie):
    """Mark the text as fit for the public (no names, addresses or other personal data)."""
    with transaction.atomic():
        melding = _lock(melding_id)
        if not user.has_perm("participation.triage_melding", melding):
            raise PermissionDenied
        _check_versie(melding, expected_versie)
        melding.publiceerbaar = publiceerbaar
        melding.versie += 1
        melding.save(update_fields=["publiceerbaar", "versie", "gewijzigd_op"])
        _audit(
            action="participation.melding_publiceerbaar",
            user=user,
            melding=melding,
            data={"publiceerbaar": publiceerbaar},
        )
    return melding


# ------------------------------------------------------------------- the reporter's word


def melding_opgelost(*, code: str, opgelost: bool, reactie: str = "") -> Melding:
    """The reporter answers "Is het opgelost?" on the tracking page (the code is their key).
    "Nee" within two weeks of the answer reopens the melding with their comment."""
    reactie = reactie.strip()
    with transaction.atomic():
        melding = Melding.objects.select_for_update().filter(code=code).first()
        if melding is None:
            raise MeldingError(_("Deze melding bestaat niet (meer)."))
        if not melding.kan_heropenen():
            raise MeldingError(_("Reageren op de afhandeling kan alleen binnen twee weken."))
        # Only an earlier "ja" in this round: after a "nee" reopened it and it was closed
        # again, the reporter may well say it is solved now.
        if melding.opgelost and opgelost:
            raise MeldingError(_("U heeft al laten weten dat het is opgelost."))
        if not opgelost and not reactie:
            raise ValidationError({"reactie": _("Schrijf wat er nog niet is opgelost.")})
        melding.opgelost = opgelost
        melding.melder_reactie = reactie
        if not opgelost:
            melding.heropenen()
            melding.afgesloten_op = None
            melding.termijn_op = werkdagen_na(timezone.localdate(), melding.thema.afhandeltermijn)
        melding.versie += 1
        melding.save()
        _audit(
            action=f"participation.melding_{'opgelost' if opgelost else 'heropend'}",
            user=None,
            melding=melding,
            data={"naar": melding.status},
        )
    return melding


# ------------------------------------------------------------------------------ retention


def meldingen_bewaartermijn(*, now=None, limit: int = 500) -> int:
    """Remove the reporter's address and the photos of meldingen closed more than a year ago,
    and record that it happened. Returns how many meldingen were cleaned; idempotent."""
    now = now or timezone.now()
    grens = now - BEWAARTERMIJN
    done = 0
    ids = list(
        Melding.objects.filter(
            afgesloten_op__lt=grens,
            contact_verwijderd_op__isnull=True,
            status__in=GESLOTEN_STATUSSEN,
        ).values_list("pk", flat=True)[:limit]
    )
    for melding_id in ids:
        with transaction.atomic():
            melding = (
                Melding.objects.select_for_update(skip_locked=True)
                .filter(pk=melding_id, contact_verwijderd_op__isnull=True)
                .first()
            )
            if melding is None:
                continue
            fotos = list(melding.fotos.all())
            namen = [foto.bestand.name for foto in fotos]
            storage = fotos[0].bestand.storage if fotos else None
            melding.fotos.all().delete()
            # The outbox keeps what was sent to whom: the address goes there too.
            Notice.objects.filter(
                recipient=melding.email,
                audit_entry__content_type=ContentType.objects.get_for_model(Melding),
                audit_entry__object_id=str(melding.pk),
            ).exclude(recipient="").update(recipient="verwijderd@bewaartermijn.invalid")
            had_email = bool(melding.email)
            melding.email = ""
            # The reporter's own words after the answer may name them too.
            melding.melder_reactie = ""
            melding.contact_verwijderd_op = now
            melding.save(
                update_fields=["email", "melder_reactie", "contact_verwijderd_op", "gewijzigd_op"]
            )
            _audit(
                action="participation.contact_verwijderd",
                user=None,
                melding=melding,
                data={"fotos": len(namen), "email": had_email},
            )
            if storage is not None:
                # Files are not transactional: delete them only once the rows are gone.
                transaction.on_commit(
                    lambda storage=storage, namen=namen: [storage.delete(n) for n in namen]
                )
        done += 1
    return done


# ------------------------------------------------------------- the link to the agenda


def melding_agendapunt(*, melding_id: int, user, agendapunt, expected_versie: int | None):
    """Link a melding taken into the cycle (``opgenomen``) to an agendapunt of that cycle's
    wijkagenda, or unlink it (``agendapunt=None``). Its tracking page then shows the point,
    once the agenda is public. Whoever triages the melding (its werkgebied's wijkmanager)."""
    with transaction.atomic():
        melding = _lock(melding_id)
        if not user.has_perm("participation.triage_melding", melding):
            raise PermissionDenied
        _check_versie(melding, expected_versie)
        if melding.status != Meldingstatus.OPGENOMEN or melding.cyclus_id is None:
            raise MeldingError(
                _("Alleen een melding die in de wijkaanpak is opgenomen, hoort bij de agenda.")
            )
        if agendapunt is not None and agendapunt.wijkagenda.cyclus_id != melding.cyclus_id:
            raise ValidationError(
                {
                    "agendapunt": _(
                        "Kies een agendapunt van de wijkagenda van de cyclus waarin de melding "
                        "is opgenomen."
                    )
                }
            )
        nieuw = agendapunt.pk if agendapunt is not None else None
        if melding.agendapunt_id == nieuw:
            return melding
        vorig = melding.agendapunt_id
        melding.agendapunt = agendapunt
        melding.versie += 1
        melding.save(update_fields=["agendapunt", "versie", "gewijzigd_op"])
        _audit(
            action="participation.melding_agendapunt",
            user=user,
            melding=melding,
            data={
                "van": vorig,
                "naar": nieuw,
                "agendapunt": agendapunt.titel if agendapunt is not None else "",
            },
        )
    return melding


# ----------------------------------------------------------- the link to the programme


def melding_initiatief(*, melding_id: int, user, initiatief, expected_versie: int | None):
    """Link a melding taken into the cycle (``opgenomen``) to the initiative of that cycle's
    wijkprogramma that came from it, or unlink it (``initiatief=None``). Its tracking page
    shows the initiative and its progress once the programme is public, and the trail gets a
    step (the previous link's step goes). Whoever triages the melding."""
    with transaction.atomic():
        melding = _lock(melding_id)
        if not user.has_perm("participation.triage_melding", melding):
            raise PermissionDenied
        _check_versie(melding, expected_versie)
        if melding.status != Meldingstatus.OPGENOMEN or melding.cyclus_id is None:
            raise MeldingError(
                _(
                    "Alleen een melding die in de wijkaanpak is opgenomen, kan bij een "
                    "initiatief horen."
                )
            )
        if initiatief is not None and initiatief.wijkprogramma.cyclus_id != melding.cyclus_id:
            raise ValidationError(
                {
                    "initiatief": _(
                        "Kies een initiatief uit het wijkprogramma van de cyclus waarin de "
                        "melding is opgenomen."
                    )
                }
            )
        nieuw = initiatief.pk if initiatief is not None else None
        if melding.initiatief_id == nieuw:
            return melding
        vorig = melding.initiatief_id
        melding.initiatief = initiatief
        melding.versie += 1
        melding.save(update_fields=["initiatief", "versie", "gewijzigd_op"])
        Spoor.objects.filter(melding=melding, soort=Spoorsoort.INITIATIEF).delete()
        if initiatief is not None:
            Spoor.objects.create(
                melding=melding,
                soort=Spoorsoort.INITIATIEF,
                cyclus_id=melding.cyclus_id,
                initiatief=initiatief,
            )
        _audit(
            action="participation.melding_initiatief",
            user=user,
            melding=melding,
            data={
                "van": vorig,
                "naar": nieuw,
                "initiatief": initiatief.titel if initiatief is not None else "",
            },
        )
    return melding
