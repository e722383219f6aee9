"""Helpers for tests that generate a city (``cycle.scale``)."""

from cycle import scale


def cycle_steps() -> scale.Registry:
    """The steps of the cycle and what it needs, without the later features' data (their own
    tests build that): a city of a few years stays a matter of seconds."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")
    return scale.Registry(
        s for s in scale.registry.ordered() if s.name.split(".")[0] in ("people", "cycle")
    )
