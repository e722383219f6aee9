"""Every write to bijeenkomsten and the findings of a wijkschouw.

One edit guard for a meeting: lock the row, ask ``participation.change_bijeenkomst`` (on the
meeting as it is and as it would become: a wijkraadslid cannot turn a wijkraad meeting into
another kind), check the version the page was read at, validate with a Dutch message per field,
bump the version and write the audit entry in the same transaction (the audit entry bumps the
public page cache's version, so the calendars follow)."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from people.roles import acting_role

from .models_bijeenkomsten import MAX_AANWEZIGEN, Bevinding, Bijeenkomst

MIN_JAAR, MAX_JAAR = 2000, 2100
# A meeting longer than this is a typing error (a wijkschouw or a werkgroep takes hours).
MAX_DUUR = datetime.timedelta(hours=24)

VELDEN = (
    "cyclus",
    "fase",
    "soort",
    "titel",
    "begin",
    "einde",
    "plaats",
    "adres",
    "niveau",
    "agenda",
    "verslag",
    "aantal_aanwezigen",
    "openbaar",
    "geannuleerd",
)
REGELS = ("titel", "plaats", "adres")
TEKSTEN = ("agenda", "verslag")


class BijeenkomstError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleBijeenkomstError(BijeenkomstError):
    """Someone else changed the meeting after the user loaded the page."""


def _audit(*, action: str, user, target, data: dict):
    return audit_log(
        action=action, actor=user, actor_rol=acting_role(user, target), target=target, data=data
    )


def _waarden(data: dict) -> dict:
    schoon = {}
    for name, value in data.items():
        if name not in VELDEN:
            raise TypeError(f"unknown field {name!r}")
        if name in REGELS:
            value = " ".join((value or "").split())
        elif name in TEKSTEN:
            value = (value or "").replace("\r\n", "\n").strip()
        elif name == "fase":
            value = value or ""
        schoon[name] = value
    return schoon


def _check(bijeenkomst: Bijeenkomst) -> None:
    """Every field's rule, each message next to its field."""
    errors: dict[str, list] = {}
    try:
        bijeenkomst.clean_fields(exclude=["werkgebied", "cyclus", "aangemaakt_door"])
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    for name in (*REGELS, *TEKSTEN):
        limit = Bijeenkomst._meta.get_field(name).max_length
        lengte = len(getattr(bijeenkomst, name) or "")
        if name not in errors and lengte > limit:
            errors[name] = [
                _("Maximaal %(limit)d tekens (nu %(lengte)d).") % {"limit": limit, "lengte": lengte}
            ]
    for name in ("begin", "einde"):
        waarde = getattr(bijeenkomst, name)
        if name not in errors and waarde is not None and not MIN_JAAR <= waarde.year <= MAX_JAAR:
            errors[name] = [_("Vul een geldige datum en tijd in.")]
    begin, einde = bijeenkomst.begin, bijeenkomst.einde
    if "begin" not in errors and "einde" not in errors and begin and einde:
        if einde <= begin:
            errors["einde"] = [_("De bijeenkomst moet eindigen na het begin.")]
        elif einde - begin > MAX_DUUR:
            errors["einde"] = [_("Een bijeenkomst duurt hoogstens 24 uur.")]
    aantal = bijeenkomst.aantal_aanwezigen
    if (
        "aantal_aanwezigen" not in errors
        and aantal is not None
        and not 0 <= aantal <= MAX_AANWEZIGEN
    ):
        errors["aantal_aanwezigen"] = [
            _("Vul een aantal tussen 0 en %(max)d in.") % {"max": MAX_AANWEZIGEN}
        ]
    if begin and "begin" not in errors and begin > timezone.now():
        if bijeenkomst.verslag:
            errors.setdefault("verslag", []).append(
                _("Het verslag schrijft u na afloop; de bijeenkomst is nog niet begonnen.")
            )
        if aantal is not None:
            errors.setdefault("aantal_aanwezigen", []).append(
                _("Het aantal aanwezigen vult u na afloop in.")
            )
    cyclus = bijeenkomst.cyclus
    if cyclus is not None and cyclus.werkgebied_id != bijeenkomst.werkgebied_id:
        errors["cyclus"] = [_("Kies een cyclus van dit werkgebied.")]
    if bijeenkomst.fase and cyclus is None:
        errors["fase"] = [_("Kies eerst de cyclus waarin deze fase valt.")]
    if errors:
        raise ValidationError(errors)


def bijeenkomst_plannen(*, werkgebied, user, **data) -> Bijeenkomst:
    """Plan a meeting in ``werkgebied``."""
    waarden = _waarden(data)
    with transaction.atomic():
        if not user.has_perm("participation.plan_bijeenkomsten", werkgebied):
            raise PermissionDenied
        bijeenkomst = Bijeenkomst(werkgebied=werkgebied, aangemaakt_door=user, **waarden)
        # A wijkraadslid plans the wijkraad's own meetings only.
        if not user.has_perm("participation.change_bijeenkomst", bijeenkomst):
            raise ValidationError(
                {"soort": _("Als wijkraadslid plant u alleen wijkraadvergaderingen.")}
            )
        _check(bijeenkomst)
        bijeenkomst.save()
        _audit(
            action="participation.bijeenkomst_gepland",
            user=user,
            target=bijeenkomst,
            data={"soort": bijeenkomst.soort, "begin": bijeenkomst.begin.isoformat()},
        )
    return bijeenkomst


def _lock(bijeenkomst_id: int) -> Bijeenkomst:
    locked = (
        Bijeenkomst.objects.select_for_update(of=("self",))
        .select_related("werkgebied")
        .filter(pk=bijeenkomst_id)
        .first()
    )
    if locked is None:
        raise BijeenkomstError(_("Deze bijeenkomst bestaat niet meer."))
    return locked


def stale_bericht() -> str:
    return _(
        "Deze bijeenkomst is gewijzigd nadat u de pagina opende. Er is niets opgeslagen; uw "
        "invoer staat er nog: vergelijk die met de bijeenkomst zoals die nu is en sla opnieuw op."
    )


def bijeenkomst_wijzigen(*, bijeenkomst_id: int, user, expected_versie: int, **data) -> Bijeenkomst:
    """Change a meeting: its plan, its cancellation, its outcome (verslag, attendees)."""
    waarden = _waarden(data)
    with transaction.atomic():
        locked = _lock(bijeenkomst_id)
        # Permission first: an outsider must not learn whether the meeting changed.
        if not user.has_perm("participation.change_bijeenkomst", locked):
            raise PermissionDenied
        if locked.versie != expected_versie:
            raise StaleBijeenkomstError(stale_bericht())
        velden = []
        for name, value in waarden.items():
            attname = Bijeenkomst._meta.get_field(name).attname
            if getattr(locked, attname) != getattr(value, "pk", value):
                velden.append(name)
            setattr(locked, name, value)
        if not user.has_perm("participation.change_bijeenkomst", locked):
            raise ValidationError(
                {"soort": _("Als wijkraadslid plant u alleen wijkraadvergaderingen.")}
            )
        _check(locked)
        if not velden:
            return locked
        locked.versie += 1
        locked.gewijzigd_op = timezone.now()
        locked.save(update_fields=[*velden, "versie", "gewijzigd_op"])
        _audit(
            action="participation.bijeenkomst_gewijzigd",
            user=user,
            target=locked,
            data={"velden": velden, "versie": locked.versie},
        )
    return locked


# --------------------------------------------------------------- findings of a wijkschouw


def bevinding_toevoegen(
    *,
    bijeenkomst_id: int,
    user,
    uuid,
    tekst: str,
    foto=None,
    lengtegraad=None,
    breedtegraad=None,
    wijk=None,
    buurtcode: str = "",
):
    """Store one finding of a wijkschouw (``foto``: a checked and stripped
    ``participation.photos.VerwerkteFoto``). Idempotent on ``uuid``: a finding sent again is
    not stored twice. Returns ``(bevinding, nieuw)``."""
    tekst = (tekst or "").replace("\r\n", "\n").strip()
    opgeslagen = []
    try:
        with transaction.atomic():
            # The meeting is locked: two sends of one finding (a phone that retries while the
            # first answer was under way) are taken one after the other.
            bijeenkomst = _lock(bijeenkomst_id)
            if not user.has_perm("participation.add_bevinding", bijeenkomst):
                raise PermissionDenied
            bestaand = Bevinding.objects.filter(uuid=uuid).first()
            if bestaand is not None:
                if bestaand.bijeenkomst_id != bijeenkomst.pk:
                    raise ValidationError(
                        {"uuid": _("Deze bevinding hoort bij een andere wijkschouw.")}
                    )
                return bestaand, False
            errors = {}
            if not tekst:
                errors["tekst"] = [_("Beschrijf wat u ziet.")]
            elif len(tekst) > 2000:
                errors["tekst"] = [
                    _("Maximaal %(limit)d tekens (nu %(lengte)d).")
                    % {"limit": 2000, "lengte": len(tekst)}
                ]
            if (lengtegraad is None) != (breedtegraad is None):
                errors["lengtegraad"] = [
                    _("Een plek heeft twee getallen: vul beide in of laat beide leeg.")
                ]
            elif lengtegraad is not None and wijk is None:
                errors["breedtegraad"] = [
                    _(
                        "Dit punt ligt buiten Rotterdam. Controleer de getallen, of laat de "
                        "plek leeg."
                    )
                ]
            if errors:
                raise ValidationError(errors)
            bevinding = Bevinding(
                bijeenkomst=bijeenkomst,
                uuid=uuid,
                tekst=tekst,
                lengtegraad=lengtegraad,
                breedtegraad=breedtegraad,
                wijk=wijk,
                buurtcode=buurtcode or "",
                ingediend_door=user,
            )
            if foto is not None:
                bevinding.foto = foto.inhoud
                bevinding.foto_type = foto.content_type
                bevinding.foto_breedte = foto.breedte
                bevinding.foto_hoogte = foto.hoogte
                opgeslagen.append(bevinding)
            bevinding.save()
            _audit(
                action="participation.bevinding_toegevoegd",
                user=user,
                target=bijeenkomst,
                data={
                    "bevinding": bevinding.pk,
                    "foto": foto is not None,
                    "punt": wijk is not None,
                },
            )
    except BaseException:
        _verwijder_bestanden([b.foto for b in opgeslagen])
        raise
    return bevinding, True


def _verwijder_bestanden(bestanden) -> None:
    """Files are written before the transaction ends: when it rolls back, none may stay."""
    for bestand in bestanden:
        if bestand and bestand.name and getattr(bestand, "_committed", False):
            bestand.storage.delete(bestand.name)


def _foto_kopie(bevinding):
    from django.core.files.base import ContentFile

    from .photos import VerwerkteFoto

    with bevinding.foto.open("rb") as bestand:
        data = bestand.read()
    extensie = bevinding.foto.name.rsplit(".", 1)[-1]
    return VerwerkteFoto(
        inhoud=ContentFile(data, name=f"{secrets.token_urlsafe(16)}.{extensie}"),
        extensie=extensie,
        content_type=bevinding.foto_type,
        breedte=bevinding.foto_breedte or 0,
        hoogte=bevinding.foto_hoogte or 0,
        grootte=len(data),
    )


def bevindingen_naar_meldingen(*, bijeenkomst_id: int, user, bevinding_ids, thema, wijk=None):
    """Turn the chosen findings of a wijkschouw into meldingen in one transaction, through the
    melding service (the same checks, privacy and audit as a resident's melding). A finding's
    melding goes to the wijk of its point, else to ``wijk`` (a wijk of the werkgebied). Each
    finding keeps its melding; one already turned into a melding is refused."""
    from . import services as melding_services

    ids = sorted({int(pk) for pk in bevinding_ids})
    fotos = []
    try:
        with transaction.atomic():
            bijeenkomst = _lock(bijeenkomst_id)
            if not user.has_perm("participation.maak_meldingen_van_bevindingen", bijeenkomst):
                raise PermissionDenied
            if not ids:
                raise ValidationError(
                    {"bevindingen": _("Kies de bevindingen waarvan u meldingen maakt.")}
                )
            bevindingen = list(
                Bevinding.objects.select_for_update()
                .filter(bijeenkomst=bijeenkomst, pk__in=ids)
                .order_by("ingediend_op", "pk")
            )
            if len(bevindingen) != len(ids) or any(b.melding_id for b in bevindingen):
                raise ValidationError(
                    {
                        "bevindingen": _(
                            "Kies alleen bevindingen van deze wijkschouw die nog geen melding zijn."
                        )
                    }
                )
            errors = {}
            if thema is None or not thema.actief:
                errors["thema"] = [_("Kies het thema van de meldingen.")]
            if wijk is not None and wijk.werkgebied_id != bijeenkomst.werkgebied_id:
                errors["wijk"] = [_("Kies een wijk van dit werkgebied.")]
            elif wijk is None and any(b.wijk_id is None for b in bevindingen):
                errors["wijk"] = [_("Kies de wijk voor de bevindingen zonder plek op de kaart.")]
            if errors:
                raise ValidationError(errors)
            meldingen = []
            for bevinding in bevindingen:
                kopie = [_foto_kopie(bevinding)] if bevinding.foto else []
                melding = melding_services.melding_create(
                    gegevens=melding_services.NieuweMelding(
                        tekst=bevinding.tekst,
                        thema=thema,
                        wijk=bevinding.wijk or wijk,
                        lengtegraad=bevinding.lengtegraad,
                        breedtegraad=bevinding.breedtegraad,
                        buurtcode=bevinding.buurtcode,
                        betreft_groep=True,
                    ),
                    fotos=kopie,
                )
                fotos.extend(f.bestand for f in melding.fotos.all())
                bevinding.melding = melding
                velden = ["melding"]
                if bevinding.foto:
                    # The photo moves to the melding, whose retention rules then hold for it:
                    # the finding keeps no copy of its own.
                    oud = bevinding.foto.name
                    storage = bevinding.foto.storage
                    transaction.on_commit(lambda s=storage, n=oud: s.delete(n))
                    bevinding.foto = ""
                    bevinding.foto_type = ""
                    velden += ["foto", "foto_type"]
                bevinding.save(update_fields=velden)
                meldingen.append(melding)
            _audit(
                action="participation.bevindingen_naar_meldingen",
                user=user,
                target=bijeenkomst,
                data={
                    "bevindingen": [b.pk for b in bevindingen],
                    "meldingen": [m.code for m in meldingen],
                    "thema": thema.naam,
                },
            )
    except BaseException:
        _verwijder_bestanden(fotos)
        raise
    return meldingen
