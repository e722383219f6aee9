"""Correcting a published product: reopened with a reason by whoever runs the cycle, written
in any phase, adopted and published again as the next version; the version it replaces stays
available, marked "vervangen door versie N" with the reason, everywhere it is shown."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cycle import services as cycle_services
from cycle.models import Fase, Productstatus, Wijkanalyse
from notices.models import Notice
from people.models import Rol
from publication.models import Publicatie
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role
from tests.publication.correctie import corrigeer
from tests.publication.test_publication import TEKST, publish

REDEN = "De cijfers van de veiligheidsindex waren van het verkeerde jaar."
NIEUWE_TEKST = "Verbeterd: de pleinen zijn in 2025 opnieuw ingericht."


@pytest.fixture
def gepubliceerd(werkgebied, make_cycle, wijkmanager, django_capture_on_commit_callbacks):
    """A wijkanalyse published as version 1; the cycle has moved on to the agenda."""
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    with django_capture_on_commit_callbacks(execute=True):
        product = publish(cyclus.wijkanalyse, wijkmanager)
        cycle_services.werkcyclus_transition(
            cyclus_id=cyclus.pk, user=wijkmanager, transition="naar_agenda", expected_fase="analyse"
        )
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(pk=product.pk)


def heropenen(product, user, reden=REDEN):
    return cycle_services.product_transition(
        product=product,
        user=user,
        transition="heropenen",
        expected_status=Productstatus.GEPUBLICEERD,
        reden=reden,
    )


# ------------------------------------------------------------------------- the services


@pytest.mark.django_db
def test_a_correction_becomes_version_two_and_version_one_stays(
    gepubliceerd, wijkmanager, django_capture_on_commit_callbacks
):
    v1 = Publicatie.objects.get()
    html_v1, sha_v1 = v1.html, v1.pdf_sha256
    with django_capture_on_commit_callbacks(execute=True):
        product = corrigeer(
            gepubliceerd,
            wijkmanager,
            reden=REDEN,
            data={"wijkbeschrijving": NIEUWE_TEKST},
        )
    assert product.status == Productstatus.GEPUBLICEERD
    v1, v2 = Publicatie.objects.met_opvolger().order_by("versie")
    assert (v1.versie, v2.versie) == (1, 2)
    assert (v1.correctie_reden, v2.correctie_reden) == ("", REDEN)
    # Version 1 is untouched: its frozen text and its PDF are those of its publication.
    assert (v1.html, v1.pdf_sha256) == (html_v1, sha_v1)
    assert TEKST in v1.html and NIEUWE_TEKST not in v1.html
    assert NIEUWE_TEKST in v2.html and REDEN in v2.html
    assert "Deze versie vervangt versie 1" in v2.html
    assert v2.pdf_status == "klaar" and v2.pdf_sha256 != v1.pdf_sha256
    assert (v1.opvolger_versie, v1.opvolger_reden) == (2, REDEN)
    assert v2.opvolger_versie is None
    assert v2.gepubliceerd_op == product.gepubliceerd_op > v1.gepubliceerd_op
    # The history says who reopened it and why, then the adoption and the new publication.
    stappen = list(
        AuditEntry.objects.for_objects(product)
        .filter(action="cycle.product_transition")
        .order_by("pk")
        .values_list("data__overgang", "data__reden")
    )
    assert stappen[-3:] == [("heropenen", REDEN), ("vaststellen", ""), ("publiceren", "")]


@pytest.mark.django_db
def test_the_council_hears_of_the_correction_with_its_reason(
    gepubliceerd, wijkmanager, werkgebied, django_capture_on_commit_callbacks
):
    raad = user_with_role(Rol.RAAD)
    mail.outbox.clear()
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        corrigeer(gepubliceerd, wijkmanager, reden=REDEN)
    (bericht,) = [m for m in mail.outbox if raad.email in m.to]
    assert bericht.subject.startswith("Gecorrigeerd gepubliceerd:")
    assert REDEN in bericht.body
    v2 = Publicatie.objects.get(versie=2)
    assert v2.get_absolute_url() in bericht.body


@pytest.mark.django_db
def test_reopening_needs_a_reason(gepubliceerd, wijkmanager):
    for reden in ("", "   \n "):
        with pytest.raises(cycle_services.TransitionError, match="reden van de correctie"):
            heropenen(gepubliceerd, wijkmanager, reden=reden)
    gepubliceerd.refresh_from_db()
    assert gepubliceerd.status == Productstatus.GEPUBLICEERD
    assert gepubliceerd.correctie_reden == ""


@pytest.mark.django_db
def test_a_correction_is_written_in_any_phase_and_nothing_else_opens(gepubliceerd, wijkmanager):
    """The cycle is past the analysis: the correction may be written and adopted; a product
    that was never published cannot be reopened, nor one already in correction."""
    product = heropenen(gepubliceerd, wijkmanager)
    assert wijkmanager.has_perm("cycle.edit_product", product)
    product = cycle_services.product_update(
        product=product,
        user=wijkmanager,
        expected_versie=product.versie,
        data={"conclusies": "Nieuwe conclusie"},
    )
    with pytest.raises(cycle_services.StaleStateError):
        heropenen(product, wijkmanager)  # it is in correction already: a double submit
    with pytest.raises(cycle_services.TransitionError):
        cycle_services.product_transition(
            product=product,
            user=wijkmanager,
            transition="heropenen",
            expected_status=Productstatus.CORRECTIE,
            reden=REDEN,
        )
    agenda = product.cyclus.wijkagenda
    with pytest.raises(cycle_services.TransitionError):
        cycle_services.product_transition(
            product=agenda,
            user=wijkmanager,
            transition="heropenen",
            expected_status=Productstatus.CONCEPT,
            reden=REDEN,
        )
    # While it is being corrected the cycle cannot be closed on it, and it is no longer the
    # published text.
    assert product.cyclus.niet_gepubliceerd()


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_who_may_reopen_a_published_product(rol, roles, gepubliceerd):
    user, runs_the_cycle = roles[rol]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    if runs_the_cycle:
        assert heropenen(gepubliceerd, user).status == Productstatus.CORRECTIE
    else:
        with pytest.raises(PermissionDenied):
            heropenen(gepubliceerd, user)
        gepubliceerd.refresh_from_db()
        assert gepubliceerd.status == Productstatus.GEPUBLICEERD


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_the_reopen_step_through_the_page_for_every_role(rol, roles, gepubliceerd):
    user, runs_the_cycle = roles[rol]
    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse(
        "product-transition",
        kwargs={"slug": "crooswijk", "jaar": 2027, "soort": "wijkanalyse"},
    )
    page = client.get(gepubliceerd.get_absolute_url()).content.decode()
    assert ("Heropenen voor correctie" in page) is runs_the_cycle
    response = client.post(
        url,
        {
            "overgang": "heropenen",
            "verwacht": "gepubliceerd",
            "versie": gepubliceerd.versie,
            "reden": REDEN,
        },
    )
    gepubliceerd.refresh_from_db()
    if runs_the_cycle:
        assert response.status_code == 302
        assert gepubliceerd.status == Productstatus.CORRECTIE
        assert gepubliceerd.correctie_reden == REDEN
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/inloggen/")
        assert gepubliceerd.status == Productstatus.GEPUBLICEERD


@pytest.mark.django_db
def test_a_reason_too_long_or_missing_through_the_page_changes_nothing(gepubliceerd, wijkmanager):
    client = Client()
    client.force_login(wijkmanager)
    url = reverse(
        "product-transition",
        kwargs={"slug": "crooswijk", "jaar": 2027, "soort": "wijkanalyse"},
    )
    data = {"overgang": "heropenen", "verwacht": "gepubliceerd", "versie": gepubliceerd.versie}
    for reden in ("", "x" * 501):
        response = client.post(url, {**data, "reden": reden}, follow=True)
        assert response.status_code == 200
        gepubliceerd.refresh_from_db()
        assert gepubliceerd.status == Productstatus.GEPUBLICEERD
    response = client.post(url, {**data, "reden": ""}, follow=True)
    assert "Geef de reden van de correctie" in response.content.decode()


# ---------------------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_the_public_sees_the_published_versions_not_the_correction_in_progress(
    gepubliceerd, wijkmanager
):
    product = heropenen(gepubliceerd, wijkmanager)
    cycle_services.product_update(
        product=product,
        user=wijkmanager,
        expected_versie=product.versie,
        data={"titel": "Geheime nieuwe titel", "wijkbeschrijving": NIEUWE_TEKST},
    )
    for client in (
        Client(),
        _signed_in(user_with_role(Rol.BEWONER, werkgebied=gepubliceerd.cyclus.werkgebied)),
    ):
        response = client.get(gepubliceerd.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dit stuk wordt gecorrigeerd." in html and REDEN in html
        assert "Gepubliceerde versies" in html and "Versie 1" in html
        assert NIEUWE_TEKST not in html and "Geheime nieuwe titel" not in html
        assert TEKST not in html  # the text lives on the version's own page
        assert "Heropenen voor correctie" not in html and "Vaststellen" not in html
        cyclus = Client().get(gepubliceerd.cyclus.get_absolute_url()).content.decode()
        assert "Geheime nieuwe titel" not in cyclus
        assert "correctie in voorbereiding" in cyclus
    # Those involved read the new text and take the next step.
    html = _signed_in(wijkmanager).get(gepubliceerd.get_absolute_url()).content.decode()
    assert NIEUWE_TEKST in html and "Geheime nieuwe titel" in html and "Vaststellen" in html
    # The version's own text is what was published.
    v1 = Publicatie.objects.get()
    assert TEKST in Client().get(v1.get_html_url()).content.decode()


@pytest.mark.django_db
def test_version_one_says_it_was_replaced_with_the_reason_everywhere(
    gepubliceerd, wijkmanager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        corrigeer(gepubliceerd, wijkmanager, reden=REDEN)
    v1, v2 = Publicatie.objects.order_by("versie")
    client = Client()

    pagina = client.get(v1.get_absolute_url()).content.decode()
    assert "Vervangen door versie 2" in pagina and REDEN in pagina
    assert v2.get_absolute_url() in pagina
    pagina = client.get(v2.get_absolute_url()).content.decode()
    assert "Deze versie vervangt versie 1" in pagina and REDEN in pagina
    assert "Vervangen door" not in pagina

    archief = client.get("/publicaties/").content.decode()
    assert "vervangen door versie 2" in archief

    product = client.get(gepubliceerd.get_absolute_url()).content.decode()
    assert "Versie 2" in product and "Vervangen door versie 2" in product

    tekst = client.get(v1.get_html_url())
    assert tekst["Link"] == f'<http://testserver{v2.get_absolute_url()}>; rel="successor-version"'
    assert "Link" not in client.get(v2.get_html_url())

    # Both PDFs stay available, each its own.
    assert client.get(v1.get_pdf_url()).status_code == 200
    assert client.get(v2.get_pdf_url()).status_code == 200


@pytest.mark.django_db
def test_the_council_overview_shows_a_correction_in_progress(
    gepubliceerd, wijkmanager, werkgebied, make_cycle
):
    """The wijkverslag of 2025, published and then reopened: the council sees version 1 and
    that a correction is on its way."""
    cyclus = make_cycle(werkgebied, jaar=2025, fase=Fase.AFGEROND)
    verslag = cyclus.wijkverslag
    assert verslag.status == Productstatus.GEPUBLICEERD
    heropenen(verslag, wijkmanager)
    response = Client().get("/publicaties/2025/wijkverslagen/")
    rij = next(r for r in response.context["rijen"] if r.werkgebied.pk == werkgebied.pk)
    assert (rij.stand, rij.publicatie.versie) == ("in_correctie", 1)
    assert "correctie in voorbereiding" in response.content.decode()


@pytest.mark.django_db
def test_pages_with_corrections_cost_the_same_queries(
    gepubliceerd, wijkmanager, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Signed in: what is measured is the page, not the cache of anonymous pages.
    client = _signed_in(user_with_role(Rol.BEWONER, werkgebied=gepubliceerd.cyclus.werkgebied))
    urls = ["/publicaties/", Publicatie.objects.get().get_absolute_url()]
    for url in urls:
        client.get(url)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    product = gepubliceerd
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            product = corrigeer(product, wijkmanager, reden=f"Correctie {n}.")
    assert Publicatie.objects.count() == 5
    for url in urls:
        # Warm again (the corrections changed the version the user's roles are kept under).
        client.get(url)
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_feeds_name_the_correction_and_keep_version_one(
    gepubliceerd, wijkmanager, django_capture_on_commit_callbacks
):
    import xml.etree.ElementTree as ET

    with django_capture_on_commit_callbacks(execute=True):
        corrigeer(gepubliceerd, wijkmanager, reden=REDEN)
    atom = "{http://www.w3.org/2005/Atom}"
    for url in ("/publicaties/atom.xml", "/publicaties/crooswijk/atom.xml"):
        feed = ET.fromstring(Client().get(url).content)  # noqa: S314
        entries = feed.findall(f"{atom}entry")
        assert [e.findtext(f"{atom}title") for e in entries] == [
            "Wijkanalyse Crooswijk 2027 (versie 2)",
            "Wijkanalyse Crooswijk 2027",
        ]
        summary = entries[0].findtext(f"{atom}summary")
        assert f"Deze versie vervangt versie 1. Reden van de correctie: {REDEN}" in summary
        assert "Reden" not in entries[1].findtext(f"{atom}summary")
