"""The progress of a cycle's initiatives as the public cycle page lists them: title, status,
percentage and last update, in agenda order (a paginator: a count and a page, two queries
however many there are)."""

from django.db.models import QuerySet

from .models import Fase, Initiatief

# Phases in which the cycle page lists its initiatives' progress (when the programme is public).
VOORTGANG_FASEN = (Fase.UITVOERING, Fase.VERANTWOORDING)


def toont_voortgang(cyclus, user) -> bool:
    """Whether the cycle page lists the progress: in the execution year and its accounting,
    for whoever may read the programme (the public: once it is public)."""
    return cyclus.fase in VOORTGANG_FASEN and user.has_perm(
        "cycle.view_product", cyclus.wijkprogramma
    )


def initiatieven_voortgang(cyclus) -> QuerySet[Initiatief]:
    return (
        Initiatief.objects.filter(wijkprogramma__cyclus=cyclus)
        .only(
            "titel",
            # Both state fields: a deferred one makes the FSM mixin load it row by row.
            "status",
            "toezegging",
            "percentage",
            "laatste_update",
            "eind",
            "verwacht_eind",
            "wijkprogramma_id",
            "agendapunt_id",
        )
        .order_by("agendapunt__rang", "pk")
    )
