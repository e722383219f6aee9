from django import template
from django.utils.translation import gettext as _

from cycle.templatetags.cycle_tags import rol_label

from ..models import Meldingstatus

register = template.Library()


@register.filter
def melding_status(value):
    try:
        return Meldingstatus(value).label
    except ValueError:
        return value


@register.filter
def melding_rol(code):
    return rol_label(code)


@register.filter
def melding_gebeurtenis(entry):
    """One line of a melding's history, for the public: what happened, never who wrote what."""
    data = entry.data or {}
    action = entry.action.removeprefix("participation.")
    if action == "melding_ingediend":
        return _("Melding ontvangen")
    if action == "melding_gesteund":
        return _("Gesteund door een bewoner")
    if action == "melding_dubbel":
        return _("Gekoppeld aan een andere melding over hetzelfde")
    if action == "melding_publiceerbaar":
        return (
            _("Tekst openbaar gemaakt") if data.get("publiceerbaar") else _("Tekst niet openbaar")
        )
    if action == "melding_heropend":
        return _("Volgens de melder niet opgelost: opnieuw in behandeling")
    if action == "melding_opgelost":
        return _("Volgens de melder opgelost")
    if action == "contact_verwijderd":
        return _("Contactgegevens en foto's verwijderd (bewaartermijn)")
    if "naar" in data:
        line = _("Status: %(status)s") % {"status": melding_status(data["naar"])}
        if data.get("naar_wie"):
            line += " – " + _("doorgezet naar %(wie)s") % {"wie": data["naar_wie"]}
        if data.get("cyclus"):
            line += " – " + _("cyclus %(cyclus)s") % {"cyclus": data["cyclus"]}
        return line
    return action
