"""Writes of the wijkprogramma's content and of its execution year.

- The drafter adds, changes and removes initiatives through the edit guard
  (``services.product_edit``): the programme's header is locked, its version checked and
  raised, the change audited. Changing what an owner committed to asks the owner again.
- The owner answers (``initiatief_toezeggen`` / ``initiatief_afwijzen``): for a cluster its
  accounthouder in the werkgebied's gebied, for a partner or a residents' group whoever runs
  the cycle, on their behalf. The answer raises the programme's version too: its adoption
  check changed.
- In ``uitvoering``: progress updates with an optional change of execution status, one by
  one or many at once (all or nothing), and knelpunten raised and resolved.

Every write locks the rows it changes, checks the rules the views ask, checks the version the
user's page was read at, and writes its audit entry in the same transaction."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from . import signals
from .models import (
    Agendapunt,
    Financiering,
    Initiatief,
    Knelpunt,
    Participatieniveau,
    Toezegging,
    Uitvoeringsstatus,
    Voortgang,
    Wijkprogramma,
)
from .services import StaleStateError, TransitionError, _audit, product_edit
from .services_agenda import _check_velden, _regel, _schoon

# The fields the drafter writes; a change to any of those in ``TOEGEZEGDE_VELDEN`` asks the
# owner again (the trekker and the contributors do not: the owner often names them).
VELDEN = (
    "agendapunt",
    "titel",
    "beoogd_effect",
    "cluster",
    "partner",
    "bewonersgroep",
    "trekker_naam",
    "bijdragers",
    "participatieniveau",
    "start",
    "eind",
    "bedrag",
    "financiering",
    "succesindicator",
    "wijkopgave",
    "doel",
)
# Foreign keys among ``VELDEN`` (set and saved by their ``_id``).
FK_VELDEN = ("agendapunt", "cluster", "partner", "wijkopgave", "doel")
TOEGEZEGDE_VELDEN = {
    "agendapunt",
    "titel",
    "beoogd_effect",
    "cluster",
    "partner",
    "bewonersgroep",
    "start",
    "eind",
    "bedrag",
    "financiering",
    "succesindicator",
}
TEKSTVELDEN = ("titel", "beoogd_effect", "bewonersgroep", "trekker_naam", "bijdragers")
REGELVELDEN = {"titel", "bewonersgroep", "trekker_naam", "bijdragers", "succesindicator"}

STALE_INITIATIEF = _(
    "Dit initiatief is gewijzigd nadat u de pagina opende. Er is niets opgeslagen; lees het "
    "initiatief opnieuw en probeer het dan nog eens."
)

# Which transition leads to which execution status (for a progress update that changes it).
STATUS_STAP = {
    Uitvoeringsstatus.IN_UITVOERING: "starten",
    Uitvoeringsstatus.VERTRAAGD: "vertragen",
    Uitvoeringsstatus.GEREALISEERD: "realiseren",
    Uitvoeringsstatus.GESTOPT: "stoppen",
}


# ------------------------------------------------------------------ the drafter's part


def _waarden(data: dict) -> dict:
    """The drafter's input, cleaned: one-line texts, stripped text, amounts as Decimal."""
    schoon = {}
    for name, value in data.items():
        if name not in VELDEN:
            raise TypeError(f"unknown field {name!r}")
        if name in REGELVELDEN:
            value = _regel(value)
        elif name == "beoogd_effect":
            value = _schoon(value)
        elif name == "bedrag":
            try:
                value = Decimal(value if value not in (None, "") else 0)
                if not value.is_finite():
                    raise ValueError(value)
            except (InvalidOperation, TypeError, ValueError):
                raise ValidationError(
                    {"bedrag": _("Vul een bedrag in euro's in, zoals 1500 of 1500,50.")},
                    code="invalid",
                ) from None
        schoon[name] = value
    return schoon


def _check_initiatief(initiatief: Initiatief, programma: Wijkprogramma) -> None:
    """Everything the database would refuse, as messages per field, and what it cannot know:
    the agendapunt belongs to this cycle's agenda."""
    errors: dict[str, list[str]] = {}
    try:
        _check_velden(
            initiatief,
            (
                "titel",
                "beoogd_effect",
                "bewonersgroep",
                "trekker_naam",
                "bijdragers",
                "participatieniveau",
                "start",
                "eind",
                "bedrag",
                "financiering",
                "succesindicator",
            ),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if initiatief.agendapunt_id is None:
        errors.setdefault("agendapunt", []).append(_("Kies het agendapunt dat dit dient."))
    elif not Agendapunt.objects.filter(
        pk=initiatief.agendapunt_id, wijkagenda__cyclus_id=programma.cyclus_id
    ).exists():
        errors.setdefault("agendapunt", []).append(
            _("Kies een agendapunt van de wijkagenda van dit jaar.")
        )
    eigenaars = [
        initiatief.cluster_id is not None,
        initiatief.partner_id is not None,
        bool(initiatief.bewonersgroep),
    ]
    if sum(eigenaars) != 1:
        errors.setdefault("cluster", []).append(
            _("Kies één eigenaar: een cluster, een partner óf een bewonersgroep.")
        )
    if initiatief.start and initiatief.eind and initiatief.eind < initiatief.start:
        errors.setdefault("eind", []).append(_("Het einde ligt vóór de start."))
    if initiatief.bedrag is not None:
        if initiatief.bedrag < 0:
            errors.setdefault("bedrag", []).append(_("Een bedrag kan niet negatief zijn."))
        elif initiatief.bedrag > 0 and initiatief.financiering == Financiering.GEEN:
            errors.setdefault("financiering", []).append(
                _("Zeg waar het geld vandaan komt: het wijkbudget of het eigen budget.")
            )
    if initiatief.participatieniveau not in Participatieniveau.values:
        errors.setdefault("participatieniveau", []).append(_("Kies een trede van de ladder."))
    errors.update(_check_koppeling(initiatief, programma))
    if errors:
        raise ValidationError(errors)


def _check_koppeling(initiatief: Initiatief, programma: Wijkprogramma) -> dict:
    """The opgave and doel: of the adopted wijkakkoord covering the cycle's year, the doel
    under the opgave (a doel alone brings its opgave). Those it has already stay valid."""
    from .services_akkoord import check_koppeling

    huidig = getattr(initiatief, "_koppeling_huidig", (None, None))
    try:
        opgave_id, doel_id = check_koppeling(
            cyclus=programma.cyclus,
            opgave=initiatief.wijkopgave_id,
            doel=initiatief.doel_id,
            huidig=huidig,
        )
    except ValidationError as exc:
        return exc.message_dict
    initiatief.wijkopgave_id, initiatief.doel_id = opgave_id, doel_id
    return {}


def _zet(initiatief: Initiatief, waarden: dict) -> list[str]:
    """Set the changed values; return the names of the changed fields."""
    changed = []
    for name, value in waarden.items():
        attname = f"{name}_id" if name in FK_VELDEN else name
        new = getattr(value, "pk", value) if attname.endswith("_id") else value
        if getattr(initiatief, attname) != new:
            setattr(initiatief, attname, new)
            changed.append(name)
    return changed


def initiatief_toevoegen(
    *, wijkprogramma: Wijkprogramma, user, expected_versie: int, **data
) -> Initiatief:
    """Add an initiative to the programme; its owner is asked for a toezegging."""
    waarden = _waarden(data)
    with product_edit(
        product=wijkprogramma,
        user=user,
        expected_versie=expected_versie,
        action="cycle.initiatief_toegevoegd",
    ) as bewerking:
        programma = bewerking.product
        initiatief = Initiatief(wijkprogramma=programma)
        _zet(initiatief, waarden)
        _check_initiatief(initiatief, programma)
        initiatief.save()
        bewerking.target = initiatief
        bewerking.data.update(initiatief=initiatief.pk, titel=initiatief.titel)
    return initiatief


def _lock_voor_opsteller(initiatief: Initiatief, programma: Wijkprogramma) -> Initiatief:
    locked = (
        Initiatief.objects.select_for_update(of=("self",))
        .filter(pk=initiatief.pk, wijkprogramma=programma)
        .first()
    )
    if locked is None:
        raise TransitionError(_("Dit initiatief bestaat niet meer."))
    locked.wijkprogramma = programma
    return locked


def initiatief_wijzigen(
    *, initiatief: Initiatief, user, expected_versie: int, **data
) -> Initiatief:
    """Change an initiative (``expected_versie``: the programme's version). A change to what
    the owner committed to asks the owner again."""
    waarden = _waarden(data)
    with product_edit(
        product=initiatief.wijkprogramma,
        user=user,
        expected_versie=expected_versie,
        action="cycle.initiatief_gewijzigd",
    ) as bewerking:
        locked = _lock_voor_opsteller(initiatief, bewerking.product)
        huidig = locked._koppeling_huidig = (locked.wijkopgave_id, locked.doel_id)
        changed = _zet(locked, waarden)
        _check_initiatief(locked, bewerking.product)
        # A doel alone brings its opgave (set by the check).
        if locked.wijkopgave_id != huidig[0] and "wijkopgave" not in changed:
            changed.append("wijkopgave")
        if not changed:
            bewerking.ongewijzigd = True
            return locked
        opnieuw = locked.toezegging != Toezegging.GEVRAAGD and bool(
            TOEGEZEGDE_VELDEN.intersection(changed)
        )
        if opnieuw:
            locked.opnieuw_vragen()
            locked.toezegging_reden = ""
            changed += ["toezegging", "toezegging_reden"]
        locked.versie += 1
        locked.save(
            update_fields=[f"{n}_id" if n in FK_VELDEN else n for n in changed] + ["versie"]
        )
        bewerking.target = locked
        bewerking.data.update(initiatief=locked.pk, velden=changed, opnieuw_gevraagd=opnieuw)
    return locked


def initiatief_verwijderen(*, initiatief: Initiatief, user, expected_versie: int) -> None:
    with product_edit(
        product=initiatief.wijkprogramma,
        user=user,
        expected_versie=expected_versie,
        action="cycle.initiatief_verwijderd",
    ) as bewerking:
        locked = _lock_voor_opsteller(initiatief, bewerking.product)
        titel = locked.titel
        locked.delete()
        bewerking.data.update(initiatief=initiatief.pk, titel=titel)


# -------------------------------------------------------------------- the owner's part


def _lock_initiatief(initiatief: Initiatief, *, expected_versie: int) -> Initiatief:
    locked = (
        Initiatief.objects.select_for_update(of=("self",))
        .select_related("wijkprogramma__cyclus__werkgebied__taakverdeling", "cluster", "partner")
        .filter(pk=initiatief.pk)
        .first()
    )
    if locked is None:
        raise TransitionError(_("Dit initiatief bestaat niet meer."))
    if locked.versie != expected_versie:
        raise StaleStateError(str(STALE_INITIATIEF))
    return locked


def _trekker_account(email: str):
    """The active account with this e-mail address, or a message for the field."""
    email = (email or "").strip()
    if not email:
        return None
    found = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if found is None:
        raise ValidationError(
            {
                "trekker_email": _(
                    "Er is geen account met dit e-mailadres. Laat het veld leeg: de naam "
                    "van de trekker is genoeg."
                )
            },
            code="unknown",
        )
    return found


def _toezegging_opslaan(locked: Initiatief, *, user, action: str, bron: str) -> None:
    locked.toezegging_door = user
    locked.toezegging_op = timezone.now()
    locked.versie += 1
    locked.save()
    # The programme's adoption check changed: a page that showed it is stale now.
    Wijkprogramma.objects.filter(pk=locked.wijkprogramma_id).update(versie=F("versie") + 1)
    _audit(
        action=action,
        user=user,
        target=locked,
        data={"initiatief": locked.pk, "van": bron, "naar": locked.toezegging},
    )


def initiatief_toezeggen(
    *,
    initiatief: Initiatief,
    user,
    expected_versie: int,
    trekker_naam: str | None = None,
    trekker_email: str = "",
) -> Initiatief:
    """The owner commits to the initiative, naming its trekker if the drafter did not."""
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.commit_initiatief", locked):
            raise PermissionDenied
        if locked.toezegging == Toezegging.TOEGEZEGD:
            raise TransitionError(_("Dit initiatief is al toegezegd."))
        if trekker_naam is not None:
            locked.trekker_naam = _regel(trekker_naam)
        account = _trekker_account(trekker_email)
        if account is not None:
            locked.trekker = account
        if not locked.trekker_naam:
            raise ValidationError(
                {"trekker_naam": _("Noem de trekker: wie zorgt dat dit gebeurt?")},
                code="required",
            )
        _check_velden(locked, ("trekker_naam",))
        bron = locked.toezegging
        locked.toezeggen()
        locked.toezegging_reden = ""
        _toezegging_opslaan(locked, user=user, action="cycle.initiatief_toegezegd", bron=bron)
    return locked


def initiatief_afwijzen(
    *, initiatief: Initiatief, user, expected_versie: int, reden: str
) -> Initiatief:
    """The owner declines, with a reason the drafter reads."""
    reden = _schoon(reden)
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.commit_initiatief", locked):
            raise PermissionDenied
        if locked.toezegging == Toezegging.AFGEWEZEN:
            raise TransitionError(_("Dit initiatief is al afgewezen."))
        if not reden:
            raise ValidationError(
                {"reden": _("Zeg waarom: de opsteller moet er iets mee kunnen.")},
                code="required",
            )
        if len(reden) > 3000:
            raise ValidationError(
                {
                    "reden": _("Maximaal %(limit)d tekens (nu %(lengte)d).")
                    % {"limit": 3000, "lengte": len(reden)}
                },
                code="max_length",
            )
        bron = locked.toezegging
        locked.afwijzen()
        locked.toezegging_reden = reden
        _toezegging_opslaan(locked, user=user, action="cycle.initiatief_afgewezen", bron=bron)
    return locked


# ------------------------------------------------------------------- the execution year


@dataclass
class Update:
    """One progress update: ``status`` the execution status after it (unchanged if the same
    or None), with the expected new end date when delayed and the reason when stopped."""

    initiatief: Initiatief
    expected_versie: int
    tekst: str = ""
    percentage: int | None = None
    mijlpaal: str = ""
    status: str | None = None
    verwacht_eind: datetime.date | None = None
    stopreden: str = ""
    datum: datetime.date | None = None
    fouten: dict = field(default_factory=dict)


def _check_update(locked: Initiatief, update: Update, *, user) -> list[str]:
    """Apply ``update`` to the locked initiative in memory; return the changed fields or
    raise ``ValidationError`` with messages per field."""
    errors: dict[str, list[str]] = {}
    tekst = _schoon(update.tekst)
    if not tekst:
        errors["tekst"] = [_("Schrijf kort wat er gebeurd is.")]
    elif len(tekst) > 3000:
        errors["tekst"] = [
            _("Maximaal %(limit)d tekens (nu %(lengte)d).") % {"limit": 3000, "lengte": len(tekst)}
        ]
    if update.percentage is not None and not 0 <= update.percentage <= 100:
        errors["percentage"] = [_("Een percentage tussen 0 en 100.")]
    if len(_regel(update.mijlpaal)) > 200:
        errors["mijlpaal"] = [_("Maximaal 200 tekens.")]
    vandaag = timezone.localdate()
    if update.datum is not None and update.datum > vandaag:
        errors["datum"] = [_("Een update gaat over wat er al gebeurd is: niet na vandaag.")]
    changed = []
    nieuw = update.status or locked.status
    if nieuw != locked.status:
        stap = STATUS_STAP.get(nieuw)
        methode = getattr(locked, stap) if stap else None
        if methode is None or not can_proceed(methode):
            errors["status"] = [
                _("Van ‘%(van)s’ kan het niet naar ‘%(naar)s’.")
                % {
                    "van": locked.get_status_display(),
                    "naar": Uitvoeringsstatus(nieuw).label
                    if nieuw in Uitvoeringsstatus.values
                    else nieuw,
                }
            ]
        elif not has_transition_perm(methode, user):
            raise PermissionDenied
        else:
            if nieuw == Uitvoeringsstatus.VERTRAAGD:
                if update.verwacht_eind is None:
                    errors["verwacht_eind"] = [_("Wanneer is het naar verwachting klaar?")]
                elif update.verwacht_eind < vandaag:
                    errors["verwacht_eind"] = [_("De nieuwe datum ligt in het verleden.")]
            if nieuw == Uitvoeringsstatus.GESTOPT:
                if not _schoon(update.stopreden):
                    errors["stopreden"] = [_("Zeg waarom het initiatief stopt.")]
                elif len(_schoon(update.stopreden)) > 3000:
                    errors["stopreden"] = [_("Maximaal 3000 tekens.")]
            if not errors:
                methode()
                changed.append("status")
                if nieuw == Uitvoeringsstatus.VERTRAAGD:
                    locked.verwacht_eind = update.verwacht_eind
                    changed.append("verwacht_eind")
                if nieuw == Uitvoeringsstatus.GESTOPT:
                    locked.stopreden = _schoon(update.stopreden)
                    changed.append("stopreden")
                if nieuw == Uitvoeringsstatus.GEREALISEERD and update.percentage is None:
                    update.percentage = 100
    elif (
        nieuw == Uitvoeringsstatus.VERTRAAGD
        and update.verwacht_eind is not None
        and update.verwacht_eind != locked.verwacht_eind
    ):
        # Still delayed, with a new expected date.
        if update.verwacht_eind < vandaag:
            errors["verwacht_eind"] = [_("De nieuwe datum ligt in het verleden.")]
        else:
            locked.verwacht_eind = update.verwacht_eind
            changed.append("verwacht_eind")
    if errors:
        raise ValidationError(errors)
    if update.percentage is not None and update.percentage != locked.percentage:
        locked.percentage = update.percentage
        changed.append("percentage")
    return changed


def _lock_voor_update(initiatief: Initiatief, *, user, expected_versie: int) -> Initiatief:
    locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
    if not user.has_perm("cycle.report_initiatief", locked):
        raise PermissionDenied
    return locked


def _update_opslaan(locked: Initiatief, update: Update, changed: list[str], *, user) -> Voortgang:
    nu = timezone.now()
    voortgang = Voortgang.objects.create(
        initiatief=locked,
        datum=update.datum or timezone.localdate(),
        percentage=update.percentage,
        mijlpaal=_regel(update.mijlpaal),
        tekst=_schoon(update.tekst),
        status=locked.status,
        auteur=user,
    )
    locked.laatste_update = nu
    locked.versie += 1
    locked.save(update_fields=[*changed, "laatste_update", "versie"])
    entry = _audit(
        action="cycle.voortgang_gemeld",
        user=user,
        target=locked,
        data={
            "initiatief": locked.pk,
            "voortgang": voortgang.pk,
            "status": locked.status,
            "status_gewijzigd": "status" in changed,
            "percentage": update.percentage,
        },
    )
    signals.voortgang_gemeld.send(
        sender=Initiatief,
        initiatief=locked,
        voortgang=voortgang,
        entry=entry,
        status_gewijzigd="status" in changed,
    )
    return voortgang


def voortgang_melden(*, user, update: Update) -> Voortgang:
    """One progress update on one initiative (and its new status, if it changed)."""
    with transaction.atomic():
        locked = _lock_voor_update(
            update.initiatief, user=user, expected_versie=update.expected_versie
        )
        changed = _check_update(locked, update, user=user)
        return _update_opslaan(locked, update, changed, user=user)


class BulkFout(Exception):
    """Some rows of a bulk update are wrong: ``fouten`` maps each row's index to its
    ``ValidationError`` (or a message for the row). Nothing was saved."""

    def __init__(self, fouten: dict):
        super().__init__(fouten)
        self.fouten = fouten


def voortgang_bulk(*, user, updates: list[Update]) -> list[Voortgang]:
    """Many progress updates at once (an accounthouder's whole list): all are saved, or none.
    Rows are locked in a fixed order (by id), so two bulk updates never deadlock."""
    fouten: dict[int, object] = {}
    with transaction.atomic():
        volgorde = sorted(range(len(updates)), key=lambda i: updates[i].initiatief.pk)
        locked_rows: dict[int, Initiatief] = {}
        for index in volgorde:
            update = updates[index]
            try:
                locked_rows[index] = _lock_voor_update(
                    update.initiatief, user=user, expected_versie=update.expected_versie
                )
            except (TransitionError, PermissionDenied) as exc:
                fouten[index] = exc
        changes = {}
        for index, locked in locked_rows.items():
            try:
                changes[index] = _check_update(locked, updates[index], user=user)
            except ValidationError as exc:
                fouten[index] = exc
            except PermissionDenied as exc:
                fouten[index] = exc
        if fouten:
            # Nothing is saved half; the transaction ends without a write.
            raise BulkFout(fouten)
        return [
            _update_opslaan(locked_rows[index], updates[index], changes[index], user=user)
            for index in sorted(locked_rows)
        ]


# ------------------------------------------------------------------------- knelpunten


def knelpunt_melden(*, initiatief: Initiatief, user, beschrijving: str) -> Knelpunt:
    beschrijving = _schoon(beschrijving)
    with transaction.atomic():
        locked = (
            Initiatief.objects.select_for_update(of=("self",))
            .select_related("wijkprogramma__cyclus__werkgebied", "cluster")
            .filter(pk=initiatief.pk)
            .first()
        )
        if locked is None:
            raise TransitionError(_("Dit initiatief bestaat niet meer."))
        if not user.has_perm("cycle.raise_knelpunt", locked):
            raise PermissionDenied
        knelpunt = Knelpunt(initiatief=locked, beschrijving=beschrijving, gemeld_door=user)
        if not beschrijving:
            raise ValidationError(
                {"beschrijving": _("Beschrijf wat er in de weg zit.")}, code="required"
            )
        _check_velden(knelpunt, ("beschrijving",))
        knelpunt.save()
        _audit(
            action="cycle.knelpunt_gemeld",
            user=user,
            target=knelpunt,
            data={"initiatief": locked.pk, "knelpunt": knelpunt.pk},
        )
    return knelpunt


def knelpunt_oplossen(*, knelpunt: Knelpunt, user, oplossing: str) -> Knelpunt:
    oplossing = _schoon(oplossing)
    with transaction.atomic():
        locked = (
            Knelpunt.objects.select_for_update(of=("self",))
            .select_related("initiatief__wijkprogramma__cyclus__werkgebied", "initiatief__cluster")
            .filter(pk=knelpunt.pk)
            .first()
        )
        if locked is None:
            raise TransitionError(_("Dit knelpunt bestaat niet meer."))
        if not user.has_perm("cycle.resolve_knelpunt", locked):
            raise PermissionDenied
        if not locked.is_open:
            raise TransitionError(_("Dit knelpunt is al opgelost."))
        if not oplossing:
            raise ValidationError(
                {"oplossing": _("Schrijf op hoe het is opgelost.")}, code="required"
            )
        locked.oplossing = oplossing
        _check_velden(locked, ("oplossing",))
        locked.opgelost_op = timezone.now()
        locked.opgelost_door = user
        locked.save(update_fields=["oplossing", "opgelost_op", "opgelost_door"])
        _audit(
            action="cycle.knelpunt_opgelost",
            user=user,
            target=locked,
            data={"initiatief": locked.initiatief_id, "knelpunt": locked.pk},
        )
    return locked
