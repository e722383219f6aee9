"""Writes of the wijkakkoord: creating it, its content (wijkvisie, opgaven, doelen,
resultaten), the wijkraad's advice, its steps (advies, vaststellen, publiceren), and the check
of the links from the yearly cycles (an agendapunt's or initiative's opgave and doel).

Every write locks the akkoord's header row, asks the rules the pages ask, checks the
``versie`` the user's page was read at, raises it, and writes its audit entry in the same
transaction (``akkoord_edit`` for the content, ``wijkakkoord_transition`` for the steps). A
stale page changes nothing: ``StaleStateError``."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_fsm import ConcurrentTransition

from places.models import Werkgebied

from .models import (
    AKKOORD_JAREN,
    Akkoordstatus,
    Doel,
    Resultaat,
    Wijkakkoord,
    Wijkopgave,
)
from .selectors_akkoord import geldend_akkoord
from .services import StaleStateError, TransitionError, _audit, _run_transition
from .services_agenda import _check_velden, _regel, _schoon

AKKOORD_OVERGANGEN = ("naar_advies", "vaststellen", "publiceren")

STALE_AKKOORD = _lazy(
    "Iemand anders heeft dit wijkakkoord intussen gewijzigd. Er is niets opgeslagen; uw invoer "
    "staat hieronder nog in het formulier. Laad de pagina opnieuw om de actuele stand te zien."
)


def _lock(akkoord_id: int) -> Wijkakkoord:
    return (
        Wijkakkoord.objects.select_for_update(of=("self",))
        .select_related("werkgebied")
        .get(pk=akkoord_id)
    )


def _check_versie(akkoord: Wijkakkoord, expected_versie: int | None) -> None:
    if expected_versie is not None and akkoord.versie != expected_versie:
        raise StaleStateError(str(STALE_AKKOORD))


# ------------------------------------------------------------------------- creating


def wijkakkoord_aanmaken(*, werkgebied: Werkgebied, user, startjaar: int, titel: str = ""):
    """Start the akkoord of ``werkgebied`` for ``startjaar`` up to ``startjaar + 3`` in concept,
    drafted by ``user``. No two akkoorden of a werkgebied cover the same year: the check runs
    under a lock on the werkgebied's row, so two drafters cannot both pass it."""
    if not user.has_perm("cycle.draft_wijkakkoord", werkgebied):
        raise PermissionDenied
    if not isinstance(startjaar, int) or not 2000 <= startjaar <= 2097:
        raise ValidationError(
            {"startjaar": _("Kies een eerste jaar tussen 2000 en 2097.")}, code="invalid"
        )
    eindjaar = startjaar + AKKOORD_JAREN - 1
    with transaction.atomic():
        werkgebied = Werkgebied.objects.select_for_update().get(pk=werkgebied.pk)
        overlap = (
            Wijkakkoord.objects.filter(
                werkgebied=werkgebied, startjaar__lte=eindjaar, eindjaar__gte=startjaar
            )
            .order_by("startjaar")
            .first()
        )
        if overlap is not None:
            raise ValidationError(
                {
                    "startjaar": _(
                        "Het wijkakkoord %(periode)s van %(werkgebied)s loopt al in deze jaren. "
                        "Kies een eerste jaar na %(eind)s of vóór %(begin)s."
                    )
                    % {
                        "periode": overlap.periode,
                        "werkgebied": werkgebied.naam,
                        "eind": overlap.eindjaar,
                        "begin": overlap.startjaar - AKKOORD_JAREN + 1,
                    }
                },
                code="overlap",
            )
        akkoord = Wijkakkoord(
            werkgebied=werkgebied,
            startjaar=startjaar,
            eindjaar=eindjaar,
            titel=_regel(titel)
            or _("Wijkakkoord %(werkgebied)s %(begin)s–%(eind)s")
            % {"werkgebied": werkgebied.naam, "begin": startjaar, "eind": eindjaar},
            opgesteld_door=user,
        )
        _check_velden(akkoord, ("titel",))
        akkoord.save()
        _audit(
            action="cycle.wijkakkoord_aangemaakt",
            user=user,
            target=akkoord,
            data={"startjaar": startjaar, "eindjaar": eindjaar},
        )
    return akkoord


# -------------------------------------------------------------------- the edit guard


@dataclass
class AkkoordBewerking:
    akkoord: Wijkakkoord
    data: dict = field(default_factory=dict)
    ongewijzigd: bool = False


@contextmanager
def akkoord_edit(*, akkoord: Wijkakkoord, user, expected_versie: int, action: str):
    """The one way into the akkoord's content: lock the header, ask whether ``user`` drafts
    it and whether it is still a concept, check the version read, let the service change the
    content, then raise the version and audit, in one transaction."""
    with transaction.atomic():
        locked = _lock(akkoord.pk)
        if not user.has_perm("cycle.draft_wijkakkoord", locked):
            raise PermissionDenied
        if not user.has_perm("cycle.edit_wijkakkoord", locked):
            raise TransitionError(
                _("Het wijkakkoord is niet meer in concept en kan niet meer worden gewijzigd.")
            )
        _check_versie(locked, expected_versie)
        bewerking = AkkoordBewerking(akkoord=locked)
        yield bewerking
        if bewerking.ongewijzigd:
            return
        locked.versie += 1
        locked.save(update_fields=["versie", "gewijzigd_op"])
        _audit(
            action=action,
            user=user,
            target=locked,
            data={"versie": locked.versie, **bewerking.data},
        )


def wijkakkoord_wijzigen(
    *, akkoord: Wijkakkoord, user, expected_versie: int, titel: str, wijkvisie: str
) -> Wijkakkoord:
    with akkoord_edit(
        akkoord=akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.wijkakkoord_gewijzigd",
    ) as bewerking:
        locked = bewerking.akkoord
        waarden = {"titel": _regel(titel), "wijkvisie": _schoon(wijkvisie)}
        changed = [n for n, v in waarden.items() if getattr(locked, n) != v]
        for naam in changed:
            setattr(locked, naam, waarden[naam])
        if not waarden["titel"]:
            raise ValidationError({"titel": _("Geef het wijkakkoord een titel.")})
        _check_velden(locked, ("titel", "wijkvisie"))
        if not changed:
            bewerking.ongewijzigd = True
            return locked
        locked.save(update_fields=changed)
        bewerking.data["velden"] = changed
    return locked


# ------------------------------------------------------------------------ opgaven


def _eigen(model, pk: int, **scope):
    obj = model.objects.filter(pk=pk, **scope).first()
    if obj is None:
        raise TransitionError(_("Dit onderdeel bestaat niet meer."))
    return obj


def _verwijder(obj) -> None:
    try:
        obj.delete()
    except ProtectedError as exc:
        raise TransitionError(
            _(
                "Agendapunten of initiatieven verwijzen hier nog naar. Haal eerst die "
                "verwijzingen weg."
            )
        ) from exc


def opgave_toevoegen(
    *, akkoord: Wijkakkoord, user, expected_versie: int, titel: str, beschrijving: str
) -> Wijkopgave:
    """Add an opgave at the end of the akkoord's list."""
    with akkoord_edit(
        akkoord=akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.wijkopgave_toegevoegd",
    ) as bewerking:
        locked = bewerking.akkoord
        laatste = locked.opgaven.aggregate(m=Max("volgorde"))["m"] or 0
        opgave = Wijkopgave(
            akkoord=locked,
            volgorde=laatste + 1,
            titel=_regel(titel),
            beschrijving=_schoon(beschrijving),
        )
        _check_velden(opgave, ("titel", "beschrijving"))
        opgave.save()
        bewerking.data.update(opgave=opgave.pk, titel=opgave.titel)
    return opgave


def opgave_wijzigen(
    *, opgave: Wijkopgave, user, expected_versie: int, titel: str, beschrijving: str
) -> Wijkopgave:
    with akkoord_edit(
        akkoord=opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.wijkopgave_gewijzigd",
    ) as bewerking:
        locked = _eigen(Wijkopgave, opgave.pk, akkoord=bewerking.akkoord)
        waarden = {"titel": _regel(titel), "beschrijving": _schoon(beschrijving)}
        changed = [n for n, v in waarden.items() if getattr(locked, n) != v]
        for naam in changed:
            setattr(locked, naam, waarden[naam])
        _check_velden(locked, ("titel", "beschrijving"))
        if not changed:
            bewerking.ongewijzigd = True
            return locked
        locked.save(update_fields=changed)
        bewerking.data.update(opgave=locked.pk, velden=changed)
    return locked


def opgave_verwijderen(*, opgave: Wijkopgave, user, expected_versie: int) -> None:
    """Remove an opgave with its doelen and resultaten; those below move up one place."""
    with akkoord_edit(
        akkoord=opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.wijkopgave_verwijderd",
    ) as bewerking:
        locked = _eigen(Wijkopgave, opgave.pk, akkoord=bewerking.akkoord)
        _verwijder(locked)
        bewerking.akkoord.opgaven.filter(volgorde__gt=locked.volgorde).update(
            volgorde=F("volgorde") - 1
        )
        bewerking.data.update(opgave=opgave.pk, titel=locked.titel)


# ------------------------------------------------------------------------- doelen


def doel_toevoegen(*, opgave: Wijkopgave, user, expected_versie: int, titel: str) -> Doel:
    with akkoord_edit(
        akkoord=opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.doel_toegevoegd",
    ) as bewerking:
        eigen = _eigen(Wijkopgave, opgave.pk, akkoord=bewerking.akkoord)
        doel = Doel(opgave=eigen, titel=_regel(titel))
        _check_velden(doel, ("titel",))
        doel.save()
        bewerking.data.update(opgave=eigen.pk, doel=doel.pk, titel=doel.titel)
    return doel


def doel_wijzigen(*, doel: Doel, user, expected_versie: int, titel: str) -> Doel:
    with akkoord_edit(
        akkoord=doel.opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.doel_gewijzigd",
    ) as bewerking:
        locked = _eigen(Doel, doel.pk, opgave__akkoord=bewerking.akkoord)
        titel = _regel(titel)
        if locked.titel == titel:
            bewerking.ongewijzigd = True
            return locked
        locked.titel = titel
        _check_velden(locked, ("titel",))
        locked.save(update_fields=["titel"])
        bewerking.data.update(doel=locked.pk, titel=titel)
    return locked


def doel_verwijderen(*, doel: Doel, user, expected_versie: int) -> None:
    with akkoord_edit(
        akkoord=doel.opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.doel_verwijderd",
    ) as bewerking:
        locked = _eigen(Doel, doel.pk, opgave__akkoord=bewerking.akkoord)
        _verwijder(locked)
        bewerking.data.update(doel=doel.pk, titel=locked.titel)


# --------------------------------------------------------------------- resultaten


def resultaat_toevoegen(
    *, doel: Doel, user, expected_versie: int, tekst: str, indicator: str = ""
) -> Resultaat:
    with akkoord_edit(
        akkoord=doel.opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.resultaat_toegevoegd",
    ) as bewerking:
        eigen = _eigen(Doel, doel.pk, opgave__akkoord=bewerking.akkoord)
        resultaat = Resultaat(doel=eigen, tekst=_regel(tekst), indicator=_regel(indicator))
        _check_velden(resultaat, ("tekst", "indicator"))
        resultaat.save()
        bewerking.data.update(doel=eigen.pk, resultaat=resultaat.pk)
    return resultaat


def resultaat_wijzigen(
    *, resultaat: Resultaat, user, expected_versie: int, tekst: str, indicator: str = ""
) -> Resultaat:
    with akkoord_edit(
        akkoord=resultaat.doel.opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.resultaat_gewijzigd",
    ) as bewerking:
        locked = _eigen(Resultaat, resultaat.pk, doel__opgave__akkoord=bewerking.akkoord)
        waarden = {"tekst": _regel(tekst), "indicator": _regel(indicator)}
        changed = [n for n, v in waarden.items() if getattr(locked, n) != v]
        for naam in changed:
            setattr(locked, naam, waarden[naam])
        _check_velden(locked, ("tekst", "indicator"))
        if not changed:
            bewerking.ongewijzigd = True
            return locked
        locked.save(update_fields=changed)
        bewerking.data.update(resultaat=locked.pk, velden=changed)
    return locked


def resultaat_verwijderen(*, resultaat: Resultaat, user, expected_versie: int) -> None:
    with akkoord_edit(
        akkoord=resultaat.doel.opgave.akkoord,
        user=user,
        expected_versie=expected_versie,
        action="cycle.resultaat_verwijderd",
    ) as bewerking:
        locked = _eigen(Resultaat, resultaat.pk, doel__opgave__akkoord=bewerking.akkoord)
        locked.delete()
        bewerking.data.update(resultaat=resultaat.pk)


# -------------------------------------------------------------------------- advice


def advies_vastleggen(
    *,
    akkoord: Wijkakkoord,
    user,
    expected_versie: int,
    advies: str,
    advies_van: str,
    advies_op: datetime.date,
) -> Wijkakkoord:
    """Record the wijkraad's advice on the akkoord, while it is out for advice (a wijkraadslid
    of its werkgebied). Recording it again replaces it (each version stays in the history)."""
    advies, advies_van = _schoon(advies), _regel(advies_van)
    errors = {}
    if not advies:
        errors["advies"] = [_("Schrijf het advies op.")]
    if not advies_van:
        errors["advies_van"] = [_("Zeg van wie het advies is, bijvoorbeeld de wijkraad.")]
    if advies_op is None:
        errors["advies_op"] = [_("Vul de datum van het advies in.")]
    elif advies_op > timezone.localdate():
        errors["advies_op"] = [_("Het advies kan niet in de toekomst gegeven zijn.")]
    with transaction.atomic():
        locked = _lock(akkoord.pk)
        if not user.has_perm("cycle.advise_wijkakkoord", locked):
            raise PermissionDenied
        if not user.has_perm("cycle.give_advies_wijkakkoord", locked):
            raise TransitionError(
                _("Advies wordt vastgelegd zolang het wijkakkoord voor advies voorligt.")
            )
        _check_versie(locked, expected_versie)
        locked.advies, locked.advies_van, locked.advies_op = advies, advies_van, advies_op
        locked.advies_vastgelegd_door = user
        try:
            _check_velden(locked, ("advies", "advies_van"))
        except ValidationError as exc:
            for naam, berichten in exc.message_dict.items():
                errors.setdefault(naam, berichten)
        if errors:
            raise ValidationError(errors)
        locked.versie += 1
        locked.save(
            update_fields=[
                "advies",
                "advies_van",
                "advies_op",
                "advies_vastgelegd_door",
                "versie",
                "gewijzigd_op",
            ]
        )
        _audit(
            action="cycle.wijkakkoord_advies",
            user=user,
            target=locked,
            data={"versie": locked.versie, "van": advies_van, "op": advies_op.isoformat()},
        )
    return locked


# --------------------------------------------------------------------------- steps


def wijkakkoord_transition(
    *,
    akkoord: Wijkakkoord,
    user,
    transition: str,
    expected_status: str,
    expected_versie: int | None = None,
    vastgesteld_op: datetime.date | None = None,
    vastgesteld_door: str = "",
    besluitreferentie: str = "",
) -> Wijkakkoord:
    """Take one step: to the wijkraad for advice (the drafter; the content complete), adopt
    (the decision recorded: date, by whom, reference; the advice recorded and the content
    complete) or publish. What the user read (status, version) must still hold."""
    vastgesteld_door = _regel(vastgesteld_door)
    besluitreferentie = _regel(besluitreferentie)
    with transaction.atomic():
        locked = _lock(akkoord.pk)
        if not (
            user.has_perm("cycle.draft_wijkakkoord", locked)
            or user.has_perm("cycle.adopt_wijkakkoord", locked)
        ):
            raise PermissionDenied
        if locked.status != expected_status:
            raise StaleStateError(
                _(
                    "Dit wijkakkoord heeft intussen de status ‘%(status)s’. Er is niets "
                    "gewijzigd; bekijk de actuele stand."
                )
                % {"status": locked.get_status_display()}
            )
        _check_versie(locked, expected_versie)
        update_fields = ["status", "versie", "gewijzigd_op"]
        data = {}
        if transition == "vaststellen":
            errors = {}
            if vastgesteld_op is None:
                errors["vastgesteld_op"] = [_("Vul de datum van het besluit in.")]
            elif vastgesteld_op > timezone.localdate():
                errors["vastgesteld_op"] = [_("Het besluit kan niet in de toekomst liggen.")]
            if not vastgesteld_door:
                errors["vastgesteld_door"] = [
                    _("Zeg wie het besloot, bijvoorbeeld de gemeenteraad.")
                ]
            if not besluitreferentie:
                errors["besluitreferentie"] = [_("Vul de referentie van het besluit in.")]
            if errors:
                raise ValidationError(errors)
            locked.vastgesteld_op = vastgesteld_op
            locked.vastgesteld_door = vastgesteld_door
            locked.besluitreferentie = besluitreferentie
            locked.besluit_vastgelegd_door = user
            _check_velden(locked, ("vastgesteld_door", "besluitreferentie"))
            update_fields += [
                "vastgesteld_op",
                "vastgesteld_door",
                "besluitreferentie",
                "besluit_vastgelegd_door",
            ]
            data = {
                "besluit": besluitreferentie,
                "door": vastgesteld_door,
                "op": vastgesteld_op.isoformat(),
            }
        source, target, _meta = _run_transition(
            locked,
            user=user,
            name=transition,
            allowed=AKKOORD_OVERGANGEN,
            state_field="status",
        )
        if target == Akkoordstatus.GEPUBLICEERD:
            locked.gepubliceerd_op = timezone.now()
            update_fields.append("gepubliceerd_op")
        locked.versie += 1
        try:
            locked.save(update_fields=update_fields)
        except ConcurrentTransition as exc:  # pragma: no cover - the row lock prevents this
            raise StaleStateError(str(STALE_AKKOORD)) from exc
        _audit(
            action="cycle.wijkakkoord_transition",
            user=user,
            target=locked,
            data={"overgang": transition, "van": source, "naar": target, **data},
        )
    return locked


# ------------------------------------------------- links from the yearly cycles


def check_koppeling(*, cyclus, opgave, doel, huidig=(None, None)):
    """The opgave and doel an agendapunt or initiative of ``cyclus`` refers to, checked: both
    of the adopted akkoord of the cycle's werkgebied that covers its year, and the doel under
    the opgave (a doel alone brings its opgave). ``huidig``: the (opgave, doel) ids it has
    now, which stay valid. Returns (opgave_id, doel_id); raises per-field errors."""
    opgave_id = getattr(opgave, "pk", opgave)
    doel_id = getattr(doel, "pk", doel)
    if opgave_id is None and doel_id is None:
        return None, None
    if (opgave_id, doel_id) == tuple(huidig):
        return opgave_id, doel_id
    akkoord = geldend_akkoord(cyclus.werkgebied_id, cyclus.jaar)
    errors: dict[str, list[str]] = {}
    doel_obj = None
    if doel_id is not None:
        doel_obj = Doel.objects.filter(pk=doel_id).select_related("opgave").first()
        if doel_obj is None or akkoord is None or doel_obj.opgave.akkoord_id != akkoord.pk:
            errors["doel"] = [
                _("Kies een doel uit het wijkakkoord van dit werkgebied dat in %(jaar)s geldt.")
                % {"jaar": cyclus.jaar}
            ]
        elif opgave_id is None:
            opgave_id = doel_obj.opgave_id
        elif doel_obj.opgave_id != opgave_id:
            errors["doel"] = [
                _("Dit doel hoort bij een andere opgave. Kies een doel van de opgave.")
            ]
    if opgave_id is not None and not (
        akkoord is not None and Wijkopgave.objects.filter(pk=opgave_id, akkoord=akkoord).exists()
    ):
        errors["wijkopgave"] = [
            _("Kies een opgave uit het wijkakkoord van dit werkgebied dat in %(jaar)s geldt.")
            % {"jaar": cyclus.jaar}
        ]
    if errors:
        raise ValidationError(errors)
    return opgave_id, doel_id
