"""Writes of the participation plan: a phase's level, kaders, groups, means and draagvlak, and
adopting the plan. Every write goes through ``plan_edit``: lock the plan's header, ask the
rules whether the user may change it and whether it is still editable, check and raise the
version the user's page was read at, and audit, in one transaction. A stale page changes
nothing: ``StaleStateError`` with the stale-page message."""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cycle.models import WERKFASEN, Participatieniveau, Werkcyclus
from cycle.services import STALE_EDIT, StaleStateError, TransitionError, _audit
from cycle.services_agenda import _check_velden, _regel, _schoon

from .models import Draagvlaksoort, Middel, Participatieplan, Planfase, Planstatus


def plan_van(cyclus: Werkcyclus) -> Participatieplan:
    """The plan of ``cyclus``, made (in concept, with one row per phase) when it has none.
    Safe under concurrency: the plan is one per cycle by a unique key."""
    plan, _nieuw = Participatieplan.objects.get_or_create(cyclus=cyclus)
    Planfase.objects.bulk_create(
        [Planfase(plan=plan, fase=fase) for fase in WERKFASEN], ignore_conflicts=True
    )
    return plan


@dataclass
class PlanBewerking:
    plan: Participatieplan
    data: dict = field(default_factory=dict)
    ongewijzigd: bool = False


@contextmanager
def plan_edit(*, cyclus: Werkcyclus, user, expected_versie: int, action: str):
    """The one way into the plan: lock the header, check permission, editability and
    version, let the service change the content, raise the version and audit."""
    if not user.has_perm("participation.change_participatieplan", cyclus):
        raise PermissionDenied
    with transaction.atomic():
        plan_van(cyclus)
        locked = (
            Participatieplan.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied")
            .get(cyclus=cyclus)
        )
        if not user.has_perm("participation.change_participatieplan", locked):
            raise PermissionDenied
        if not locked.is_bewerkbaar:
            raise TransitionError(
                _(
                    "Het participatieplan is vastgesteld of de cyclus is afgerond; het kan niet "
                    "meer worden gewijzigd."
                )
            )
        if locked.versie != expected_versie:
            raise StaleStateError(str(STALE_EDIT))
        bewerking = PlanBewerking(plan=locked)
        yield bewerking
        if bewerking.ongewijzigd:
            return
        locked.versie += 1
        locked.save(update_fields=["versie", "gewijzigd_op"])
        _audit(
            action=action,
            user=user,
            target=locked,
            data={"cyclus": cyclus.pk, "versie": locked.versie, **bewerking.data},
        )


def planfase_wijzigen(
    *,
    cyclus: Werkcyclus,
    user,
    expected_versie: int,
    fase: str,
    niveau: str = "",
    wel_invloed: str = "",
    geen_invloed: str = "",
    doelgroepen: str = "",
    middelen=(),
    middelen_anders: str = "",
    draagvlak_aantal: int | None = None,
    draagvlak_soort: str = "",
) -> Planfase:
    """Set what the plan says about ``fase``. Everything is checked here again (the form is
    only the first line): unknown codes, lengths, a draagvlak number without its kind."""
    if fase not in WERKFASEN:
        raise ValidationError({"fase": _("Deze fase bestaat niet.")})
    errors = {}
    if niveau and niveau not in Participatieniveau.values:
        errors["niveau"] = _("Kies een niveau van de participatieladder.")
    middelen = list(dict.fromkeys(middelen or ()))
    if any(m not in Middel.values for m in middelen):
        errors["middelen"] = _("Kies alleen middelen uit de lijst.")
    middelen_anders = _regel(middelen_anders)
    if Middel.ANDERS in middelen and not middelen_anders:
        errors["middelen_anders"] = _("Zeg welk ander middel u inzet.")
    if Middel.ANDERS not in middelen:
        middelen_anders = ""
    if draagvlak_soort and draagvlak_soort not in Draagvlaksoort.values:
        errors["draagvlak_soort"] = _("Kies wat er geteld wordt.")
    if draagvlak_aantal is not None and (
        not isinstance(draagvlak_aantal, int) or not 1 <= draagvlak_aantal <= 100_000
    ):
        errors["draagvlak_aantal"] = _("Vul een aantal in tussen 1 en 100.000.")
    elif draagvlak_aantal is not None and not draagvlak_soort:
        errors["draagvlak_soort"] = _("Zeg wat er geteld wordt: steunbetuigingen, reacties…")
    elif draagvlak_soort and draagvlak_aantal is None:
        errors["draagvlak_aantal"] = _("Vul het minimale aantal in.")
    if errors:
        raise ValidationError(errors)
    with plan_edit(
        cyclus=cyclus,
        user=user,
        expected_versie=expected_versie,
        action="participation.participatieplan_gewijzigd",
    ) as bewerking:
        planfase = Planfase.objects.get(plan=bewerking.plan, fase=fase)
        waarden = {
            "niveau": niveau,
            "wel_invloed": _schoon(wel_invloed),
            "geen_invloed": _schoon(geen_invloed),
            "doelgroepen": _schoon(doelgroepen),
            "middelen": middelen,
            "middelen_anders": middelen_anders,
            "draagvlak_aantal": draagvlak_aantal,
            "draagvlak_soort": draagvlak_soort,
        }
        changed = [n for n, v in waarden.items() if getattr(planfase, n) != v]
        for naam in changed:
            setattr(planfase, naam, waarden[naam])
        _check_velden(planfase, ("wel_invloed", "geen_invloed", "doelgroepen", "middelen_anders"))
        if not changed:
            bewerking.ongewijzigd = True
            return planfase
        planfase.save(update_fields=changed)
        bewerking.data.update(fase=fase, velden=changed)
    return planfase


def participatieplan_vaststellen(*, cyclus: Werkcyclus, user, expected_versie: int):
    """Adopt the plan: from then on it is what the cycle promised; it needs every phase's
    level and kaders."""
    with plan_edit(
        cyclus=cyclus,
        user=user,
        expected_versie=expected_versie,
        action="participation.participatieplan_vastgesteld",
    ) as bewerking:
        plan = bewerking.plan
        if not can_proceed(plan.vaststellen):
            raise TransitionError(
                _("Het participatieplan is nog niet compleet. Nog niet klaar: %(wat)s.")
                % {"wat": ", ".join(plan.ontbreekt())}
            )
        plan.vaststellen()
        plan.vastgesteld_op = timezone.now()
        plan.save(update_fields=["status", "vastgesteld_op"])
        bewerking.data["status"] = Planstatus.VASTGESTELD
    return plan
