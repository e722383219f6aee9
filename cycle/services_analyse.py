"""Writes to the content of the wijkanalyse: the analysis per theme and the checklist answers
quoted in it. Every one goes through the product's edit guard (``services.product_edit``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ChecklistAntwoord, ThemaAnalyse, Wijkanalyse, Wijkthema
from .services import product_edit

TEKSTVELDEN = ("sterktes", "problemen", "kansen", "onderbouwing")


def _schoon(tekst: str) -> str:
    return (tekst or "").replace("\r\n", "\n").strip()


def thema_analyse_opslaan(
    *,
    wijkanalyse: Wijkanalyse,
    user,
    expected_versie: int,
    thema: Wijkthema,
    sterktes: str = "",
    problemen: str = "",
    kansen: str = "",
    onderbouwing: str = "",
) -> ThemaAnalyse:
    """Write the analysis of ``thema`` (created the first time)."""
    waarden = {
        "sterktes": _schoon(sterktes),
        "problemen": _schoon(problemen),
        "kansen": _schoon(kansen),
        "onderbouwing": _schoon(onderbouwing),
    }
    with product_edit(
        product=wijkanalyse,
        user=user,
        expected_versie=expected_versie,
        action="cycle.thema_analyse",
    ) as bewerking:
        analyse, nieuw = ThemaAnalyse.objects.get_or_create(
            wijkanalyse=bewerking.product,
            thema=_actief_thema(thema, bewerking.product),
            defaults=waarden,
        )
        changed = [] if nieuw else [k for k, v in waarden.items() if getattr(analyse, k) != v]
        for name in changed:
            setattr(analyse, name, waarden[name])
        if changed:
            analyse.full_clean(exclude=["wijkanalyse", "thema"])
            analyse.save(update_fields=changed)
        elif not nieuw:
            bewerking.ongewijzigd = True
        bewerking.data.update(
            thema=thema.slug, nieuw=nieuw, velden=list(waarden) if nieuw else changed
        )
    return analyse


def _actief_thema(thema: Wijkthema, wijkanalyse) -> Wijkthema:
    """A theme may be newly analysed only while it is active (one already analysed stays)."""
    if not thema.actief and not wijkanalyse.themas.filter(thema=thema).exists():
        raise ValidationError(
            {"thema": _("Dit thema wordt niet meer gebruikt. Kies een ander thema.")},
            code="inactive",
        )
    return thema


def thema_analyse_verwijderen(*, thema_analyse: ThemaAnalyse, user, expected_versie: int) -> None:
    """Remove a theme from the analysis (its quotes go with it; the answers stay)."""
    with product_edit(
        product=thema_analyse.wijkanalyse,
        user=user,
        expected_versie=expected_versie,
        action="cycle.thema_analyse_verwijderd",
    ) as bewerking:
        deleted, _detail = ThemaAnalyse.objects.filter(
            pk=thema_analyse.pk, wijkanalyse=bewerking.product
        ).delete()
        if not deleted:
            bewerking.ongewijzigd = True
        bewerking.data["thema"] = thema_analyse.thema.slug


def citaat_toevoegen(
    *, wijkanalyse: Wijkanalyse, user, expected_versie: int, antwoord: ChecklistAntwoord, thema
) -> ThemaAnalyse:
    """Quote a checklist answer as evidence in the analysis of ``thema`` (which is created
    when it has not been analysed yet). Only answers to this analysis's own checklist."""
    with product_edit(
        product=wijkanalyse, user=user, expected_versie=expected_versie, action="cycle.citaat"
    ) as bewerking:
        if antwoord.invulling.wijkanalyse_id != bewerking.product.pk:
            raise ValidationError(
                _("Dit antwoord hoort niet bij de checklist van deze wijkanalyse."),
                code="other_analysis",
            )
        analyse, _nieuw = ThemaAnalyse.objects.get_or_create(
            wijkanalyse=bewerking.product, thema=_actief_thema(thema, bewerking.product)
        )
        if analyse.citaten.filter(pk=antwoord.pk).exists():
            bewerking.ongewijzigd = True
        else:
            analyse.citaten.add(antwoord)
        bewerking.data.update(thema=thema.slug, antwoord=antwoord.pk)
    return analyse


def citaat_verwijderen(
    *, thema_analyse: ThemaAnalyse, user, expected_versie: int, antwoord: ChecklistAntwoord
) -> None:
    with product_edit(
        product=thema_analyse.wijkanalyse,
        user=user,
        expected_versie=expected_versie,
        action="cycle.citaat_verwijderd",
    ) as bewerking:
        if not thema_analyse.citaten.filter(pk=antwoord.pk).exists():
            bewerking.ongewijzigd = True
        thema_analyse.citaten.remove(antwoord)
        bewerking.data.update(thema=thema_analyse.thema.slug, antwoord=antwoord.pk)
