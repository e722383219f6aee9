"""Writes of the wijkraad's advice: asking it (the wijkmanager, with a deadline), giving it on
behalf of the wijkraad (a wijkraadslid of the werkgebied: asked, or unasked from the start),
and answering it (the wijkmanager, or the college's answer recorded by the wijkmanager).

Each write locks the advice's row, asks the rules the pages ask, checks the version the user's
page was read at, takes the step, raises the version and audits, in one transaction. A stale
page changes nothing: ``StaleStateError``."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_fsm import can_proceed

from cycle.models import Werkcyclus, Wijkakkoord
from cycle.services import StaleStateError, TransitionError, _audit
from cycle.services_agenda import _check_velden, _schoon

from .models import (
    CYCLUS_ONDERWERPEN,
    Advies,
    Adviesonderwerp,
    Adviesstatus,
    AntwoordVan,
)

STALE_ADVIES = _lazy(
    "Iemand anders heeft dit advies intussen gewijzigd. Er is niets opgeslagen; uw invoer staat "
    "hieronder nog in het formulier. Laad de pagina opnieuw om de actuele stand te zien."
)
# A deadline further away than this is a typing error, not a plan.
MAX_TERMIJN = datetime.timedelta(days=366)


def _onderwerp(werkgebied, onderwerp: str, cyclus, wijkakkoord) -> dict:
    """The subject's fields, checked to belong to ``werkgebied``."""
    if onderwerp not in Adviesonderwerp.values:
        raise ValidationError({"onderwerp": _("Kies waarover het advies gaat.")})
    if onderwerp == Adviesonderwerp.WIJKAKKOORD:
        if not isinstance(wijkakkoord, Wijkakkoord) or wijkakkoord.werkgebied_id != werkgebied.pk:
            raise ValidationError({"wijkakkoord": _("Kies een wijkakkoord van dit werkgebied.")})
        return {"onderwerp": onderwerp, "wijkakkoord": wijkakkoord, "cyclus": None}
    assert onderwerp in CYCLUS_ONDERWERPEN
    if not isinstance(cyclus, Werkcyclus) or cyclus.werkgebied_id != werkgebied.pk:
        raise ValidationError({"cyclus": _("Kies een programmajaar van dit werkgebied.")})
    return {"onderwerp": onderwerp, "cyclus": cyclus, "wijkakkoord": None}


def _check_besluitdatum(besluitdatum) -> None:
    if not isinstance(besluitdatum, datetime.date):
        raise ValidationError(
            {"besluitdatum": _("Vul de datum van het besluit van de wijkraad in.")}
        )
    if besluitdatum > timezone.localdate():
        raise ValidationError(
            {"besluitdatum": _("Het besluit van de wijkraad kan niet in de toekomst liggen.")}
        )


def advies_vragen(
    *, werkgebied, user, onderwerp: str, cyclus=None, wijkakkoord=None, vraag: str, termijn
) -> Advies:
    """The wijkmanager asks the wijkraad's advice on a subject of ``werkgebied``."""
    if not user.has_perm("participation.vraag_advies", werkgebied):
        raise PermissionDenied
    velden = _onderwerp(werkgebied, onderwerp, cyclus, wijkakkoord)
    today = timezone.localdate()
    if not isinstance(termijn, datetime.date):
        raise ValidationError({"termijn": _("Vul de datum in waarvóór het advies nodig is.")})
    if termijn < today:
        raise ValidationError({"termijn": _("De termijn kan niet in het verleden liggen.")})
    if termijn > today + MAX_TERMIJN:
        raise ValidationError({"termijn": _("Kies een termijn binnen een jaar.")})
    advies = Advies(
        werkgebied=werkgebied,
        status=Adviesstatus.GEVRAAGD,
        vraag=_schoon(vraag),
        termijn=termijn,
        gevraagd_door=user,
        gevraagd_op=timezone.now(),
        **velden,
    )
    if not advies.vraag:
        raise ValidationError({"vraag": _("Schrijf op waarover u advies vraagt.")})
    _check_velden(advies, ("vraag",))
    with transaction.atomic():
        advies.save()
        _audit(
            action="participation.advies_gevraagd",
            user=user,
            target=advies,
            data={"onderwerp": onderwerp, "termijn": termijn.isoformat()},
        )
    return advies


def advies_ongevraagd(
    *, werkgebied, user, onderwerp: str, cyclus=None, wijkakkoord=None, advies: str, besluitdatum
) -> Advies:
    """A wijkraadslid records the wijkraad's unasked advice: it starts as ``gegeven``."""
    if not user.has_perm("participation.geef_advies", werkgebied):
        raise PermissionDenied
    velden = _onderwerp(werkgebied, onderwerp, cyclus, wijkakkoord)
    _check_besluitdatum(besluitdatum)
    nu = timezone.now()
    nieuw = Advies(
        werkgebied=werkgebied,
        status=Adviesstatus.GEGEVEN,
        ongevraagd=True,
        advies=_schoon(advies),
        besluitdatum=besluitdatum,
        gegeven_door=user,
        gegeven_op=nu,
        **velden,
    )
    if not nieuw.advies:
        raise ValidationError({"advies": _("Schrijf het advies van de wijkraad op.")})
    _check_velden(nieuw, ("advies",))
    with transaction.atomic():
        nieuw.save()
        _audit(
            action="participation.advies_gegeven",
            user=user,
            target=nieuw,
            data={
                "onderwerp": onderwerp,
                "ongevraagd": True,
                "besluitdatum": besluitdatum.isoformat(),
            },
        )
    return nieuw


def _lock(advies_id: int) -> Advies:
    return (
        Advies.objects.select_for_update(of=("self",))
        .select_related("werkgebied")
        .get(pk=advies_id)
    )


def advies_geven(*, advies: Advies, user, expected_versie: int, tekst: str, besluitdatum) -> Advies:
    """A wijkraadslid gives the asked advice on behalf of the wijkraad."""
    tekst = _schoon(tekst)
    if not tekst:
        raise ValidationError({"advies": _("Schrijf het advies van de wijkraad op.")})
    _check_besluitdatum(besluitdatum)
    with transaction.atomic():
        locked = _lock(advies.pk)
        if not user.has_perm("participation.geef_advies", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise StaleStateError(str(STALE_ADVIES))
        if not can_proceed(locked.geven):
            raise TransitionError(_("Dit advies is al gegeven."))
        locked.advies = tekst
        locked.besluitdatum = besluitdatum
        _check_velden(locked, ("advies",))
        locked.geven()
        locked.gegeven_door = user
        locked.gegeven_op = timezone.now()
        locked.versie += 1
        locked.save()
        _audit(
            action="participation.advies_gegeven",
            user=user,
            target=locked,
            data={"versie": locked.versie, "besluitdatum": besluitdatum.isoformat()},
        )
    return locked


def advies_beantwoorden(
    *, advies: Advies, user, expected_versie: int, antwoord: str, antwoord_van: str
) -> Advies:
    """The wijkmanager answers the advice, or records the college's answer."""
    antwoord = _schoon(antwoord)
    errors = {}
    if not antwoord:
        errors["antwoord"] = _("Schrijf het antwoord op.")
    if antwoord_van not in AntwoordVan.values:
        errors["antwoord_van"] = _("Zeg van wie het antwoord is.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(advies.pk)
        if not user.has_perm("participation.beantwoord_advies", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise StaleStateError(str(STALE_ADVIES))
        if not can_proceed(locked.beantwoorden):
            raise TransitionError(
                _(
                    "Dit advies kan nu niet beantwoord worden: het is nog niet gegeven, of al "
                    "beantwoord."
                )
            )
        locked.antwoord = antwoord
        locked.antwoord_van = antwoord_van
        _check_velden(locked, ("antwoord",))
        locked.beantwoorden()
        locked.beantwoord_door = user
        locked.beantwoord_op = timezone.now()
        locked.versie += 1
        locked.save()
        _audit(
            action="participation.advies_beantwoord",
            user=user,
            target=locked,
            data={"versie": locked.versie, "antwoord_van": antwoord_van},
        )
    return locked
