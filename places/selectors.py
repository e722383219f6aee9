"""Reads of places: key figures of a werkgebied, rolled up from its wijken."""

from collections import Counter
from dataclasses import dataclass

from .models import Wijk, WijkprofielScore


@dataclass(frozen=True)
class Kerncijfers:
    """Wijkprofiel of a werkgebied: per wijk, and rolled up, weighted by inhabitants."""

    jaar: int | None
    wijken: list[tuple[Wijk, WijkprofielScore | None]]
    inwoners: int
    sociale_index: int | None
    fysieke_index: int | None
    veiligheidsindex: int | None
    # Some wijken share one CBS buurt and so one inhabitant count.
    gedeelde_inwoners: bool


def _buurten(wijk: Wijk) -> tuple:
    """The CBS buurten a wijk is made of (the wijk itself where none are known)."""
    return tuple(sorted(wijk.cbs_buurtcodes)) or (f"wijk-{wijk.pk}",)


def werkgebied_kerncijfers(wijken: list[Wijk]) -> Kerncijfers:
    """Roll the latest Wijkprofiel up from ``wijken`` (with ``wijkprofiel`` prefetched).

    Wijken that share the same CBS buurten (Groot-IJsselmonde Noord and Zuid) share one
    inhabitant count: it is counted once in the total and split between them as weight."""
    latest = {}
    for wijk in wijken:
        scores = list(wijk.wijkprofiel.all())
        latest[wijk.pk] = max(scores, key=lambda s: s.jaar) if scores else None
    years = {s.jaar for s in latest.values() if s is not None}
    jaar = max(years) if years else None

    sharing = Counter(_buurten(w) for w in wijken)
    per_buurten = {_buurten(w): w.inwoners for w in wijken if w.inwoners}
    inwoners = sum(per_buurten.values())
    weights = {w.pk: w.inwoners / sharing[_buurten(w)] for w in wijken if w.inwoners}

    def rolled(field):
        pairs = [
            (getattr(latest[w.pk], field), weights[w.pk])
            for w in wijken
            if latest[w.pk] is not None and latest[w.pk].jaar == jaar and w.pk in weights
        ]
        total = sum(weight for _, weight in pairs)
        return round(sum(value * weight for value, weight in pairs) / total) if total else None

    return Kerncijfers(
        jaar=jaar,
        wijken=[(w, latest[w.pk]) for w in wijken],
        inwoners=inwoners,
        sociale_index=rolled("sociale_index"),
        fysieke_index=rolled("fysieke_index"),
        veiligheidsindex=rolled("veiligheidsindex"),
        gedeelde_inwoners=any(n > 1 for n in sharing.values()),
    )
