"""Models of the budgets app. The bewonersinitiatieven live in ``models_bi``."""

from .models_bi import *  # noqa: F403
