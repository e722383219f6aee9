"""Every write to the werkcyclus and its products. Each service locks the row it changes, checks
permission, changes it, writes its audit entry in the same transaction and schedules side
effects for after the commit."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_fsm import ConcurrentTransition, can_proceed

from audit.services import audit_log
from people.roles import acting_role

from . import notifications, signals
from .models import (
    PRODUCT_MODELLEN,
    PRODUCT_RELATIONS,
    Fase,
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
PRODUCT_OVERGANGEN = ("ter_consultatie", "vaststellen", "publiceren", "heropenen")


class TransitionError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleStateError(TransitionError):
    """Someone else changed the state after the user loaded the page."""


def _audit(*, action: str, user, target, data: dict):
    """The audit entry of a cycle change, with the role the actor acted in."""
    return audit_log(
        action=action, actor=user, actor_rol=acting_role(user, target), target=target, data=data
    )


def _ontbreekt_bericht(obj, meta) -> str:
    """Why a transition is blocked, naming what is missing where the model can say it."""
    blocked = str(meta.custom.get("blocked") or _("Deze stap is nog niet mogelijk."))
    method = meta.custom.get("ontbreekt")
    missing = getattr(obj, method)() if method else []
    if missing:
        return _("%(waarom)s Nog niet klaar: %(wat)s.") % {
            "waarom": blocked,
            "wat": ", ".join(missing),
        }
    return blocked


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
        raise TransitionError(_ontbreekt_bericht(obj, meta))
    method()
    return source, getattr(obj, state_field), meta


def werkcyclus_transition(
    *,
    cyclus_id: int,
    user,
    transition: str,
    expected_fase: str,
    expected_versie: int | None = None,
    reden: str = "",
    today: datetime.date | None = None,
) -> Werkcyclus:
    """Advance a cycle one phase. ``expected_fase`` (and ``expected_versie``, when the form
    sends it) is what the user saw: if the cycle has changed since, nothing changes and the
    user is told (also covers a double submit)."""
    today = today or timezone.localdate()
    reden = " ".join(reden.split())
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
        if expected_versie is not None and cyclus.versie != expected_versie:
            raise StaleStateError(
                _(
                    "Deze cyclus is intussen door iemand anders gewijzigd. Er is niets "
                    "gewijzigd; bekijk de actuele stand en probeer het opnieuw."
                )
            )
        if cyclus.reden_verplicht(transition, today=today) and not reden:
            raise TransitionError(
                _(
                    "Het uitvoeringsjaar %(jaar)s is nog niet voorbij. Geef een reden om de "
                    "uitvoering nu al af te sluiten; die komt in de geschiedenis."
                )
                % {"jaar": cyclus.jaar}
            )
        source, target, _meta = _run_transition(
            cyclus, user=user, name=transition, allowed=CYCLUS_OVERGANGEN, state_field="fase"
        )
        setattr(cyclus, f"{source}_afgerond", today)
        update_fields = ["fase", "versie", "gewijzigd_op", f"{source}_afgerond"]
        if target != Fase.AFGEROND:
            setattr(cyclus, f"{target}_gestart", today)
            update_fields.append(f"{target}_gestart")
        cyclus.versie += 1
        try:
            cyclus.save(update_fields=update_fields)
        except ConcurrentTransition as exc:  # pragma: no cover - the row lock prevents this
            raise StaleStateError(_("Iemand anders heeft deze cyclus zojuist gewijzigd.")) from exc
        entry = _audit(
            action="cycle.transition",
            user=user,
            target=cyclus,
            data={"overgang": transition, "van": source, "naar": target, "reden": reden},
        )
        notifications.werkcyclus_transition_notices(cyclus=cyclus, entry=entry)
    return cyclus


def product_transition(
    *,
    product: Product,
    user,
    transition: str,
    expected_status: str,
    expected_versie: int | None = None,
    reden: str = "",
    bevestigd: bool = False,
    besluitreferentie: str = "",
) -> Product:
    """Move a product along concept → consultatie → vastgesteld → gepubliceerd, or reopen a
    published one as a correction (with a reason), which is adopted and published anew.

    ``expected_status`` and ``expected_versie`` are what the user read: adopting or publishing
    a text that someone changed after the page was loaded changes nothing. Publishing needs
    ``bevestigd`` (it cannot be undone and mails the council); where the college adopts, the
    adoption records its ``besluitreferentie``."""
    model = type(product)
    reden = " ".join(reden.split())
    besluitreferentie = " ".join(besluitreferentie.split())
    with transaction.atomic():
        product = (
            model.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied__taakverdeling")
            .get(pk=product.pk)
        )
        if not user.has_perm("cycle.step_product", product):
            raise PermissionDenied
        if product.status != expected_status:
            raise StaleStateError(
                _(
                    "Dit stuk heeft intussen de status ‘%(status)s’. "
                    "Er is niets gewijzigd; bekijk de actuele stand."
                )
                % {"status": product.get_status_display()}
            )
        if expected_versie is not None and product.versie != expected_versie:
            raise StaleStateError(
                _(
                    "De tekst van dit stuk is gewijzigd nadat u de pagina opende. Er is niets "
                    "gewijzigd; lees de nieuwe tekst en neem de stap dan opnieuw."
                )
            )
        method = getattr(product, transition, None) if transition in PRODUCT_OVERGANGEN else None
        meta = method._django_fsm.get_transition(product.status) if method else None
        if meta is not None and meta.custom.get("bevestigen") and not bevestigd:
            raise TransitionError(
                _(
                    "Bevestig dat u wilt publiceren: dat kan niet ongedaan worden gemaakt en "
                    "de gemeenteraad krijgt er bericht van."
                )
            )
        if transition in PRODUCT_OVERGANGEN and product.reden_verplicht(transition) and not reden:
            raise TransitionError(
                _(
                    "Geef de reden van de correctie: die staat openbaar bij de nieuwe versie "
                    "en bij de versie die zij vervangt."
                )
            )
        college = user.has_perm("cycle.record_adoption", product)
        if meta is not None and meta.custom.get("besluit") and college and not besluitreferentie:
            raise TransitionError(
                _(
                    "In dit werkgebied stelt het college de producten vast. Vul de referentie "
                    "van het collegebesluit in."
                )
            )
        source, target, _meta = _run_transition(
            product, user=user, name=transition, allowed=PRODUCT_OVERGANGEN, state_field="status"
        )
        now = timezone.now()
        # A step changes the version too: a page read before it (another tab, a double
        # submit) can take no step after it, even one out of the same status again.
        product.versie += 1
        update_fields = ["status", "versie", "gewijzigd_op"]
        if target == Productstatus.VASTGESTELD:
            product.vastgesteld_op = now
            update_fields.append("vastgesteld_op")
            if college:
                product.besluitreferentie = besluitreferentie
                update_fields.append("besluitreferentie")
        elif target == Productstatus.GEPUBLICEERD:
            # Published before: this publication is a correction (its reason was given when
            # the product was reopened).
            correctie = product.correctie_reden if product.gepubliceerd_op else ""
            product.gepubliceerd_op = now
            update_fields.append("gepubliceerd_op")
        elif target == Productstatus.CORRECTIE:
            product.correctie_reden = reden
            update_fields.append("correctie_reden")
        try:
            product.save(update_fields=update_fields)
        except ConcurrentTransition as exc:  # pragma: no cover - the row lock prevents this
            raise StaleStateError(_("Iemand anders heeft dit stuk zojuist gewijzigd.")) from exc
        data = {
            "product": model.SOORT,
            "overgang": transition,
            "van": source,
            "naar": target,
            "reden": reden,
        }
        if target == Productstatus.VASTGESTELD and college:
            data["besluit"] = besluitreferentie
        entry = _audit(action="cycle.product_transition", user=user, target=product, data=data)
        signals.product_overgegaan.send(
            sender=model,
            product=product,
            user=user,
            entry=entry,
            transition=transition,
            source=source,
            target=target,
        )
        if target == Productstatus.GEPUBLICEERD:
            # A receiver may answer with what it made of the publication (the version the
            # publication app keeps): the notice then links to that instead of the product.
            answers = signals.product_gepubliceerd.send(
                sender=model, product=product, user=user, entry=entry
            )
            url = next(
                (a.get_absolute_url() for _, a in answers if hasattr(a, "get_absolute_url")),
                None,
            )
            notifications.product_published_notices(
                product=product, entry=entry, url=url, correctie=correctie
            )
    return product


@dataclass
class Bewerking:
    """What a content service changes inside ``product_edit``: the locked product, and what
    goes into the audit entry (``target`` defaults to the product)."""

    product: Product
    data: dict = field(default_factory=dict)
    target: object = None
    # A service that finds nothing changed sets this: no version bump, no audit entry.
    ongewijzigd: bool = False


STALE_EDIT = _lazy(
    "Iemand anders heeft dit stuk intussen opgeslagen. Uw invoer staat hieronder nog in het "
    "formulier; kopieer wat u wilt bewaren en laad de pagina opnieuw."
)


@contextmanager
def product_edit(*, product: Product, user, expected_versie: int, action: str):
    """The edit guard every content service of a product goes through.

    Locks the product header, checks that ``user`` drafts this kind of product and that it is
    still editable in this phase and status, checks that the page was read at the current
    version, then lets the service change the content; afterwards it bumps the version and
    writes the audit entry (``action``, the product kind, the new version and the service's
    ``data``), all in one transaction. A stale page (another tab, a colleague, a double
    submit) changes nothing and gets ``StaleStateError``."""
    model = type(product)
    with transaction.atomic():
        locked = (
            model.objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied__taakverdeling")
            .get(pk=product.pk)
        )
        if not user.has_perm(f"cycle.draft_{model.SOORT}", locked):
            raise PermissionDenied
        if not user.has_perm("cycle.edit_product", locked):
            raise TransitionError(
                _("Dit stuk kan in deze fase of status niet meer worden gewijzigd.")
            )
        if locked.versie != expected_versie:
            raise StaleStateError(str(STALE_EDIT))
        bewerking = Bewerking(product=locked)
        yield bewerking
        if bewerking.ongewijzigd:
            return
        locked.versie += 1
        locked.save(update_fields=["versie", "gewijzigd_op"])
        _audit(
            action=action,
            user=user,
            target=bewerking.target or locked,
            data={"product": model.SOORT, "versie": locked.versie, **bewerking.data},
        )


def product_update(*, product: Product, user, expected_versie: int, data: dict) -> Product:
    """Save the title and text sections of a product. ``expected_versie`` is the version the
    editor started from; if someone saved in between, nothing is overwritten."""
    model = type(product)
    with product_edit(
        product=product, user=user, expected_versie=expected_versie, action="cycle.product_edit"
    ) as bewerking:
        locked = bewerking.product
        changed = []
        for name in ("titel", *model.SECTIES):
            if name in data and getattr(locked, name) != data[name]:
                setattr(locked, name, data[name])
                changed.append(name)
        if changed:
            locked.save(update_fields=changed)
            bewerking.data["velden"] = changed
        else:
            bewerking.ongewijzigd = True
    return locked


def opmerking_plaatsen(*, product: Product, user, tekst: str):
    """A comment on a concept (or a product in consultation) for the drafter, by someone
    involved in the werkgebied. It does not change the product (nor its version)."""
    from .models import Opmerking

    tekst = (tekst or "").replace("\r\n", "\n").strip()
    if not tekst:
        raise ValidationError({"tekst": _("Schrijf eerst uw opmerking.")}, code="required")
    if len(tekst) > 3000:
        raise ValidationError(
            {"tekst": _("Een opmerking is hoogstens 3000 tekens.")}, code="max_length"
        )
    with transaction.atomic():
        locked = (
            type(product)
            .objects.select_for_update(of=("self",))
            .select_related("cyclus__werkgebied")
            .get(pk=product.pk)
        )
        if not user.has_perm("cycle.comment_product", locked):
            raise PermissionDenied
        opmerking = Opmerking.objects.create(
            cyclus=locked.cyclus,
            soort=locked.SOORT,
            auteur=user,
            auteur_rol=acting_role(user, locked),
            tekst=tekst,
        )
        _audit(
            action="cycle.opmerking",
            user=user,
            target=locked,
            data={"product": locked.SOORT, "opmerking": opmerking.pk},
        )
    return opmerking


def werkcyclus_create(*, werkgebied, jaar: int, user) -> Werkcyclus:
    """Start the cycle of ``werkgebied`` for programme year ``jaar`` with its four products in
    concept and the Delft calendar as planning."""
    if not user.has_perm("cycle.add_werkcyclus", werkgebied):
        raise PermissionDenied
    try:
        with transaction.atomic():
            cyclus = Werkcyclus.objects.create(
                werkgebied=werkgebied,
                jaar=jaar,
                analyse_gestart=timezone.localdate(),
                **delft_kalender(jaar),
            )
            for model in PRODUCT_MODELLEN:
                model.objects.create(
                    cyclus=cyclus,
                    titel=f"{model._meta.verbose_name.capitalize()} {werkgebied.naam} {jaar}",
                )
            _audit(action="cycle.created", user=user, target=cyclus, data={"jaar": jaar})
    except IntegrityError as exc:
        raise ValidationError(
            {
                "jaar": _("Er bestaat al een cyclus voor %(jaar)s in dit werkgebied.")
                % {"jaar": jaar}
            },
            code="unique",
        ) from exc
    return cyclus


def werkcyclus_plan(
    *,
    cyclus: Werkcyclus,
    user,
    planning: dict[str, datetime.date],
    expected_versie: int | None = None,
) -> Werkcyclus:
    """Change the planned dates of the phases. ``expected_versie`` is the version of the cycle
    the form was loaded with: a stale form overwrites nothing."""
    with transaction.atomic():
        locked = (
            Werkcyclus.objects.select_for_update().select_related("werkgebied").get(pk=cyclus.pk)
        )
        if not user.has_perm("cycle.plan_werkcyclus", locked):
            raise PermissionDenied
        if not user.has_perm("cycle.change_planning", locked):
            raise TransitionError(_("De planning van een afgeronde cyclus ligt vast."))
        if expected_versie is not None and locked.versie != expected_versie:
            raise StaleStateError(
                _(
                    "Iemand anders heeft deze cyclus intussen gewijzigd. Uw planning staat "
                    "hieronder nog in het formulier; laad de pagina opnieuw om de actuele "
                    "stand te zien."
                )
            )
        changed = {}
        for field, value in planning.items():
            old = getattr(locked, field)
            if old != value:
                setattr(locked, field, value)
                changed[field] = {"van": old.isoformat(), "naar": value.isoformat()}
        if changed:
            locked.versie += 1
            locked.save(update_fields=[*changed, "versie", "gewijzigd_op"])
            _audit(action="cycle.planned", user=user, target=locked, data=changed)
    return locked


def taakverdeling_save(*, actor, taakverdeling) -> None:
    """Set who drafts and who adopts in a werkgebied (a beheerder, in the admin)."""
    if not actor.has_perm("cycle.change_taakverdeling", taakverdeling):
        raise PermissionDenied
    with transaction.atomic():
        taakverdeling.save()
        _audit(
            action="cycle.taakverdeling",
            user=actor,
            target=taakverdeling,
            data={
                "werkgebied": taakverdeling.werkgebied_id,
                "wijkverslag_opsteller": taakverdeling.wijkverslag_opsteller,
                "vaststelling": taakverdeling.vaststelling,
            },
        )
