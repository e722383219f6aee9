"""Contact data absent from every public page: an anonymous visitor follows every link of the
site from the start page (and the pages of meldingen), and no page they reach holds a
reporter's e-mail address, the text of a melding not marked publishable, a photo or the note to
a cluster."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from participation import services
from participation.models import Melding, Thema
from people.models import Rol
from places.models import Wijk
from tests.people.factories import ClusterFactory, user_with_role

from .factories import verwerkte_foto

ADRES = "geheim.melder@example.nl"
GEHEIME_TEKST = "Mijn buurman Jan Geheimstra op nummer 12"
NOTITIE = "Interne notitie voor het cluster"
# Not public, or not pages: what a crawler of the public site has no business following.
NIET_VOLGEN = (
    "/static/",
    "/media/",
    "/beheer/",
    "/inloggen",
    "/uitloggen",
    "/wachtwoord",
    "/taal/",  # the English pages are the same pages
    "/i18n/",
)
MAX_PAGINAS = 600


def _links(html: str, base: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"#]+)', html):
        href = href.replace("&amp;", "&")
        parts = urlsplit(urljoin(base, href))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(NIET_VOLGEN):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@pytest.mark.django_db
def test_no_contact_data_on_any_public_page(client, rotterdam, media_root):
    wijk = Wijk.objects.select_related("werkgebied").get(slug="afrikaanderwijk")
    schoon = Thema.objects.get(slug="schoon")
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)
    cluster = ClusterFactory()
    codes = []
    for publiek in (False, True):
        tekst = GEHEIME_TEKST if not publiek else "De bladkorven zijn vol."
        melding = services.melding_create(
            gegevens=services.NieuweMelding(tekst=tekst, thema=schoon, wijk=wijk, email=ADRES),
            fotos=[verwerkte_foto()],
        )
        codes.append(melding.code)
        if publiek:
            services.melding_publiceerbaar(
                melding_id=melding.pk, user=manager, publiceerbaar=True, expected_versie=None
            )
        services.melding_transition(
            melding_id=melding.pk,
            user=manager,
            transition="in_behandeling_nemen",
            expected_versie=None,
        )
        services.melding_transition(
            melding_id=melding.pk,
            user=manager,
            transition="doorzetten",
            expected_versie=None,
            cluster=cluster,
            notitie=NOTITIE,
        )
    foto_namen = [f.bestand.name for f in Melding.objects.get(code=codes[0]).fotos.all()]
    assert foto_namen

    start = ["/", "/meldingen/", f"/meldingen/nieuw/?wijk={wijk.slug}&thema={schoon.slug}"]
    start += [f"/meldingen/{code}/" for code in codes]
    todo, gezien = deque(start), set(start)
    bezocht = 0
    while todo and bezocht < MAX_PAGINAS:
        url = todo.popleft()
        response = client.get(url)
        bezocht += 1
        assert response.status_code in (200, 301, 302, 404), url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert ADRES not in html, url
        assert GEHEIME_TEKST not in html, url
        assert NOTITIE not in html, url
        assert "/fotos/" not in html, url
        assert not any(naam in html for naam in foto_namen), url
        for link in _links(html, url) - gezien:
            gezien.add(link)
            todo.append(link)
    # The sweep reached the pages that show meldingen, and the public text where it may.
    assert {f"/meldingen/{code}/" for code in codes} <= gezien
    assert f"/wijken/{wijk.slug}/" in gezien
    assert bezocht > 100, bezocht
    assert "De bladkorven zijn vol." in client.get(f"/meldingen/{codes[1]}/").content.decode()
