"""The sections of "Mijn wijk", the resident's own page. Apps register a section from their
``AppConfig.ready()`` (participation: my meldingen and what I follow; later: my reactions, my
supports), so that the page grows without its view changing.

A section is ``fn(request, pagina: str, csrf_token: str) -> str``: rendered HTML ("" for
nothing), for ``request.user`` only, paginated by its own query parameter (``param``;
``pagina`` is its value), with a fixed number of queries whatever the data. Its forms use
``csrf_token`` as given: the page keeps the rendered sections for the user (under the public
version, which every audited change bumps) and puts each request's own token in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sectie:
    key: str
    fn: object
    volgorde: int

    @property
    def param(self) -> str:
        return f"{self.key}-pagina"


_secties: dict[str, Sectie] = {}


def register_mijn_wijk_section(key: str, fn, *, volgorde: int = 100) -> None:
    _secties[key] = Sectie(key=key, fn=fn, volgorde=volgorde)


def secties() -> list[Sectie]:
    return sorted(_secties.values(), key=lambda s: (s.volgorde, s.key))


def render_secties(request, csrf_token: str) -> str:
    from pagecache.services import pagina_param

    return "".join(
        sectie.fn(request, pagina_param(request, sectie.param), csrf_token) for sectie in secties()
    )


def pagina_params(request) -> list[str]:
    from pagecache.services import pagina_param

    return [pagina_param(request, sectie.param) for sectie in secties()]
