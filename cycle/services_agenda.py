"""Writes to the content of the wijkagenda: the ranked agendapunten and the beleidssignalen.

Every write of the drafter goes through the product's edit guard (``services.product_edit``):
it locks the agenda's header, so ranks are renumbered by one writer at a time and stay unique
and gap-free. Answering a beleidssignaal is not content of the product: it happens after the
adoption too, and must not make the drafter's open page stale, so it locks the signal's own
row and checks the signal's own version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Agendapunt,
    Beleidssignaal,
    ChecklistAntwoord,
    Signaalstatus,
    ThemaAnalyse,
    Wijkagenda,
    Wijkthema,
)
from .services import StaleStateError, TransitionError, _audit, product_edit

# Sentinel: a field not passed to an update keeps its value.
_ONGEWIJZIGD = object()

RICHTINGEN = ("op", "neer")


def _regel(tekst: str) -> str:
    """One line: titles become headings and mail subjects."""
    return " ".join((tekst or "").split())


def _schoon(tekst: str) -> str:
    return (tekst or "").replace("\r\n", "\n").strip()


def _ids(objs) -> list[int]:
    return sorted({getattr(obj, "pk", obj) for obj in objs})


# ------------------------------------------------------------------- agendapunten


def _check_collectief(collectief) -> None:
    if collectief is not True:
        raise ValidationError(
            {
                "collectief": _(
                    "Op de wijkagenda staan alleen punten die een groep bewoners dienen. "
                    "Bevestig dat dit punt dat doet; gaat het om één persoon of één adres, "
                    "dan hoort het als melding bij de afhandeling van meldingen."
                )
            },
            code="not_collective",
        )


def _check_thema(thema, huidig_id=None) -> None:
    """A theme is newly chosen only while it is active (one already chosen stays)."""
    if thema is None or thema.pk == huidig_id:
        return
    if not Wijkthema.objects.filter(pk=thema.pk, actief=True).exists():
        raise ValidationError(
            {"thema": _("Dit thema wordt niet meer gebruikt. Kies een ander thema.")},
            code="inactive",
        )


def _check_wijken(wijken, agenda) -> list[int]:
    from places.models import Wijk

    ids = _ids(wijken)
    if ids:
        eigen = Wijk.objects.filter(pk__in=ids, werkgebied_id=agenda.cyclus.werkgebied_id)
        if eigen.count() != len(ids):
            raise ValidationError(
                {
                    "wijken": _("Kies alleen wijken van het werkgebied %(werkgebied)s.")
                    % {"werkgebied": agenda.cyclus.werkgebied.naam}
                },
                code="other_werkgebied",
            )
    return ids


def _check_themaanalyses(themaanalyses, agenda) -> list[int]:
    ids = _ids(themaanalyses)
    if ids:
        eigen = ThemaAnalyse.objects.filter(pk__in=ids, wijkanalyse__cyclus_id=agenda.cyclus_id)
        if eigen.count() != len(ids):
            raise ValidationError(
                {
                    "themaanalyses": _(
                        "Kies alleen thema's uit de wijkanalyse van deze cyclus als onderbouwing."
                    )
                },
                code="other_analysis",
            )
    return ids


def _check_citaten(citaten, agenda) -> list[int]:
    ids = _ids(citaten)
    if ids:
        eigen = ChecklistAntwoord.objects.filter(
            pk__in=ids, invulling__wijkanalyse__cyclus_id=agenda.cyclus_id
        )
        if eigen.count() != len(ids):
            raise ValidationError(
                {
                    "citaten": _(
                        "Citeer alleen antwoorden op de checklist van de wijkanalyse van deze "
                        "cyclus."
                    )
                },
                code="other_checklist",
            )
    return ids


def _velden(*, titel, probleem, buurten, onderbouwing) -> dict:
    return {
        "titel": _regel(titel),
        "probleem": _schoon(probleem),
        "buurten": _regel(buurten),
        "onderbouwing": _schoon(onderbouwing),
    }


def _check_velden(obj, velden: tuple[str, ...]) -> None:
    """Required fields and lengths of ``velden``, per field. A model's ``clean_fields`` does
    not hold a text field to its ``max_length``: that is checked here too."""
    errors = {}
    try:
        obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.name not in velden])
    except ValidationError as exc:
        errors = exc.message_dict
    for name in velden:
        limit = obj._meta.get_field(name).max_length
        lengte = len(getattr(obj, name) or "") if limit else 0
        if name not in errors and limit and lengte > limit:
            errors[name] = [
                _("Maximaal %(limit)d tekens (nu %(lengte)d).") % {"limit": limit, "lengte": lengte}
            ]
    if errors:
        raise ValidationError(errors)


PUNT_TEKSTEN = ("titel", "probleem", "buurten", "onderbouwing")


def agendapunt_create(
    *,
    wijkagenda: Wijkagenda,
    user,
    expected_versie: int,
    titel: str,
    probleem: str,
    thema: Wijkthema | None = None,
    wijken=(),
    buurten: str = "",
    onderbouwing: str = "",
    themaanalyses=(),
    citaten=(),
    collectief: bool,
    wijkopgave=None,
    doel=None,
) -> Agendapunt:
    """Add a collective issue to the agenda, at the bottom (the next rank); optionally serving
    an opgave and doel of the wijkakkoord that covers the cycle's year."""
    with product_edit(
        product=wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.agendapunt_toegevoegd",
    ) as bewerking:
        agenda = bewerking.product
        _check_collectief(collectief)
        _check_thema(thema)
        wijk_ids = _check_wijken(wijken, agenda)
        analyse_ids = _check_themaanalyses(themaanalyses, agenda)
        citaat_ids = _check_citaten(citaten, agenda)
        opgave_id, doel_id = _koppeling(agenda, wijkopgave, doel)
        # The header lock makes this the only writer of the agenda's ranks now.
        laatste = agenda.agendapunten.aggregate(m=Max("rang"))["m"] or 0
        punt = Agendapunt(
            wijkagenda=agenda,
            rang=laatste + 1,
            thema=thema,
            collectief=True,
            wijkopgave_id=opgave_id,
            doel_id=doel_id,
            **_velden(titel=titel, probleem=probleem, buurten=buurten, onderbouwing=onderbouwing),
        )
        _check_velden(punt, PUNT_TEKSTEN)
        punt.save()
        punt.wijken.set(wijk_ids)
        punt.themaanalyses.set(analyse_ids)
        punt.citaten.set(citaat_ids)
        bewerking.target = punt
        bewerking.data.update(agendapunt=punt.pk, titel=punt.titel, rang=punt.rang)
    return punt


def _koppeling(agenda, wijkopgave, doel, huidig=(None, None)):
    # Imported here: ``services_akkoord`` builds on this module's helpers.
    from .services_akkoord import check_koppeling

    return check_koppeling(cyclus=agenda.cyclus, opgave=wijkopgave, doel=doel, huidig=huidig)


def _lock_punt(agendapunt: Agendapunt, agenda: Wijkagenda) -> Agendapunt:
    """The agendapunt as it is now, under the agenda's lock (held by the edit guard)."""
    punt = Agendapunt.objects.filter(pk=agendapunt.pk, wijkagenda=agenda).first()
    if punt is None:  # pragma: no cover - a removal bumps the version, caught before this
        raise StaleStateError(_("Dit agendapunt bestaat niet meer."))
    punt.wijkagenda = agenda
    return punt


def agendapunt_update(
    *,
    agendapunt: Agendapunt,
    user,
    expected_versie: int,
    titel=_ONGEWIJZIGD,
    probleem=_ONGEWIJZIGD,
    thema=_ONGEWIJZIGD,
    wijken=_ONGEWIJZIGD,
    buurten=_ONGEWIJZIGD,
    onderbouwing=_ONGEWIJZIGD,
    themaanalyses=_ONGEWIJZIGD,
    citaten=_ONGEWIJZIGD,
    collectief=_ONGEWIJZIGD,
    wijkopgave=_ONGEWIJZIGD,
    doel=_ONGEWIJZIGD,
) -> Agendapunt:
    """Change an agendapunt; the fields passed are set, the others stay as they are (the
    opgave and doel of the wijkakkoord are passed together)."""
    with product_edit(
        product=agendapunt.wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.agendapunt_gewijzigd",
    ) as bewerking:
        agenda = bewerking.product
        punt = _lock_punt(agendapunt, agenda)
        if collectief is not _ONGEWIJZIGD:
            _check_collectief(collectief)
        changed = []
        tekst = {
            "titel": _regel(titel) if titel is not _ONGEWIJZIGD else _ONGEWIJZIGD,
            "probleem": _schoon(probleem) if probleem is not _ONGEWIJZIGD else _ONGEWIJZIGD,
            "buurten": _regel(buurten) if buurten is not _ONGEWIJZIGD else _ONGEWIJZIGD,
            "onderbouwing": _schoon(onderbouwing)
            if onderbouwing is not _ONGEWIJZIGD
            else _ONGEWIJZIGD,
        }
        for name, value in tekst.items():
            if value is not _ONGEWIJZIGD and getattr(punt, name) != value:
                setattr(punt, name, value)
                changed.append(name)
        if thema is not _ONGEWIJZIGD:
            _check_thema(thema, huidig_id=punt.thema_id)
            nieuw_id = thema.pk if thema is not None else None
            if nieuw_id != punt.thema_id:
                punt.thema = thema
                changed.append("thema")
        if wijkopgave is not _ONGEWIJZIGD or doel is not _ONGEWIJZIGD:
            opgave_id, doel_id = _koppeling(
                agenda,
                None if wijkopgave is _ONGEWIJZIGD else wijkopgave,
                None if doel is _ONGEWIJZIGD else doel,
                huidig=(punt.wijkopgave_id, punt.doel_id),
            )
            for name, value in (("wijkopgave_id", opgave_id), ("doel_id", doel_id)):
                if getattr(punt, name) != value:
                    setattr(punt, name, value)
                    changed.append(name)
        relaties = {}
        for name, value, check in (
            ("wijken", wijken, _check_wijken),
            ("themaanalyses", themaanalyses, _check_themaanalyses),
            ("citaten", citaten, _check_citaten),
        ):
            if value is not _ONGEWIJZIGD:
                ids = check(value, agenda)
                if ids != sorted(getattr(punt, name).values_list("pk", flat=True)):
                    relaties[name] = ids
        _check_velden(punt, PUNT_TEKSTEN)
        if changed:
            punt.save(update_fields=changed)
        for name, ids in relaties.items():
            getattr(punt, name).set(ids)
        if not changed and not relaties:
            bewerking.ongewijzigd = True
        bewerking.target = punt
        bewerking.data.update(agendapunt=punt.pk, velden=[*changed, *relaties])
    return punt


def agendapunt_delete(*, agendapunt: Agendapunt, user, expected_versie: int) -> None:
    """Remove an agendapunt; the points below it move up one place (ranks stay gap-free).
    Meldingen linked to it keep their status and lose the link."""
    with product_edit(
        product=agendapunt.wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.agendapunt_verwijderd",
    ) as bewerking:
        agenda = bewerking.product
        punt = _lock_punt(agendapunt, agenda)
        punt.delete()
        agenda.agendapunten.filter(rang__gt=punt.rang).update(rang=F("rang") - 1)
        bewerking.data.update(agendapunt=agendapunt.pk, titel=punt.titel, rang=punt.rang)


def agendapunt_move(*, agendapunt: Agendapunt, user, expected_versie: int, richting: str):
    """Move an agendapunt one place up ("op", towards rank 1) or down ("neer"), swapping it
    with its neighbour. At the top or the bottom nothing changes (not an error). Returns the
    agendapunt with its new rank."""
    if richting not in RICHTINGEN:
        raise TransitionError(_("Kies omhoog of omlaag."))
    with product_edit(
        product=agendapunt.wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.agendapunt_verplaatst",
    ) as bewerking:
        agenda = bewerking.product
        punt = _lock_punt(agendapunt, agenda)
        doel = punt.rang - 1 if richting == "op" else punt.rang + 1
        buur = agenda.agendapunten.filter(rang=doel).first()
        if buur is None:
            bewerking.ongewijzigd = True
        else:
            # The unique constraint on the rank is deferred: checked at the commit, when the
            # two have swapped.
            Agendapunt.objects.filter(pk=buur.pk).update(rang=punt.rang)
            Agendapunt.objects.filter(pk=punt.pk).update(rang=doel)
            bewerking.data.update(agendapunt=punt.pk, van=punt.rang, naar=doel)
            punt.rang = doel
        bewerking.target = punt
    return punt


# ----------------------------------------------------------------- beleidssignalen


def _adres(cluster, partner) -> None:
    if (cluster is None) == (partner is None):
        raise ValidationError(
            {
                "cluster": _(
                    "Richt het signaal aan één cluster óf één partner: kies er precies één."
                )
            },
            code="one_address",
        )


def _check_signaal(signaal: Beleidssignaal) -> None:
    _check_velden(signaal, ("titel", "toelichting"))


def beleidssignaal_create(
    *,
    wijkagenda: Wijkagenda,
    user,
    expected_versie: int,
    titel: str,
    toelichting: str,
    cluster=None,
    partner=None,
) -> Beleidssignaal:
    """Add a point for policy, addressed to one cluster or one partner."""
    with product_edit(
        product=wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.beleidssignaal_toegevoegd",
    ) as bewerking:
        _adres(cluster, partner)
        signaal = Beleidssignaal(
            wijkagenda=bewerking.product,
            titel=_regel(titel),
            toelichting=_schoon(toelichting),
            cluster=cluster,
            partner=partner,
        )
        _check_signaal(signaal)
        signaal.save()
        bewerking.target = signaal
        bewerking.data.update(
            beleidssignaal=signaal.pk,
            titel=signaal.titel,
            aan=str(signaal.geadresseerde),
        )
    return signaal


def _lock_signaal_voor_opsteller(signaal: Beleidssignaal, agenda: Wijkagenda) -> Beleidssignaal:
    locked = (
        Beleidssignaal.objects.select_for_update(of=("self",))
        .filter(pk=signaal.pk, wijkagenda=agenda)
        .first()
    )
    if locked is None:  # pragma: no cover - a removal bumps the version, caught before this
        raise StaleStateError(_("Dit beleidssignaal bestaat niet meer."))
    if locked.status != Signaalstatus.OPEN:
        raise TransitionError(
            _(
                "Dit beleidssignaal is al door %(aan)s in behandeling genomen of beantwoord; "
                "het kan niet meer worden gewijzigd of verwijderd."
            )
            % {"aan": locked.geadresseerde}
        )
    locked.wijkagenda = agenda
    return locked


def beleidssignaal_update(
    *,
    beleidssignaal: Beleidssignaal,
    user,
    expected_versie: int,
    titel: str,
    toelichting: str,
    cluster=None,
    partner=None,
) -> Beleidssignaal:
    """Change a beleidssignaal while it is still open (not yet taken up by its addressee)."""
    with product_edit(
        product=beleidssignaal.wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.beleidssignaal_gewijzigd",
    ) as bewerking:
        signaal = _lock_signaal_voor_opsteller(beleidssignaal, bewerking.product)
        _adres(cluster, partner)
        nieuw = {
            "titel": _regel(titel),
            "toelichting": _schoon(toelichting),
            "cluster_id": cluster.pk if cluster is not None else None,
            "partner_id": partner.pk if partner is not None else None,
        }
        changed = [name for name, value in nieuw.items() if getattr(signaal, name) != value]
        for name in changed:
            setattr(signaal, name, nieuw[name])
        _check_signaal(signaal)
        if changed:
            # The addressee's open answer form is stale now.
            signaal.versie += 1
            signaal.save(update_fields=[*changed, "versie"])
        else:
            bewerking.ongewijzigd = True
        bewerking.target = signaal
        bewerking.data.update(beleidssignaal=signaal.pk, velden=changed)
    return signaal


def beleidssignaal_delete(*, beleidssignaal: Beleidssignaal, user, expected_versie: int) -> None:
    """Remove a beleidssignaal while it is still open."""
    with product_edit(
        product=beleidssignaal.wijkagenda,
        user=user,
        expected_versie=expected_versie,
        action="cycle.beleidssignaal_verwijderd",
    ) as bewerking:
        signaal = _lock_signaal_voor_opsteller(beleidssignaal, bewerking.product)
        titel = signaal.titel
        signaal.delete()
        bewerking.data.update(beleidssignaal=beleidssignaal.pk, titel=titel)


# ------------------------------------------------- the answering side (not the product)


def _lock_signaal_voor_antwoord(signaal: Beleidssignaal, *, user, expected_versie: int):
    locked = (
        Beleidssignaal.objects.select_for_update(of=("self",))
        .select_related("wijkagenda__cyclus__werkgebied", "cluster", "partner")
        .get(pk=signaal.pk)
    )
    if not user.has_perm("cycle.answer_beleidssignaal", locked):
        raise PermissionDenied
    if locked.versie != expected_versie:
        raise StaleStateError(
            _(
                "Dit beleidssignaal is gewijzigd nadat u de pagina opende. Er is niets "
                "gewijzigd; lees het signaal opnieuw en probeer het dan nog eens."
            )
        )
    if locked.status == Signaalstatus.BEANTWOORD:
        raise TransitionError(_("Dit beleidssignaal is al beantwoord."))
    return locked


def beleidssignaal_in_behandeling(*, signaal: Beleidssignaal, user, expected_versie: int):
    """The addressee takes the signal up: the drafter can no longer change or remove it."""
    with transaction.atomic():
        locked = _lock_signaal_voor_antwoord(signaal, user=user, expected_versie=expected_versie)
        if locked.status != Signaalstatus.OPEN:
            raise TransitionError(_("Dit beleidssignaal is al in behandeling."))
        locked.in_behandeling_nemen()
        locked.versie += 1
        locked.save(update_fields=["status", "versie"])
        _audit(
            action="cycle.beleidssignaal_in_behandeling",
            user=user,
            target=locked,
            data={"beleidssignaal": locked.pk, "van": "open", "naar": locked.status},
        )
    return locked


def beleidssignaal_beantwoorden(
    *, signaal: Beleidssignaal, user, expected_versie: int, antwoord: str
) -> Beleidssignaal:
    """Answer the signal in writing; the answer is public with the agenda."""
    antwoord = _schoon(antwoord)
    with transaction.atomic():
        locked = _lock_signaal_voor_antwoord(signaal, user=user, expected_versie=expected_versie)
        if not antwoord:
            raise ValidationError(
                {"antwoord": _("Schrijf het antwoord op het signaal.")}, code="required"
            )
        locked.antwoord = antwoord
        _check_velden(locked, ("antwoord",))
        source = locked.status
        locked.beantwoorden()
        locked.beantwoord_door = user
        locked.beantwoord_op = timezone.now()
        locked.versie += 1
        locked.save(
            update_fields=["status", "antwoord", "beantwoord_door", "beantwoord_op", "versie"]
        )
        _audit(
            action="cycle.beleidssignaal_beantwoord",
            user=user,
            target=locked,
            data={"beleidssignaal": locked.pk, "van": source, "naar": locked.status},
        )
    return locked
