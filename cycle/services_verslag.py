"""Writes of the twelve-month report (phase ``verantwoording``): how each initiative ended
its year (realised, carried over into next year's programme, or dropped with a reason) and
the wijkraad's judgement of it.

Carrying over copies the initiative into the next cycle's programme of the same werkgebied,
through that programme's edit guard (so it must be in its drafting phase), asking its owner
for a toezegging again; the copy remembers where it came from."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Afloop,
    Agendapunt,
    Initiatief,
    Oordeel,
    Uitvoeringsstatus,
    Wijkprogramma,
)
from .services import TransitionError, _audit, product_edit
from .services_agenda import _schoon
from .services_programma import _lock_initiatief

# What a drafter of next year's programme would fill in again; the rest starts anew.
KOPIE_VELDEN = (
    "titel",
    "beoogd_effect",
    "cluster_id",
    "partner_id",
    "bewonersgroep",
    "trekker_naam",
    "trekker_id",
    "bijdragers",
    "participatieniveau",
    "bedrag",
    "financiering",
    "succesindicator",
)


def _een_jaar_later(datum: datetime.date) -> datetime.date:
    try:
        return datum.replace(year=datum.year + 1)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year + 1, day=28)


def afloop_vastleggen(
    *, initiatief: Initiatief, user, expected_versie: int, afloop: str, reden: str = ""
) -> Initiatief:
    """Record how the initiative ended its year: ``gerealiseerd`` (only when its execution
    status says so) or ``geschrapt`` (with a reason; a stopped one keeps its stop reason).
    Carrying over goes through ``initiatief_doorschuiven``."""
    reden = _schoon(reden)
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.close_initiatief", locked):
            raise PermissionDenied
        if afloop == Afloop.GEREALISEERD:
            if locked.status != Uitvoeringsstatus.GEREALISEERD:
                raise ValidationError(
                    {
                        "afloop": _(
                            "Alleen een initiatief met de status ‘gerealiseerd’ sluit het jaar "
                            "gerealiseerd af. Meld eerst de voortgang."
                        )
                    },
                    code="not_realised",
                )
            locked.afloop_reden = ""
        elif afloop == Afloop.GESCHRAPT:
            reden = reden or locked.stopreden
            if not reden:
                raise ValidationError(
                    {"reden": _("Zeg waarom het initiatief geschrapt wordt.")}, code="required"
                )
            if len(reden) > 3000:
                raise ValidationError({"reden": _("Maximaal 3000 tekens.")}, code="max_length")
            if locked.status == Uitvoeringsstatus.GEREALISEERD:
                raise ValidationError(
                    {"afloop": _("Dit initiatief is gerealiseerd; het kan niet geschrapt worden.")},
                    code="realised",
                )
            locked.afloop_reden = reden
        elif afloop == Afloop.DOORGESCHOVEN:
            raise ValidationError(
                {"afloop": _("Doorschuiven kopieert het initiatief naar volgend jaar.")},
                code="use_carry_over",
            )
        else:
            raise ValidationError({"afloop": _("Kies een afloop.")}, code="invalid")
        if locked.doorgeschoven_naar.exists():
            raise TransitionError(_("Dit initiatief is al doorgeschoven naar volgend jaar."))
        bron = locked.afloop
        locked.afloop = afloop
        locked.versie += 1
        locked.save(update_fields=["afloop", "afloop_reden", "versie"])
        _audit(
            action="cycle.initiatief_afloop",
            user=user,
            target=locked,
            data={"initiatief": locked.pk, "van": bron, "naar": afloop},
        )
    return locked


def volgend_programma(initiatief: Initiatief) -> Wijkprogramma | None:
    """The programme of the werkgebied's next cycle, if there is one."""
    cyclus = initiatief.wijkprogramma.cyclus
    return (
        Wijkprogramma.objects.select_related("cyclus__werkgebied")
        .filter(cyclus__werkgebied_id=cyclus.werkgebied_id, cyclus__jaar=cyclus.jaar + 1)
        .first()
    )


def voorgesteld_agendapunt(initiatief: Initiatief, programma: Wijkprogramma):
    """The agendapunt of next year's agenda a carried-over initiative would serve: the first
    one with the theme of the agendapunt it served this year (None if none has it)."""
    thema_id = initiatief.agendapunt.thema_id
    punten = Agendapunt.objects.filter(wijkagenda__cyclus_id=programma.cyclus_id)
    if thema_id is not None:
        match = punten.filter(thema_id=thema_id).order_by("rang").first()
        if match is not None:
            return match
    return None


def initiatief_doorschuiven(
    *, initiatief: Initiatief, user, expected_versie: int, agendapunt=None
) -> Initiatief:
    """Carry the initiative over: copy it into next year's programme (serving ``agendapunt``
    of next year's agenda, by default the one with the same theme), its dates a year later,
    its owner asked again; record this year's end as ``doorgeschoven``. Returns the copy."""
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.close_initiatief", locked):
            raise PermissionDenied
        if locked.status == Uitvoeringsstatus.GEREALISEERD:
            raise TransitionError(
                _("Dit initiatief is gerealiseerd; er valt niets door te schuiven.")
            )
        if locked.doorgeschoven_naar.exists():
            raise TransitionError(_("Dit initiatief is al doorgeschoven naar volgend jaar."))
        programma = volgend_programma(locked)
        if programma is None:
            raise TransitionError(
                _(
                    "Er is nog geen cyclus voor volgend jaar. Start die eerst; dan kan het "
                    "initiatief erheen."
                )
            )
        if agendapunt is None:
            agendapunt = voorgesteld_agendapunt(locked, programma)
        if agendapunt is None or agendapunt.wijkagenda.cyclus_id != programma.cyclus_id:
            raise ValidationError(
                {"agendapunt": _("Kies het agendapunt van volgend jaar dat dit initiatief dient.")},
                code="required",
            )
        with product_edit(
            product=programma,
            user=user,
            expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
            action="cycle.initiatief_doorgeschoven",
        ) as bewerking:
            kopie = Initiatief(
                wijkprogramma=bewerking.product,
                agendapunt=agendapunt,
                doorgeschoven_van=locked,
                start=_een_jaar_later(locked.start),
                eind=_een_jaar_later(locked.verwacht_eind or locked.eind),
                **{veld: getattr(locked, veld) for veld in KOPIE_VELDEN},
            )
            kopie.save()
            bewerking.target = kopie
            bewerking.data.update(initiatief=kopie.pk, van=locked.pk, titel=kopie.titel)
        bron = locked.afloop
        locked.afloop = Afloop.DOORGESCHOVEN
        locked.afloop_reden = ""
        locked.versie += 1
        locked.save(update_fields=["afloop", "afloop_reden", "versie"])
        _audit(
            action="cycle.initiatief_afloop",
            user=user,
            target=locked,
            data={"initiatief": locked.pk, "van": bron, "naar": locked.afloop, "kopie": kopie.pk},
        )
    return kopie


def oordeel_geven(
    *, initiatief: Initiatief, user, expected_versie: int, oordeel: str, toelichting: str = ""
) -> Initiatief:
    """The wijkraad's judgement of the initiative (a wijkraadslid of the werkgebied gives it
    for the wijkraad; giving it again replaces it, and both are in the audit log)."""
    toelichting = _schoon(toelichting)
    if oordeel not in Oordeel.values:
        raise ValidationError({"oordeel": _("Kies een oordeel.")}, code="invalid")
    if len(toelichting) > 3000:
        raise ValidationError({"toelichting": _("Maximaal 3000 tekens.")}, code="max_length")
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.judge_initiatief", locked):
            raise PermissionDenied
        bron = locked.oordeel
        locked.oordeel = oordeel
        locked.oordeel_toelichting = toelichting
        locked.oordeel_door = user
        locked.oordeel_op = timezone.now()
        locked.versie += 1
        locked.save(
            update_fields=["oordeel", "oordeel_toelichting", "oordeel_door", "oordeel_op", "versie"]
        )
        _audit(
            action="cycle.initiatief_oordeel",
            user=user,
            target=locked,
            data={"initiatief": locked.pk, "van": bron, "naar": oordeel},
        )
    return locked
