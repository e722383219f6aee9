"""City-scale data of the budgets app for ``manage.py load_scale`` (autodiscovered)."""

from . import scale_bi  # noqa: F401
