from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Meldingen, consultations, advice and the participation plan (filled by later issues)."""

    name = "participation"
    verbose_name = _("Participatie")
