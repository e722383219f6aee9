"""Publications in the demo: the demo's cycles publish their products through the services,
which makes their versions; this gives a version to anything published before (a demo
database from an earlier ``make run``). The PDFs render eagerly in the demo."""

from cycle.demo import register

from . import services


@register
def publicaties(accounts):
    services.publicaties_aanvullen()
