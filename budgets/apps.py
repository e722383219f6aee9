from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Wijkbudget, knelpuntenbudget and bewonersinitiatieven (filled by later issues)."""

    name = "budgets"
    verbose_name = _("Budgetten")
