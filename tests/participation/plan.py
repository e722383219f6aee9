"""Test helper: a cycle's participation plan with the kaders of every phase filled in, so that
its products may go into consultation (``participation.voorwaarden``)."""

from participation.models import Planfase
from participation.services_plan import plan_van


def kaders_invullen(cyclus):
    """Give ``cyclus`` a plan whose every phase has a level and both kaders; returns the plan."""
    plan = plan_van(cyclus)
    Planfase.objects.filter(plan=plan).update(
        niveau="raadplegen",
        wel_invloed="Welke problemen voorrang krijgen en hoe we ze aanpakken.",
        geen_invloed="Het budget van de clusters en wettelijke taken.",
        doelgroepen="Bewoners, ondernemers en jongeren.",
        middelen=["bijeenkomsten", "consultatie"],
    )
    return plan
