"""Writes of the twelve-month report (phase ``verantwoording``): how each initiative ended
its year (realised, carried over into next year's programme, or dropped with a reason) and
the wijkraad's judgement of it.

Carrying over copies the initiative into a later programme of the same werkgebied, through
that programme's edit guard (so it must be in its drafting phase), asking its owner for a
toezegging again; the copy remembers where it came from. When no later programme is being
drafted yet, the initiative waits until one is, and its drafter takes it over there."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Afloop,
    Agendapunt,
    Fase,
    Initiatief,
    Oordeel,
    Productstatus,
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


def _jaren_later(datum: datetime.date, jaren: int) -> datetime.date:
    try:
        return datum.replace(year=datum.year + jaren)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year + jaren, day=28)


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


def _open_programma() -> Q:
    """A programme that can take an initiative now: drafted or in consultation in its
    programme phase, or reopened for a correction (as ``Product.is_bewerkbaar``)."""
    return Q(status=Productstatus.CORRECTIE) | Q(
        status__in=[Productstatus.CONCEPT, Productstatus.CONSULTATIE],
        cyclus__fase=Fase.PROGRAMMA,
    )


def volgend_programma(initiatief: Initiatief) -> Wijkprogramma | None:
    """The programme a carried-over initiative goes into now: that of the first later cycle
    of the werkgebied that is still being drafted. None when there is none yet (Delft's
    calendar: the twelve-month report is written when next year's programme is usually
    adopted already): the initiative then waits for the next programme to be drafted."""
    cyclus = initiatief.wijkprogramma.cyclus
    return (
        Wijkprogramma.objects.select_related("cyclus__werkgebied")
        .filter(
            _open_programma(),
            cyclus__werkgebied_id=cyclus.werkgebied_id,
            cyclus__jaar__gt=cyclus.jaar,
        )
        .order_by("cyclus__jaar")
        .first()
    )


def voorgesteld_agendapunt(initiatief: Initiatief, programma: Wijkprogramma):
    """The agendapunt of the later agenda a carried-over initiative would serve: the first
    one with the theme of the agendapunt it served this year (None if none has it)."""
    thema_id = initiatief.agendapunt.thema_id
    punten = Agendapunt.objects.filter(wijkagenda__cyclus_id=programma.cyclus_id)
    if thema_id is not None:
        match = punten.filter(thema_id=thema_id).order_by("rang").first()
        if match is not None:
            return match
    return None


def _kopieer(locked: Initiatief, *, programma, agendapunt, user, expected_versie) -> Initiatief:
    """Copy the (locked) carried-over initiative into ``programma`` through its edit guard,
    serving ``agendapunt`` of that cycle's agenda, its dates moved to that year."""
    if agendapunt is None or agendapunt.wijkagenda.cyclus_id != programma.cyclus_id:
        raise ValidationError(
            {
                "agendapunt": _(
                    "Kies het agendapunt van de wijkagenda van %(jaar)d dat dit initiatief dient."
                )
                % {"jaar": programma.cyclus.jaar}
            },
            code="required",
        )
    jaren = programma.cyclus.jaar - locked.wijkprogramma.cyclus.jaar
    with product_edit(
        product=programma,
        user=user,
        expected_versie=expected_versie,
        action="cycle.initiatief_doorgeschoven",
    ) as bewerking:
        kopie = Initiatief(
            wijkprogramma=bewerking.product,
            agendapunt=agendapunt,
            doorgeschoven_van=locked,
            start=_jaren_later(locked.start, jaren),
            eind=_jaren_later(locked.verwacht_eind or locked.eind, jaren),
            **{veld: getattr(locked, veld) for veld in KOPIE_VELDEN},
        )
        kopie.save()
        bewerking.target = kopie
        bewerking.data.update(initiatief=kopie.pk, van=locked.pk, titel=kopie.titel)
    return kopie


def initiatief_doorschuiven(
    *, initiatief: Initiatief, user, expected_versie: int, agendapunt=None
) -> Initiatief | None:
    """Carry the initiative over and record this year's end as ``doorgeschoven``. When a
    later programme of the werkgebied is being drafted, copy it there at once (serving
    ``agendapunt`` of that agenda, by default the one with the same theme), its dates moved
    along, its owner asked again, and return the copy. Otherwise return None: it waits on
    the next programme's page, where its drafter takes it over with one click
    (``doorgeschoven_overnemen``)."""
    with transaction.atomic():
        locked = _lock_initiatief(initiatief, expected_versie=expected_versie)
        if not user.has_perm("cycle.close_initiatief", locked):
            raise PermissionDenied
        if locked.status == Uitvoeringsstatus.GEREALISEERD:
            raise TransitionError(
                _("Dit initiatief is gerealiseerd; er valt niets door te schuiven.")
            )
        if locked.afloop == Afloop.DOORGESCHOVEN:
            raise TransitionError(_("Dit initiatief is al doorgeschoven naar volgend jaar."))
        programma = volgend_programma(locked)
        kopie = None
        if programma is not None:
            if agendapunt is None:
                agendapunt = voorgesteld_agendapunt(locked, programma)
            kopie = _kopieer(
                locked,
                programma=programma,
                agendapunt=agendapunt,
                user=user,
                expected_versie=Wijkprogramma.objects.get(pk=programma.pk).versie,
            )
        bron = locked.afloop
        locked.afloop = Afloop.DOORGESCHOVEN
        locked.afloop_reden = ""
        locked.versie += 1
        locked.save(update_fields=["afloop", "afloop_reden", "versie"])
        _audit(
            action="cycle.initiatief_afloop",
            user=user,
            target=locked,
            data={
                "initiatief": locked.pk,
                "van": bron,
                "naar": locked.afloop,
                "kopie": kopie.pk if kopie else None,
            },
        )
    return kopie


def doorgeschoven_overnemen(
    *, initiatief: Initiatief, programma: Wijkprogramma, user, expected_versie: int, agendapunt
) -> Initiatief:
    """Take a carried-over initiative that waits for a programme into ``programma`` (a later
    one of the same werkgebied, being drafted): the one click of its drafter. Returns the
    copy. ``expected_versie`` is the programme's version the drafter's page showed."""
    with transaction.atomic():
        locked = (
            Initiatief.objects.select_for_update(of=("self",))
            .select_related("wijkprogramma__cyclus")
            .get(pk=initiatief.pk)
        )
        if not user.has_perm("cycle.draft_wijkprogramma", programma):
            raise PermissionDenied
        bron = locked.wijkprogramma.cyclus
        if (
            locked.afloop != Afloop.DOORGESCHOVEN
            or bron.werkgebied_id != programma.cyclus.werkgebied_id
            or bron.jaar >= programma.cyclus.jaar
        ):
            raise TransitionError(_("Dit initiatief wacht niet op dit wijkprogramma."))
        if locked.doorgeschoven_naar.exists():
            raise TransitionError(_("Dit initiatief is al overgenomen in een wijkprogramma."))
        return _kopieer(
            locked,
            programma=programma,
            agendapunt=agendapunt,
            user=user,
            expected_versie=expected_versie,
        )


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
