"""Writes of the wijk-MT: the wijkraad delegation its chair chooses, its meetings and their
besluitenlijst.

Every write checks ``cycle.manage_wijkmt`` on the werkgebied (the wijkmanager of the werkgebied
as chair, or a beheerder), locks the row it changes, checks the version the user's page was
read at, validates with a Dutch message per field, and writes its audit entry in the same
transaction. A decision may point at one initiative and/or one knelpunt of the meeting's own
werkgebied only; a knelpunt named together with an initiative must be that initiative's."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from people.models import Rol, Roltoewijzing

from .models import Besluit, Initiatief, Knelpunt, Overleg, WijkMTDelegatie, WijkMTLid
from .services import StaleStateError, TransitionError, _audit
from .services_agenda import _check_velden, _regel, _schoon

# A meeting or a deadline outside these years is a typing error.
MIN_JAAR, MAX_JAAR = 2000, 2100

OVERLEG_VELDEN = ("datum", "locatie", "agenda", "notities")
BESLUIT_VELDEN = ("tekst", "actiehouder", "actiehouder_naam", "deadline", "initiatief", "knelpunt")


def _mag_beheren(user, werkgebied) -> None:
    if not user.has_perm("cycle.manage_wijkmt", werkgebied):
        raise PermissionDenied


def _stale_overleg() -> str:
    return _(
        "Dit overleg is gewijzigd nadat u de pagina opende. Er is niets opgeslagen; uw invoer "
        "staat er nog: vergelijk die met het overleg zoals het nu is en sla opnieuw op."
    )


def _stale_besluit() -> str:
    return _(
        "Dit besluit is gewijzigd nadat u de pagina opende. Er is niets opgeslagen; uw invoer "
        "staat er nog: vergelijk die met het besluit zoals het nu is en sla opnieuw op."
    )


# --------------------------------------------------------------------- the delegation


def wijkraadsleden_van(werkgebied):
    """The active wijkraadsleden of ``werkgebied`` today (the delegation is chosen from
    them), as a queryset of role assignments."""
    return Roltoewijzing.objects.active().filter(
        Q(werkgebied=werkgebied) | Q(gebied_id=werkgebied.gebied_id),
        rol=Rol.WIJKRAADSLID,
        user__is_active=True,
    )


def delegatie_vastleggen(*, werkgebied, user, leden, expected_versie: int) -> WijkMTDelegatie:
    """Set the wijkraad delegation of ``werkgebied`` to ``leden`` (users or ids): each must
    hold an active wijkraadslid role there. ``expected_versie``: the delegation's version
    the page was read at (0 when nobody had chosen yet)."""
    ids = sorted({getattr(lid, "pk", lid) for lid in leden})
    with transaction.atomic():
        _mag_beheren(user, werkgebied)
        delegatie, _nieuw = WijkMTDelegatie.objects.select_for_update().get_or_create(
            werkgebied=werkgebied
        )
        if delegatie.versie != expected_versie:
            raise StaleStateError(
                _(
                    "Iemand anders heeft de wijkraaddelegatie intussen gewijzigd. Er is niets "
                    "opgeslagen; bekijk de keuze zoals die nu is en kies opnieuw."
                )
            )
        geldig = set(wijkraadsleden_van(werkgebied).values_list("user_id", flat=True))
        if any(pk not in geldig for pk in ids):
            raise ValidationError(
                {
                    "leden": _("Kies alleen wijkraadsleden van %(werkgebied)s met een lopende rol.")
                    % {"werkgebied": werkgebied.naam}
                },
                code="invalid",
            )
        voor = set(delegatie.leden.values_list("user_id", flat=True))
        delegatie.leden.exclude(user_id__in=ids).delete()
        WijkMTLid.objects.bulk_create(
            [WijkMTLid(delegatie=delegatie, user_id=pk) for pk in ids if pk not in voor]
        )
        delegatie.versie += 1
        delegatie.gewijzigd_door = user
        delegatie.save(update_fields=["versie", "gewijzigd_door", "gewijzigd_op"])
        _audit(
            action="cycle.wijkmt_delegatie",
            user=user,
            target=delegatie,
            data={
                "werkgebied": werkgebied.pk,
                "erbij": sorted(set(ids) - voor),
                "eraf": sorted(voor - set(ids)),
                "versie": delegatie.versie,
            },
        )
    return delegatie


# ------------------------------------------------------------------------- meetings


def _overleg_waarden(data: dict) -> dict:
    schoon = {}
    for name, value in data.items():
        if name not in OVERLEG_VELDEN:
            raise TypeError(f"unknown field {name!r}")
        if name == "locatie":
            value = _regel(value)
        elif name in ("agenda", "notities"):
            value = _schoon(value)
        schoon[name] = value
    return schoon


def _check_datum(errors: dict, name: str, datum, *, verplicht: bool) -> None:
    if datum is None:
        if verplicht:
            errors[name] = [_("Vul een datum in.")]
        return
    if not isinstance(datum, datetime.date) or not MIN_JAAR <= datum.year <= MAX_JAAR:
        errors[name] = [_("Vul een geldige datum in (dag-maand-jaar).")]


def _check_overleg(overleg: Overleg) -> None:
    errors: dict = {}
    _check_datum(errors, "datum", overleg.datum, verplicht=True)
    try:
        _check_velden(overleg, ("locatie", "agenda", "notities"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def overleg_toevoegen(*, werkgebied, user, **data) -> Overleg:
    """Record a meeting of the wijk-MT of ``werkgebied`` (``datum``; optional ``locatie``,
    ``agenda``, ``notities``)."""
    waarden = _overleg_waarden(data)
    with transaction.atomic():
        _mag_beheren(user, werkgebied)
        overleg = Overleg(werkgebied=werkgebied, aangemaakt_door=user, **waarden)
        _check_overleg(overleg)
        overleg.save()
        _audit(
            action="cycle.overleg_toegevoegd",
            user=user,
            target=overleg,
            data={"overleg": overleg.pk, "datum": overleg.datum.isoformat()},
        )
    return overleg


def _lock_overleg(overleg: Overleg) -> Overleg:
    locked = (
        Overleg.objects.select_for_update(of=("self",))
        .select_related("werkgebied")
        .filter(pk=overleg.pk)
        .first()
    )
    if locked is None:
        raise TransitionError(_("Dit overleg bestaat niet meer."))
    return locked


def overleg_wijzigen(*, overleg: Overleg, user, expected_versie: int, **data) -> Overleg:
    waarden = _overleg_waarden(data)
    with transaction.atomic():
        locked = _lock_overleg(overleg)
        _mag_beheren(user, locked.werkgebied)
        if locked.versie != expected_versie:
            raise StaleStateError(_stale_overleg())
        velden = [name for name, value in waarden.items() if getattr(locked, name) != value]
        for name, value in waarden.items():
            setattr(locked, name, value)
        _check_overleg(locked)
        if not velden:
            return locked
        locked.versie += 1
        locked.save(update_fields=[*velden, "versie"])
        _audit(
            action="cycle.overleg_gewijzigd",
            user=user,
            target=locked,
            data={"overleg": locked.pk, "velden": velden, "versie": locked.versie},
        )
    return locked


# ---------------------------------------------------------------------- decisions


def _besluit_waarden(data: dict) -> dict:
    schoon = {}
    for name, value in data.items():
        if name not in BESLUIT_VELDEN:
            raise TypeError(f"unknown field {name!r}")
        if name == "tekst":
            value = _schoon(value)
        elif name == "actiehouder_naam":
            value = _regel(value)
        schoon[name] = value
    return schoon


def mogelijke_actiehouders(werkgebied) -> set[int]:
    """The accounts that may hold a decision's action: the members of the wijk-MT."""
    from .selectors_wijkmt import leden

    huidige = leden(werkgebied)
    return {r.user_id for groep in huidige.values() for r in groep}


def _check_besluit(besluit: Besluit, werkgebied) -> None:
    errors: dict = {}
    if not besluit.tekst:
        errors["tekst"] = [_("Schrijf op wat er besloten is.")]
    try:
        _check_velden(besluit, ("tekst", "actiehouder_naam"))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    _check_datum(errors, "deadline", besluit.deadline, verplicht=False)
    if besluit.actiehouder_id is not None and besluit.actiehouder_id not in mogelijke_actiehouders(
        werkgebied
    ):
        errors["actiehouder"] = [
            _("Kies een lid van het wijk-MT, of schrijf de naam van de actiehouder op.")
        ]
    initiatief, knelpunt = besluit.initiatief, besluit.knelpunt
    if initiatief is not None and initiatief.werkgebied.pk != werkgebied.pk:
        errors["initiatief"] = [_("Kies een initiatief van dit werkgebied.")]
    if knelpunt is not None:
        if knelpunt.werkgebied.pk != werkgebied.pk:
            errors["knelpunt"] = [_("Kies een knelpunt van dit werkgebied.")]
        elif initiatief is not None and knelpunt.initiatief_id != initiatief.pk:
            errors["knelpunt"] = [
                _(
                    "Dit knelpunt hoort bij een ander initiatief. Kies het initiatief van het "
                    "knelpunt, of laat het initiatief leeg."
                )
            ]
    if errors:
        raise ValidationError(errors)


def _koppelingen(waarden: dict) -> dict:
    """The linked initiative and knelpunt as rows with their werkgebied (the check walks to
    it), whatever the caller passed (an object or an id)."""
    if waarden.get("initiatief") is not None:
        pk = getattr(waarden["initiatief"], "pk", waarden["initiatief"])
        waarden["initiatief"] = (
            Initiatief.objects.select_related("wijkprogramma__cyclus__werkgebied")
            .filter(pk=pk)
            .first()
        )
        if waarden["initiatief"] is None:
            raise ValidationError({"initiatief": _("Dit initiatief bestaat niet meer.")})
    if waarden.get("knelpunt") is not None:
        pk = getattr(waarden["knelpunt"], "pk", waarden["knelpunt"])
        waarden["knelpunt"] = (
            Knelpunt.objects.select_related("initiatief__wijkprogramma__cyclus__werkgebied")
            .filter(pk=pk)
            .first()
        )
        if waarden["knelpunt"] is None:
            raise ValidationError({"knelpunt": _("Dit knelpunt bestaat niet meer.")})
    return waarden


def _audit_data(besluit: Besluit) -> dict:
    return {
        "overleg": besluit.overleg_id,
        "besluit": besluit.pk,
        "initiatief": besluit.initiatief_id,
        "knelpunt": besluit.knelpunt_id,
    }


def besluit_toevoegen(*, overleg: Overleg, user, **data) -> Besluit:
    """Add a decision to the besluitenlijst of ``overleg`` (``tekst``; optional
    ``actiehouder`` or ``actiehouder_naam``, ``deadline``, ``initiatief``, ``knelpunt``)."""
    waarden = _besluit_waarden(data)
    with transaction.atomic():
        # The meeting is locked: its decisions are numbered in the order they were added.
        locked = _lock_overleg(overleg)
        _mag_beheren(user, locked.werkgebied)
        besluit = Besluit(overleg=locked, **_koppelingen(waarden))
        _check_besluit(besluit, locked.werkgebied)
        besluit.save()
        _audit(
            action="cycle.besluit_toegevoegd", user=user, target=besluit, data=_audit_data(besluit)
        )
    return besluit


def _lock_besluit(besluit: Besluit) -> Besluit:
    locked = (
        Besluit.objects.select_for_update(of=("self",))
        .select_related("overleg__werkgebied")
        .filter(pk=besluit.pk)
        .first()
    )
    if locked is None:
        raise TransitionError(_("Dit besluit bestaat niet meer."))
    return locked


def besluit_wijzigen(*, besluit: Besluit, user, expected_versie: int, **data) -> Besluit:
    waarden = _besluit_waarden(data)
    with transaction.atomic():
        locked = _lock_besluit(besluit)
        werkgebied = locked.overleg.werkgebied
        _mag_beheren(user, werkgebied)
        if locked.versie != expected_versie:
            raise StaleStateError(_stale_besluit())
        waarden = _koppelingen(waarden)
        velden = []
        for name, value in waarden.items():
            attname = locked._meta.get_field(name).attname
            nieuw = getattr(value, "pk", value)
            if getattr(locked, attname) != nieuw:
                velden.append(name)
            setattr(locked, name, value)
        _check_besluit(locked, werkgebied)
        if not velden:
            return locked
        locked.versie += 1
        locked.save(update_fields=[*velden, "versie"])
        _audit(
            action="cycle.besluit_gewijzigd",
            user=user,
            target=locked,
            data={**_audit_data(locked), "velden": velden, "versie": locked.versie},
        )
    return locked


def besluit_verwijderen(*, besluit: Besluit, user, expected_versie: int) -> None:
    with transaction.atomic():
        locked = _lock_besluit(besluit)
        _mag_beheren(user, locked.overleg.werkgebied)
        if locked.versie != expected_versie:
            raise StaleStateError(_stale_besluit())
        data = {**_audit_data(locked), "tekst": locked.tekst}
        overleg = locked.overleg
        locked.delete()
        # On the meeting: the decision itself is gone.
        _audit(action="cycle.besluit_verwijderd", user=user, target=overleg, data=data)
