"""The Atom feeds of the archive: valid Atom, one entry per version newest first, links on the
reader's host, the PDF as an enclosure once it is there, no e-mail addresses, hostile text
kept as text, and a fixed number of queries however many versions there are."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cycle import services as cycle_services
from cycle.models import Fase, Productstatus
from people.models import Rol
from publication.models import Pdfstatus, Publicatie
from tests.cycle.inhoud import met_thema
from tests.people.factories import user_with_role
from tests.places.factories import WerkgebiedFactory
from tests.publication.test_archief import versie

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("publicatie-feed")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def werkgebied_feed(slug: str) -> str:
    return reverse("publicatie-feed-werkgebied", kwargs={"slug": slug})


def maak(werkgebied, *, n=1, minuten_geleden=0, status=None, **kwargs):
    """A version (see ``test_archief.versie``), published ``minuten_geleden`` ago."""
    publicatie = versie(werkgebied, **kwargs)
    velden = {"gepubliceerd_op": timezone.now() - timedelta(minutes=minuten_geleden)}
    if n > 1:
        velden["versie"] = n
        # From version 2 a version says why it corrects the one before (when the model has
        # that rule): the archive helper makes first versions only.
        if any(field.name == "correctie_reden" for field in Publicatie._meta.fields):
            velden["correctie_reden"] = "Een tikfout hersteld."
    if status is not None:
        velden["pdf_status"] = status
    Publicatie.objects.filter(pk=publicatie.pk).update(**velden)
    publicatie.refresh_from_db()
    return publicatie


def atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def text(element, tag) -> str | None:
    child = element.find(f"{ATOM}{tag}")
    return None if child is None else child.text


def link(element, rel) -> ET.Element | None:
    found = [el for el in element.findall(f"{ATOM}link") if el.get("rel") == rel]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.fixture
def drie(werkgebied, ander_werkgebied):
    """Three versions, the newest first: the wijkverslag of Crooswijk in its second version,
    a wijkagenda whose PDF is still being made, and a wijkanalyse of Feijenoord."""
    return [
        maak(werkgebied, soort="wijkverslag", jaar=2025, n=2, titel="Wijkverslag Crooswijk 2025"),
        maak(
            werkgebied,
            soort="wijkagenda",
            jaar=2026,
            klaar=False,
            minuten_geleden=10,
            titel="Wijkagenda Crooswijk 2026",
        ),
        maak(ander_werkgebied, jaar=2026, minuten_geleden=20, titel="Wijkanalyse Feijenoord 2026"),
    ]


@pytest.mark.django_db
def test_the_city_feed_has_every_version_newest_first(drie, client):
    root = atom(client.get(FEED))
    assert text(root, "title") == "Publicaties van de wijkaanpak Rotterdam"
    assert text(root, "subtitle").startswith("Elke gepubliceerde wijkanalyse")
    assert link(root, "alternate").get("href") == "http://testserver/publicaties/"
    assert link(root, "self").get("href") == "http://testserver/publicaties/atom.xml"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Gemeente Rotterdam"

    rows = entries(root)
    assert [text(e, "title") for e in rows] == [
        "Wijkverslag Crooswijk 2025 (versie 2)",
        "Wijkagenda Crooswijk 2026",
        "Wijkanalyse Feijenoord 2026",
    ]
    for entry, publicatie in zip(rows, drie, strict=True):
        assert link(entry, "alternate").get("href") == (
            "http://testserver" + publicatie.get_absolute_url()
        )
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "wijkmanager"
        for tag in ("updated", "published"):
            assert datetime.fromisoformat(text(entry, tag)) == publicatie.gepubliceerd_op
    # Every entry its own id, which names the version, not its address.
    ids = [text(e, "id") for e in rows]
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"tag:[\w.-]+,\d{4}-\d\d-\d\d:publicatie/\d+", i) for i in ids)
    assert ids[0].endswith(f":publicatie/{drie[0].pk}")
    assert text(rows[0], "summary") == (
        "Wijkverslag van werkgebied Crooswijk over programmajaar 2025, versie 2. "
        "Deze versie vervangt versie 1. Reden van de correctie: Een tikfout hersteld."
    )
    assert rows[0].find(f"{ATOM}summary").get("type") == "html"


@pytest.mark.django_db
def test_the_pdf_is_an_enclosure_only_once_it_is_there(werkgebied, client):
    klaar = maak(werkgebied, titel="Klaar")
    maak(werkgebied, klaar=False, minuten_geleden=1, titel="Wachtend")
    maak(werkgebied, klaar=False, status=Pdfstatus.MISLUKT, minuten_geleden=2, titel="Mislukt")
    rows = {text(e, "title"): e for e in entries(atom(client.get(FEED)))}
    enclosure = link(rows["Klaar"], "enclosure")
    assert enclosure.attrib == {
        "rel": "enclosure",
        "href": "http://testserver" + klaar.get_pdf_url(),
        "length": "12345",
        "type": "application/pdf",
    }
    assert link(rows["Wachtend"], "enclosure") is None
    assert link(rows["Mislukt"], "enclosure") is None


@pytest.mark.django_db
def test_the_links_are_on_the_readers_host_and_the_ids_are_not(drie, client):
    gewoon = atom(client.get(FEED))
    ander = atom(client.get(FEED, HTTP_HOST="wijkaanpak.example.nl", secure=True))
    entry = entries(ander)[0]
    assert link(entry, "alternate").get("href") == (
        "https://wijkaanpak.example.nl" + drie[0].get_absolute_url()
    )
    assert link(entry, "enclosure").get("href") == (
        "https://wijkaanpak.example.nl" + drie[0].get_pdf_url()
    )
    assert link(ander, "self").get("href") == "https://wijkaanpak.example.nl/publicaties/atom.xml"
    assert "testserver" not in ET.tostring(ander, encoding="unicode")
    # A reader that follows the portal under another address sees the same entries.
    assert [text(e, "id") for e in entries(ander)] == [text(e, "id") for e in entries(gewoon)]
    assert text(ander, "id") == text(gewoon, "id")


@pytest.mark.django_db
def test_the_werkgebied_feed_has_only_its_werkgebied(drie, werkgebied, client):
    root = atom(client.get(werkgebied_feed("crooswijk")))
    assert text(root, "title") == "Publicaties van werkgebied Crooswijk"
    assert link(root, "alternate").get("href") == (
        "http://testserver/publicaties/?werkgebied=crooswijk"
    )
    assert link(root, "self").get("href") == "http://testserver/publicaties/crooswijk/atom.xml"
    assert [text(e, "title") for e in entries(root)] == [
        "Wijkverslag Crooswijk 2025 (versie 2)",
        "Wijkagenda Crooswijk 2026",
    ]
    assert text(root, "id") != text(atom(client.get(werkgebied_feed("feijenoord"))), "id")
    leeg = WerkgebiedFactory(naam="Hoek van Holland", slug="hoek-van-holland")
    assert entries(atom(client.get(werkgebied_feed(leeg.slug)))) == []


@pytest.mark.django_db
def test_an_unknown_werkgebied_has_no_feed(drie, client):
    assert client.get(werkgebied_feed("bestaat-niet")).status_code == 404


@pytest.mark.django_db
def test_the_feeds_do_not_shadow_the_other_archive_pages(drie, client):
    # A werkgebied whose slug is a number, beside the pages of a year.
    WerkgebiedFactory(naam="Tweeduizend", slug="2025")
    assert entries(atom(client.get(werkgebied_feed("2025")))) == []
    assert client.get(reverse("publicatie-wijkverslagen", kwargs={"jaar": 2025})).status_code == 200
    assert client.get(drie[0].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_feed_names_no_email_address(werkgebied, make_cycle, client):
    """Published through the services by a wijkmanager without a name: the feed names the
    role. A version from before that rule, with an address for a name, names none."""
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    wijkmanager.naam = ""
    wijkmanager.save(update_fields=["naam"])
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    product = cycle_services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={"titel": "Wijkanalyse Crooswijk 2027", "wijkbeschrijving": "W", "conclusies": "C"},
    )
    product = met_thema(product, wijkmanager)
    product = cycle_services.product_transition(
        product=product, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    cycle_services.product_transition(
        product=product,
        user=wijkmanager,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )
    oud = maak(werkgebied, minuten_geleden=60, titel="Van voor de regel")
    Publicatie.objects.filter(pk=oud.pk).update(gepubliceerd_door_naam=wijkmanager.email)

    for url in (FEED, werkgebied_feed("crooswijk")):
        response = client.get(url)
        content = response.content.decode()
        assert not EMAIL.search(content)
        rows = {text(e, "title"): e for e in entries(atom(response))}
        assert rows["Wijkanalyse Crooswijk 2027"].find(f"{ATOM}author/{ATOM}name").text == (
            "wijkmanager"
        )
        # No author of its own: the feed's (Gemeente Rotterdam) stands for it.
        assert rows["Van voor de regel"].find(f"{ATOM}author") is None


@pytest.mark.django_db
def test_hostile_text_stays_text(client):
    hostile = WerkgebiedFactory(naam='<b onmouseover="x()">Oost</b> & Co', slug="oost")
    titel = "<script>alert('feed')</script> ]]> & \"Wijkverslag\" \u00eb"
    maak(hostile, titel=titel)
    response = client.get(werkgebied_feed("oost"))
    assert b"<script>" not in response.content and b"<b " not in response.content
    root = atom(response)  # well-formed
    entry = entries(root)[0]
    assert text(entry, "title") == titel
    assert text(root, "title") == 'Publicaties van werkgebied <b onmouseover="x()">Oost</b> & Co'
    # The summary is HTML: the name arrives escaped in it, so a reader shows it as text.
    summary = text(entry, "summary")
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;Oost&lt;/b&gt; &amp; Co" in summary
    assert "<b" not in summary


@pytest.mark.django_db
@pytest.mark.parametrize("url", [FEED, "/publicaties/crooswijk/atom.xml"])
def test_the_feeds_cost_the_same_queries_for_many_versions_and_never_read_the_html(
    url, werkgebied, client, django_assert_max_num_queries
):
    from pagecache.services import bump

    for n in range(3):
        maak(werkgebied, jaar=2020 + n, klaar=n % 2 == 0)
    # Rows made directly: the public version moves on as publishing moves it.
    bump()
    # The public version (the page cache), the feed's versions, the werkgebied of its feed.
    with django_assert_max_num_queries(3) as few:
        assert len(entries(atom(client.get(url)))) == 3
    for n in range(52):
        maak(werkgebied, jaar=2000 + n, klaar=n % 2 == 0, minuten_geleden=n + 1)
    bump()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert len(entries(atom(client.get(url)))) == 50
    # Kept per host under the public version: asked again, the feed costs the version only.
    with django_assert_max_num_queries(1):
        assert len(entries(atom(client.get(url)))) == 50
    for query in few.captured_queries + many.captured_queries:
        assert '"publication_publicatie"."html"' not in query["sql"]
        assert '"publication_publicatie"."pdf_fout"' not in query["sql"]


@pytest.mark.django_db
def test_the_archive_and_the_werkgebied_page_link_their_feeds(werkgebied, client):
    html = client.get(reverse("publicatie-archief")).content.decode()
    head = html.split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Publicaties van de wijkaanpak Rotterdam" href="/publicaties/atom.xml">'
    ) in head
    body = html.split("<body>")[1]
    assert 'href="/publicaties/atom.xml" type="application/atom+xml">' in body
    assert "Volg nieuwe publicaties (Atom-feed)" in body

    page = client.get(reverse("werkgebied-detail", kwargs={"slug": "crooswijk"})).content.decode()
    assert 'href="/publicaties/crooswijk/atom.xml"' in page
    assert "Volg nieuwe publicaties van Crooswijk (Atom-feed)" in page
