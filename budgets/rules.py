"""Object permissions of the budgets app (``rules`` autodiscovers this module)."""

from . import rules_bi  # noqa: F401
