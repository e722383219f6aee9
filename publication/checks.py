"""System checks of the publications."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def claim_outlasts_the_render(app_configs, **kwargs):
    """A worker's claim on a version must outlast the render task's hard time limit; otherwise
    the sweep hands a version that a live worker still renders to a second one."""
    from .tasks import pdf_maken

    limiet = pdf_maken.time_limit
    if limiet >= settings.PUBLICATIE_CLAIM_SECONDS:
        return [
            Error(
                f"PUBLICATIE_CLAIM_SECONDS ({settings.PUBLICATIE_CLAIM_SECONDS}) must be longer "
                f"than the hard time limit of the PDF task ({limiet} s).",
                hint="Set PUBLICATIE_CLAIM_SECONDS to at least the time limit plus a minute.",
                id="publication.E001",
            )
        ]
    return []
