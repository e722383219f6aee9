"""Every write to the werkcyclus and its products. Each service locks the row it changes, checks
permission, changes it, writes its audit entry in the same transaction and schedules side
effects for after the commit."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from audit.services import audit_log

from . import tasks
from .models import (
    PRODUCT_MODELLEN,
    PRODUCT_RELATIONS,
    Product,
    Productstatus,
    Werkcyclus,
    delft_kalender,
)

CYCLUS_OVERGANGEN = (
    "naar_agenda",
    "naar_programma",
    "naar_uitvoering",
    "naar_verantwoording",
    "afronden",
)
PRODUCT_OVERGANGEN = ("ter_consultatie", "vaststellen", "publiceren")


class TransitionError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleStateError(TransitionError):
    """Someone else changed the state after the user loaded the page."""


def _run_transition(obj, *, user, name: str, allowed: tuple[str, ...], state_field: str):
    """Check and run one FSM transition on a locked ``obj``; return (source, target)."""
    if name not in allowed:
        raise TransitionError(_("Deze stap bestaat niet."))
    method = getattr(obj, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionError(_("Deze stap is in de huidige fase niet mogelijk."))
    source = getattr(obj, state_field)
    meta = method._django_fsm.get_transition(source)
    if not meta.has_perm(obj, user):
        raise PermissionDenied
    if not can_proceed(method):
        raise TransitionError(
            str(meta.custom.get("blocked") or _("Deze stap is nog niet mogelijk."))
        )
    method()
    return source, getattr(obj, state_field)


def werkcyclus_transition(
    *, cyclus_id: int, user, transition: str, expected_fase: str, reden: str = ""
) -> Werkcyclus:
    """Advance a cycle one phase. ``expected_fase`` is the phase the user saw: if the cycle has
    moved on since, nothing changes and the user is told (also covers a double submit)."""
    with transaction.atomic():
        cyclus = (
            Werkcyclus.objects.select_for_update(of=("self",))
            .select_related("werkgebied", *PRODUCT_RELATIONS)
            .get(pk=cyclus_id)
        )
        if not user.has_perm("cycle.advance_werkcyclus", cyclus):
            raise PermissionDenied
        if cyclus.fase != expected_fase:
            raise StaleStateError(
                _(
                    "Deze cyclus is intussen al naar de fase ‘%(fase)s’ gegaan. "
                    "Er is niets gewijzigd; bekijk de actuele stand."
                )
                % {"fase": cyclus.get_fase_display()}
            )
        source, target = _run_transition(
            cyclus, user=user, name=transition, allowed=CYCLUS_OVERGANGEN, state_field="fase"
        )
        try:
            cyclus.save(update_fields=["fase", "gewijzigd_op"])
        except ConcurrentTransition as exc:  # pragma: no cover - the row lock prevents this
            raise StaleStateError(_("Iemand anders heeft deze cyclus zojuist gewijzigd.")) from exc
        entry = audit_log(
            action="cycle.transition",
            actor=user,
            target=cyclus,
            data={"overgang": transition, "van": source, "naar": target, "reden": reden},
        )
        transaction.on_commit(lambda: tasks.notify_cycle_transition.delay(entry.pk))
    return cyclus


def product_transition(
    *, product: Product, user, transition: str, expected_status: str, reden: str = ""
) -> Product:
    """Move a product along concept → consultatie → vastgesteld → gepubliceerd."""
    model = type(product)
    with transaction.atomic():
        product = (
            model.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied")
            .get(pk=product.pk)
        )
        if product.status != expected_status:
            if not user.has_perm("cycle.change_product", product):
                raise PermissionDenied
            raise StaleStateError(
                _(
                    "Dit stuk heeft intussen de status ‘%(status)s’. "
                    "Er is niets gewijzigd; bekijk de actuele stand."
                )
                % {"status": product.get_status_display()}
            )
        source, target = _run_transition(
            product, user=user, name=transition, allowed=PRODUCT_OVERGANGEN, state_field="status"
        )
        now = timezone.now()
        update_fields = ["status", "gewijzigd_op"]
        if target == Productstatus.VASTGESTELD:
            product.vastgesteld_op = now
            update_fields.append("vastgesteld_op")
        elif target == Productstatus.GEPUBLICEERD:
            product.gepubliceerd_op = now
            update_fields.append("gepubliceerd_op")
        try:
            product.save(update_fields=update_fields)
        except ConcurrentTransition as exc:  # pragma: no cover - the row lock prevents this
            raise StaleStateError(_("Iemand anders heeft dit stuk zojuist gewijzigd.")) from exc
        entry = audit_log(
            action="cycle.product_transition",
            actor=user,
            target=product,
            data={
                "product": model.SOORT,
                "overgang": transition,
                "van": source,
                "naar": target,
                "reden": reden,
            },
        )
        if target == Productstatus.GEPUBLICEERD:
            transaction.on_commit(lambda: tasks.notify_product_published.delay(entry.pk))
    return product


def product_update(*, product: Product, user, expected_versie: int, data: dict) -> Product:
    """Save the text of a product. ``expected_versie`` is the version the editor started
    from; if someone saved in between, nothing is overwritten."""
    model = type(product)
    with transaction.atomic():
        locked = (
            model.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied")
            .get(pk=product.pk)
        )
        if not user.has_perm("cycle.change_product", locked):
            raise PermissionDenied
        if not locked.is_bewerkbaar:
            raise TransitionError(
                _("Dit stuk kan in deze fase of status niet meer worden gewijzigd.")
            )
        if locked.versie != expected_versie:
            raise StaleStateError(
                _(
                    "Iemand anders heeft dit stuk intussen opgeslagen. Uw tekst staat hieronder "
                    "nog in het formulier; kopieer wat u wilt bewaren en laad de pagina opnieuw."
                )
            )
        changed = []
        for field in ("titel", *model.SECTIES):
            if field in data and getattr(locked, field) != data[field]:
                setattr(locked, field, data[field])
                changed.append(field)
        if not changed:
            return locked
        locked.versie += 1
        locked.save(update_fields=[*changed, "versie", "gewijzigd_op"])
        audit_log(
            action="cycle.product_edit",
            actor=user,
            target=locked,
            data={"product": model.SOORT, "velden": changed, "versie": locked.versie},
        )
    return locked


def werkcyclus_create(*, werkgebied, jaar: int, user) -> Werkcyclus:
    """Start the cycle of ``werkgebied`` for programme year ``jaar`` with its four products in
    concept and the Delft calendar as planning."""
    if not user.has_perm("cycle.add_werkcyclus", werkgebied):
        raise PermissionDenied
    try:
        with transaction.atomic():
            cyclus = Werkcyclus.objects.create(
                werkgebied=werkgebied, jaar=jaar, **delft_kalender(jaar)
            )
            for model in PRODUCT_MODELLEN:
                model.objects.create(
                    cyclus=cyclus,
                    titel=f"{model._meta.verbose_name.capitalize()} {werkgebied.naam} {jaar}",
                )
            audit_log(action="cycle.created", actor=user, target=cyclus, data={"jaar": jaar})
    except IntegrityError as exc:
        raise ValidationError(
            {
                "jaar": _("Er bestaat al een cyclus voor %(jaar)s in dit werkgebied.")
                % {"jaar": jaar}
            },
            code="unique",
        ) from exc
    return cyclus


def werkcyclus_plan(*, cyclus: Werkcyclus, user, planning: dict[str, datetime.date]) -> Werkcyclus:
    """Change the planned dates of the phases."""
    with transaction.atomic():
        locked = (
            Werkcyclus.objects.select_for_update().select_related("werkgebied").get(pk=cyclus.pk)
        )
        if not user.has_perm("cycle.plan_werkcyclus", locked):
            raise PermissionDenied
        if locked.is_afgerond:
            raise TransitionError(_("De planning van een afgeronde cyclus ligt vast."))
        changed = {}
        for field, value in planning.items():
            old = getattr(locked, field)
            if old != value:
                setattr(locked, field, value)
                changed[field] = {"van": old.isoformat(), "naar": value.isoformat()}
        if changed:
            locked.save(update_fields=[*changed, "gewijzigd_op"])
            audit_log(action="cycle.planned", actor=user, target=locked, data=changed)
    return locked
