"""The frozen snapshot of a product and its archival PDF: what the document says, that it
is standalone and without personal data, that it costs a fixed number of queries, and that
the PDF is PDF/A-3a, tagged, in Dutch, with bookmarks, and fetches nothing."""

import datetime
import hashlib
import io
import re
import socket

import pypdf
import pytest
from django.utils import translation

from cycle.models import Fase, Wijkverslag
from people.models import User
from publication.pdf import DataOnlyURLFetcher, ExternalResourceRefused, pdf_sha256, render_pdf
from publication.snapshot import render_snapshot
from tests.places.factories import WijkFactory, WijkprofielScoreFactory

GEPUBLICEERD_OP = datetime.datetime(2026, 3, 3, 10, 30, tzinfo=datetime.UTC)
RESULTATEN = (
    "Twaalf schoonmaakacties met gemiddeld dertig bewoners.\n\n"
    "De speeltuin aan de Boezemstraat is samen met kinderen uit de buurt vernieuwd."
)
VOORUITBLIK = "Volgend jaar worden de pleinen langs de Crooswijksesingel aangepakt."
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def wijkverslag(werkgebied, make_cycle, wijkmanager):
    """The wijkverslag of Crooswijk 2025 (wijken Rubroek and Nieuw-Crooswijk, the latter
    without Wijkprofiel), with one section left empty."""
    rubroek = werkgebied.wijken.get()
    WijkprofielScoreFactory(
        wijk=rubroek, jaar=2022, sociale_index=80, fysieke_index=104, veiligheidsindex=90
    )
    WijkprofielScoreFactory(
        wijk=rubroek, jaar=2024, sociale_index=87, fysieke_index=113, veiligheidsindex=96
    )
    WijkFactory(naam="Nieuw-Crooswijk", slug="nieuw-crooswijk", werkgebied=werkgebied)
    cyclus = make_cycle(werkgebied, jaar=2025, fase=Fase.ANALYSE)
    Wijkverslag.objects.filter(cyclus=cyclus).update(
        resultaten=RESULTATEN, jaarrekening="", vooruitblik=VOORUITBLIK
    )
    return Wijkverslag.objects.get(cyclus=cyclus)


def snapshot(product, **kwargs):
    kwargs.setdefault("gepubliceerd_door", "Wendy de Wijkmanager")
    return render_snapshot(product, versie=2, gepubliceerd_op=GEPUBLICEERD_OP, **kwargs)


def extracted_text(reader) -> str:
    """The text of every page, with words hyphenated at a line end joined again."""
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"[-\u2010\u00ad]\s*\n\s*", "", text)
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------- the snapshot


@pytest.mark.django_db
def test_the_snapshot_has_the_cover_the_sections_and_the_wijkprofiel(wijkverslag):
    with translation.override("en"):  # whatever the language of the request: Dutch
        html = snapshot(wijkverslag)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html
    assert "<title>Wijkverslag Crooswijk 2025</title>" in html
    assert '<meta name="author" content="Gemeente Rotterdam">' in html
    assert '<meta name="description" content="Wijkverslag 2025 van werkgebied Crooswijk' in html
    # The cover.
    assert "<dd>Crooswijk (Wijkraad Crooswijk)</dd>" in html
    assert "<dd>Nieuw-Crooswijk, Rubroek</dd>" in html
    assert "<dd>2025</dd>" in html
    assert "Gepubliceerd op 3 maart 2026 · versie 2" in html
    assert "Wendy de Wijkmanager" in html
    # Table of contents and sections, in order; the empty one says so.
    assert html.count('href="#sectie-') == 3
    assert 'href="#wijkprofiel"' in html
    koppen = [m.group(1) for m in re.finditer(r'<h2 id="sectie-\d-kop">(.*?)</h2>', html)]
    assert koppen == ["Terugblik en lessen", "Jaarrekening", "Vooruitblik"]
    assert "<p>Twaalf schoonmaakacties met gemiddeld dertig bewoners.</p>" in html
    assert VOORUITBLIK in html
    assert "(niet ingevuld)" in html
    # The Wijkprofiel: an accessible chart and a table with the latest figures.
    assert re.search(r'<svg role="img" aria-labelledby="wijkprofiel-grafiek-titel', html)
    assert '<title id="wijkprofiel-grafiek-titel">' in html
    assert '<th scope="row">Rubroek</th><td>2024</td>' in html
    for cijfer in ("87", "113", "96"):
        assert f'<td class="getal">{cijfer}</td>' in html
        assert f">{cijfer}</text>" in html
    assert '<td colspan="4">geen cijfers bekend</td>' in html  # Nieuw-Crooswijk
    assert '<td class="getal">80</td>' not in html  # only the latest year


@pytest.mark.django_db
def test_the_snapshot_is_standalone_and_has_no_email_addresses(wijkverslag, wijkmanager):
    html = snapshot(wijkverslag, gepubliceerd_door=wijkmanager.email)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(?:src|href|action|data)\s*=\s*["']?\s*(?!#)[^\s"'>]""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert len(re.findall(r"<style>", html)) == 1
    assert User.objects.exists()
    for email in User.objects.values_list("email", flat=True):
        assert email not in html
    assert not EMAIL.search(html)


@pytest.mark.django_db
def test_the_snapshot_without_wijkprofiel_says_so(wijkverslag):
    from places.models import WijkprofielScore

    WijkprofielScore.objects.all().delete()
    html = snapshot(wijkverslag)
    assert "geen cijfers van het Wijkprofiel bekend" in html
    assert "<svg" not in html


@pytest.mark.django_db
def test_each_kind_has_its_own_template(wijkverslag):
    cyclus = wijkverslag.cyclus
    for product in cyclus.producten():
        html = snapshot(type(product).objects.get(pk=product.pk))
        assert f'<body class="soort-{product.SOORT}">' in html
        assert f"<title>{product.titel}</title>" in html
        assert 'class="inleiding"' in html


@pytest.mark.django_db
def test_the_snapshot_costs_a_fixed_number_of_queries(
    wijkverslag, werkgebied, django_assert_max_num_queries
):
    product = Wijkverslag.objects.get(pk=wijkverslag.pk)  # its cyclus not loaded yet
    # (One of them the twelve-month report of the wijkverslag, read from its initiatives; one
    # or two the nota van beantwoording: the consultation, and its reactions if it has one;
    # up to three the jaarrekening of the wijkbudget, read from its ledger.)
    with django_assert_max_num_queries(10) as weinig:
        snapshot(product)
    for n in range(10):
        wijk = WijkFactory(naam=f"Wijk {n}", werkgebied=werkgebied)
        for jaar in (2020, 2022, 2024):
            WijkprofielScoreFactory(wijk=wijk, jaar=jaar, sociale_index=90 + n)
    product = Wijkverslag.objects.get(pk=wijkverslag.pk)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        html = snapshot(product)
    assert '<th scope="row">Wijk 9</th><td>2024</td><td class="getal">99</td>' in html


# ---------------------------------------------------------------------- the PDF


@pytest.fixture
def pdf(wijkverslag):
    return render_pdf(snapshot(wijkverslag))


@pytest.mark.django_db
def test_the_pdf_has_the_text(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = extracted_text(reader)
    for kop in ("Terugblik en lessen", "Jaarrekening", "Vooruitblik", "Wijkprofiel"):
        assert kop in text
    assert VOORUITBLIK in text
    assert "Rubroek" in text and "113" in text
    assert "Gepubliceerd op 3 maart 2026 · versie 2" in text
    assert "pagina 2 van" in text


@pytest.mark.django_db
def test_the_pdf_is_pdfa_3a_tagged_in_dutch_with_title_and_bookmarks(pdf, wijkverslag):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    description = xmp.rdf_root.getElementsByTagNameNS(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
    )
    pdfaid = "http://www.aiim.org/pdfa/ns/id/"
    assert any(d.getAttributeNS(pdfaid, "part") == "3" for d in description)
    assert any(d.getAttributeNS(pdfaid, "conformance") == "A" for d in description)
    assert xmp.dc_title == {"x-default": wijkverslag.titel}
    assert xmp.dc_creator == ["Gemeente Rotterdam"]

    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert isinstance(catalog["/MarkInfo"]["/Marked"], pypdf.generic.BooleanObject)
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "nl"
    assert "/OutputIntents" in catalog

    assert reader.metadata.title == wijkverslag.titel
    assert reader.metadata.author == "Gemeente Rotterdam"

    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [child.title for item in reader.outline if isinstance(item, list) for child in item]
    assert wijkverslag.titel in bookmarks
    assert {"Terugblik en lessen", "Vooruitblik", "Wijkprofiel"} <= set(nested)


def test_pdf_sha256_is_the_hex_digest_of_the_bytes(pdf):
    assert pdf_sha256(pdf) == hashlib.sha256(pdf).hexdigest()
    assert pdf_sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_rendering_fetches_nothing_from_outside(monkeypatch, caplog):
    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network access during rendering")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    html = (
        '<!DOCTYPE html><html lang="nl"><head><title>Extern</title>'
        '<link rel="stylesheet" href="https://example.org/style.css"></head><body>'
        '<h1>Extern</h1><p><img src="http://example.org/x.png" alt="extern">'
        f'<img src="file:///etc/hostname" alt="bestand"><img src="{pixel}" alt="pixel"></p>'
        "</body></html>"
    )
    with caplog.at_level("WARNING", logger="weasyprint"):
        data = render_pdf(html)
    assert data.startswith(b"%PDF-")
    assert attempts == []
    refused = caplog.text
    assert "example.org/x.png" in refused and "/etc/hostname" in refused
    assert "pixel" not in refused and "data:image" not in refused

    fetcher = DataOnlyURLFetcher()
    for url in ("http://example.org/x.png", "https://example.org/", "file:///etc/passwd"):
        with pytest.raises(ExternalResourceRefused):
            fetcher(url)
    assert fetcher(pixel).read().startswith(b"\x89PNG")
