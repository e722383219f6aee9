"""The meldingen that feed the cycle: how many came in per theme and per buurt over a period,
for the pages of a wijk and a werkgebied (the last twelve months) and for the wijkanalyse of a
cycle (the twelve months up to the end of its analysis phase). Counts only: no text, no
personal data. Two queries, whatever the numbers."""

import datetime

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from places import geo

from .models import Melding

BALK_BREEDTE = 240  # the longest bar, in SVG units


def _grens(dag: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time.min))


RIJ_HOOGTE = 22
LABEL_BREEDTE = 200


def _staven(rijen: list[tuple[str, int]]) -> dict:
    """One bar per row, scaled to the largest, with the positions the SVG needs."""
    hoogste = max((n for _, n in rijen), default=0) or 1
    staven = []
    for i, (label, n) in enumerate(rijen):
        breedte = round(BALK_BREEDTE * n / hoogste, 1)
        staven.append(
            {
                "label": label,
                "n": n,
                "x": LABEL_BREEDTE,
                "breedte": breedte,
                "getal_x": round(LABEL_BREEDTE + breedte + 6, 1),
                "y": i * RIJ_HOOGTE,
            }
        )
    return {"staven": staven, "hoogte": len(staven) * RIJ_HOOGTE + 4}


def meldingen_overzicht(*, wijken, begin: datetime.date, eind: datetime.date) -> dict:
    """Counts of the meldingen submitted in ``wijken`` from ``begin`` up to ``eind``."""
    wijken = list(wijken)
    qs = Melding.objects.filter(
        wijk__in=[w.pk for w in wijken],
        ingediend_op__gte=_grens(begin),
        ingediend_op__lt=_grens(eind),
    )
    per_thema = [
        (row["thema__naam"], row["n"])
        for row in qs.values("thema__naam").annotate(n=Count("pk")).order_by("-n", "thema__naam")
    ]
    # Without a point, a melding in a wijk of one buurt lies in that buurt; in a wijk of more
    # buurten its buurt is unknown.
    enige_buurt = {w.pk: w.cbs_buurtcodes[0] for w in wijken if len(w.cbs_buurtcodes) == 1}
    namen = geo.buurt_namen()
    buurten: dict[str, int] = {}
    for row in qs.values("wijk_id", "buurtcode").annotate(n=Count("pk")):
        code = row["buurtcode"] or enige_buurt.get(row["wijk_id"], "")
        buurten[code] = buurten.get(code, 0) + row["n"]
    onbekend = buurten.pop("", 0)
    per_buurt = sorted(
        ((namen.get(code, code), n) for code, n in buurten.items()), key=lambda r: (-r[1], r[0])
    )
    return {
        "begin": begin,
        "eind": eind - datetime.timedelta(days=1),
        "totaal": sum(n for _, n in per_thema),
        "per_thema": _staven(per_thema),
        "per_buurt": _staven(per_buurt),
        "buurt_onbekend": onbekend,
    }


def _render(
    overzicht: dict, *, kop_id: str, titel: str, wijk_slug: str = "", kopniveau: int = 2
) -> str:
    return render_to_string(
        "participation/_overzicht.html",
        {
            "o": overzicht,
            "kop_id": kop_id,
            "titel": titel,
            "wijk_slug": wijk_slug,
            "kopniveau": kopniveau,
        },
    )


def _laatste_jaar() -> tuple[datetime.date, datetime.date]:
    eind = timezone.localdate() + datetime.timedelta(days=1)
    return eind - datetime.timedelta(days=365), eind


def wijk_panel(wijk) -> str:
    begin, eind = _laatste_jaar()
    return _render(
        meldingen_overzicht(wijken=[wijk], begin=begin, eind=eind),
        kop_id="meldingen-overzicht",
        titel=_("Meldingen van de afgelopen twaalf maanden"),
        wijk_slug=wijk.slug,
    )


def werkgebied_panel(werkgebied) -> str:
    begin, eind = _laatste_jaar()
    return _render(
        meldingen_overzicht(wijken=werkgebied.wijken.all(), begin=begin, eind=eind),
        kop_id="meldingen-overzicht",
        titel=_("Meldingen van de afgelopen twaalf maanden"),
    )


def wijkanalyse_panel(product) -> str:
    """The wijkanalyse shows what residents reported in the twelve months up to the end of its
    analysis phase."""
    if getattr(product, "SOORT", None) != "wijkanalyse":
        return ""
    cyclus = product.cyclus
    # While the analysis runs, up to today; afterwards, up to the day it really ended (or
    # was planned to end).
    if cyclus.fase == "analyse":
        laatste = timezone.localdate()
    else:
        laatste = cyclus.analyse_afgerond or min(cyclus.analyse_eind, timezone.localdate())
    eind = laatste + datetime.timedelta(days=1)
    begin = eind - datetime.timedelta(days=365)
    return _render(
        meldingen_overzicht(wijken=cyclus.werkgebied.wijken.all(), begin=begin, eind=eind),
        kop_id="meldingen-overzicht",
        titel=_("Meldingen in de periode van deze wijkanalyse"),
        # A part of the wijkfoto (a heading of level 2) on the wijkanalyse page.
        kopniveau=3,
    )
