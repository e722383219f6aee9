"""Open311 GeoReport v2 for meldingen (``/open311/v2/``): the discovery document, the themes as
services, the public meldingen as service requests and the POST that reports one.

Built on what the pages use: the public list's selector (``participation.selectors``), the web
form (``participation.forms.MeldingForm``) with its rate limit, and the service that stores a
melding (``participation.services.melding_create``), so that Open311 can never show or accept
more than the browser. Specification: http://wiki.open311.org/GeoReport_v2 ."""
