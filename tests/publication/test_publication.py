"""Publishing a product freezes it as a version and has its PDF rendered after the commit:
the snapshot, the version numbers, the task's idempotency and claims, failures and trying
again, the pages, and who may do what."""

import hashlib
import logging
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services as cycle_services
from cycle.models import Fase, Productstatus, Wijkanalyse
from publication import services
from publication.models import Pdfstatus, Publicatie
from tests.conftest import ROLE_NAMES
from tests.cycle.inhoud import met_thema
from tests.notices.support import celery_app_on, free_port
from tests.publication.correctie import corrigeer

TEKST = "De Rubroekse pleinen zijn in 2026 opnieuw ingericht met bewoners."


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def publish(product, user, **callbacks):
    """Fill, adopt and publish ``product`` through the services, as a wijkmanager would."""
    product = cycle_services.product_update(
        product=product,
        user=user,
        expected_versie=product.versie,
        data={"titel": "Wijkanalyse Crooswijk 2027", "wijkbeschrijving": TEKST, "conclusies": "C"},
    )
    product = met_thema(product, user)
    product = cycle_services.product_transition(
        product=product, user=user, transition="vaststellen", expected_status="concept"
    )
    return cycle_services.product_transition(
        product=product,
        user=user,
        transition="publiceren",
        expected_status=Productstatus.VASTGESTELD,
        bevestigd=True,
    )


@pytest.fixture
def gepubliceerd(cyclus, wijkmanager, django_capture_on_commit_callbacks):
    """A published wijkanalyse whose PDF was rendered (eagerly, after the commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        product = publish(cyclus.wijkanalyse, wijkmanager)
    return product


@pytest.fixture
def wachtend(cyclus, wijkmanager, django_capture_on_commit_callbacks):
    """A published wijkanalyse whose PDF was not made yet (its kick never ran)."""
    with django_capture_on_commit_callbacks(execute=False):
        publish(cyclus.wijkanalyse, wijkmanager)
    return Publicatie.objects.get()


def kapot(html):
    raise RuntimeError("lettertype ontbreekt")


# ---------------------------------------------------------------------- making a version


@pytest.mark.django_db
def test_publishing_freezes_version_one_and_renders_its_pdf(gepubliceerd, wijkmanager):
    publicatie = Publicatie.objects.get()
    assert (publicatie.versie, publicatie.soort, publicatie.jaar) == (1, "wijkanalyse", 2027)
    assert publicatie.werkgebied == gepubliceerd.cyclus.werkgebied
    assert publicatie.product == Wijkanalyse.objects.get(pk=gepubliceerd.pk)
    assert publicatie.gepubliceerd_op == gepubliceerd.gepubliceerd_op
    assert publicatie.gepubliceerd_door == wijkmanager
    assert wijkmanager.email not in publicatie.gepubliceerd_door_naam
    assert TEKST in publicatie.html
    assert publicatie.pdf_status == Pdfstatus.KLAAR
    data = default_storage.open(publicatie.pdf.name).read()
    assert data.startswith(b"%PDF-")
    assert publicatie.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert publicatie.pdf_grootte == len(data)
    assert publicatie.pdf.name == "publicaties/crooswijk/2027/wijkanalyse-v1.pdf"


@pytest.mark.django_db
def test_the_snapshot_does_not_change_when_the_product_changes_afterwards(gepubliceerd):
    publicatie = Publicatie.objects.get()
    html = publicatie.html
    Wijkanalyse.objects.filter(pk=gepubliceerd.pk).update(
        titel="Andere titel", wijkbeschrijving="Later herschreven"
    )
    werkgebied = gepubliceerd.cyclus.werkgebied
    werkgebied.naam = "Nieuwe naam"
    werkgebied.save()
    publicatie.refresh_from_db()
    assert publicatie.html == html
    assert "Later herschreven" not in publicatie.html
    response = publication_client_get(publicatie.get_html_url())
    assert response.content.decode() == html


def publication_client_get(url, client=None):
    from django.test import Client

    return (client or Client()).get(url)


@pytest.mark.django_db
def test_a_second_publication_of_the_same_product_is_version_two(gepubliceerd, wijkmanager):
    corrigeer(gepubliceerd, wijkmanager, reden="Spelfout in de titel.")
    assert list(Publicatie.objects.order_by("versie").values_list("versie", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_product_that_is_not_published_has_no_version(cyclus, wijkmanager):
    product = cycle_services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={"titel": "T", "wijkbeschrijving": "W", "conclusies": "C"},
    )
    product = met_thema(product, wijkmanager)
    cycle_services.product_transition(
        product=product, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    assert not Publicatie.objects.exists()


# ------------------------------------------------------------- the task: claims, idempotency


@pytest.mark.django_db
def test_a_duplicated_task_renders_once_and_keeps_one_file(wachtend, monkeypatch):
    calls = []
    import publication.pdf

    real = publication.pdf.render_pdf

    def counting(html):
        calls.append(1)
        return real(html)

    monkeypatch.setattr(publication.pdf, "render_pdf", counting)
    assert services.pdf_maken(publicatie_id=wachtend.pk) is True
    assert services.pdf_maken(publicatie_id=wachtend.pk) is False
    assert len(calls) == 1
    wachtend.refresh_from_db()
    assert wachtend.pdf_status == Pdfstatus.KLAAR
    assert default_storage.listdir("publicaties/crooswijk/2027")[1] == ["wijkanalyse-v1.pdf"]


@pytest.mark.django_db
def test_a_version_claimed_by_a_live_worker_is_left_to_it(wachtend, monkeypatch):
    Publicatie.objects.filter(pk=wachtend.pk).update(
        pdf_bezig_tot=timezone.now() + timedelta(minutes=2), pdf_pogingen=1
    )
    monkeypatch.setattr("publication.pdf.render_pdf", kapot)
    assert services.pdf_maken(publicatie_id=wachtend.pk) is False
    wachtend.refresh_from_db()
    assert (wachtend.pdf_status, wachtend.pdf_pogingen) == (Pdfstatus.WACHTEND, 1)


@pytest.mark.django_db
def test_the_claim_of_a_dead_worker_runs_out_and_another_renders(wachtend):
    """A worker killed mid-render leaves its claim; once it has run out, the next task (the
    redelivered message, or the sweep's) renders the version."""
    Publicatie.objects.filter(pk=wachtend.pk).update(
        pdf_bezig_tot=timezone.now() - timedelta(seconds=1), pdf_pogingen=1
    )
    assert services.pdf_maken(publicatie_id=wachtend.pk) is True
    wachtend.refresh_from_db()
    assert (wachtend.pdf_status, wachtend.pdf_pogingen) == (Pdfstatus.KLAAR, 2)
    assert wachtend.pdf_bezig_tot is None


@pytest.mark.django_db
def test_a_version_that_keeps_killing_its_worker_is_marked_failed(wachtend, monkeypatch):
    Publicatie.objects.filter(pk=wachtend.pk).update(pdf_pogingen=services.MAX_POGINGEN)
    monkeypatch.setattr("publication.pdf.render_pdf", kapot)
    assert services.pdf_maken(publicatie_id=wachtend.pk) is False
    wachtend.refresh_from_db()
    assert wachtend.pdf_status == Pdfstatus.MISLUKT
    assert "afgebroken" in wachtend.pdf_fout


@pytest.mark.django_db
def test_a_file_is_not_kept_when_storing_its_row_fails(wachtend, monkeypatch):
    def weigert(self, *args, **kwargs):
        raise RuntimeError("database weg")

    monkeypatch.setattr(Publicatie, "save", weigert)
    with pytest.raises(RuntimeError):
        services.pdf_maken(publicatie_id=wachtend.pk)
    assert not default_storage.exists("publicaties/crooswijk/2027/wijkanalyse-v1.pdf")


@pytest.mark.django_db
def test_the_sweep_queues_what_nobody_claimed_and_what_a_dead_worker_left(wachtend, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "_kick", queued.append)
    assert services.pdf_sweep() == 0  # just published: its own kick may still come
    Publicatie.objects.filter(pk=wachtend.pk).update(
        gepubliceerd_op=timezone.now() - timedelta(minutes=5)
    )
    assert services.pdf_sweep() == 1
    Publicatie.objects.filter(pk=wachtend.pk).update(
        pdf_bezig_tot=timezone.now() + timedelta(minutes=1)
    )
    assert services.pdf_sweep() == 0  # a live claim
    Publicatie.objects.filter(pk=wachtend.pk).update(
        pdf_bezig_tot=timezone.now() - timedelta(minutes=1)
    )
    assert services.pdf_sweep() == 1
    assert queued == [wachtend.pk, wachtend.pk]


@pytest.mark.django_db(transaction=True)
def test_publishing_with_the_broker_down_commits_and_leaves_the_pdf_to_the_sweep(
    werkgebied, wijkmanager, make_cycle, caplog
):
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    with celery_app_on(f"redis://127.0.0.1:{free_port()}/0"), caplog.at_level(logging.WARNING):
        product = publish(cyclus.wijkanalyse, wijkmanager)
    assert product.status == Productstatus.GEPUBLICEERD
    publicatie = Publicatie.objects.get()
    assert publicatie.pdf_status == Pdfstatus.WACHTEND
    assert "the sweep will queue it" in caplog.text


# --------------------------------------------------------------------- failing, and again


@pytest.mark.django_db
def test_a_failed_render_is_recorded_and_the_wijkmanager_tries_again(
    wachtend, wijkmanager, client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("publication.pdf.render_pdf", kapot)
    assert services.pdf_maken(publicatie_id=wachtend.pk) is False
    wachtend.refresh_from_db()
    assert wachtend.pdf_status == Pdfstatus.MISLUKT
    assert wachtend.pdf_fout == "RuntimeError: lettertype ontbreekt"

    client.force_login(wijkmanager)
    page = client.get(wachtend.get_absolute_url())
    assert "lettertype ontbreekt" in page.content.decode()
    assert "Probeer het opnieuw" in page.content.decode()

    monkeypatch.undo()
    url = reverse("publicatie-opnieuw", kwargs=wachtend._kwargs())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    wachtend.refresh_from_db()
    assert (wachtend.pdf_status, wachtend.pdf_fout) == (Pdfstatus.KLAAR, "")
    entry = AuditEntry.objects.get(action="publication.pdf_opnieuw")
    assert entry.actor == wijkmanager and entry.data["fout"] == "RuntimeError: lettertype ontbreekt"


@pytest.mark.django_db
def test_trying_again_what_did_not_fail_changes_nothing(gepubliceerd, wijkmanager, client):
    publicatie = Publicatie.objects.get()
    client.force_login(wijkmanager)
    response = client.post(reverse("publicatie-opnieuw", kwargs=publicatie._kwargs()), follow=True)
    assert "er is niets opnieuw gestart" in response.content.decode()
    publicatie.refresh_from_db()
    assert publicatie.pdf_status == Pdfstatus.KLAAR
    assert not AuditEntry.objects.filter(action="publication.pdf_opnieuw").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("rol", ROLE_NAMES)
def test_who_sees_why_a_pdf_failed_and_may_try_again(rol, roles, wachtend, client, monkeypatch):
    monkeypatch.setattr("publication.pdf.render_pdf", kapot)
    services.pdf_maken(publicatie_id=wachtend.pk)
    user, runs_the_cycle = roles[rol]
    if user is not None:
        client.force_login(user)
    page = client.get(wachtend.get_absolute_url())
    assert page.status_code == 200
    assert ("lettertype ontbreekt" in page.content.decode()) is runs_the_cycle
    response = client.post(reverse("publicatie-opnieuw", kwargs=wachtend._kwargs()))
    wachtend.refresh_from_db()
    if runs_the_cycle:
        assert response.status_code == 302
        assert wachtend.pdf_status == Pdfstatus.WACHTEND
    else:
        assert response.status_code == (302 if user is None else 403)
        if user is None:
            assert response["Location"].startswith(reverse("login"))
        assert wachtend.pdf_status == Pdfstatus.MISLUKT


@pytest.mark.django_db
def test_trying_again_by_get_is_not_allowed(wachtend, wijkmanager, client):
    client.force_login(wijkmanager)
    response = client.get(reverse("publicatie-opnieuw", kwargs=wachtend._kwargs()))
    assert response.status_code == 405


# --------------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_the_product_page_links_the_version_and_its_pdf(gepubliceerd, client):
    publicatie = Publicatie.objects.get()
    html = client.get(gepubliceerd.get_absolute_url()).content.decode()
    assert "Gepubliceerde versies" in html
    assert publicatie.get_html_url() in html
    assert publicatie.get_pdf_url() in html


@pytest.mark.django_db
def test_the_product_page_says_the_pdf_is_being_made(wachtend, client):
    html = client.get(wachtend.product.get_absolute_url()).content.decode()
    assert "PDF wordt gemaakt" in html
    assert f'data-pdf-status="{wachtend.get_absolute_url()}"' in html
    assert wachtend.get_pdf_url() not in html


@pytest.mark.django_db
def test_the_product_page_shows_the_new_pdf_at_once_for_anonymous_visitors(wachtend, client):
    """The page is cached for anonymous visitors; a finished PDF bumps the public version."""
    url = wachtend.product.get_absolute_url()
    assert "PDF wordt gemaakt" in client.get(url).content.decode()
    services.pdf_maken(publicatie_id=wachtend.pk)
    assert wachtend.get_pdf_url() in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_status_answers_the_page_script_in_json(wachtend, client):
    url = wachtend.get_absolute_url() + "?formaat=json"
    assert client.get(url).json() == {"status": "wachtend", "label": "PDF wordt gemaakt"}
    services.pdf_maken(publicatie_id=wachtend.pk)
    response = client.get(url)
    assert response.json()["pdf"] == wachtend.get_pdf_url()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_pdf_is_public_and_immutable(gepubliceerd, client):
    publicatie = Publicatie.objects.get()
    response = client.get(publicatie.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == publicatie.pdf_sha256
    assert response["ETag"] == f'"{publicatie.pdf_sha256}"'
    assert "immutable" in response["Cache-Control"]
    assert "wijkanalyse-crooswijk-2027-v1.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_pdf_that_is_not_there_yet_is_not_found(wachtend, client):
    assert client.get(wachtend.get_pdf_url()).status_code == 404


@pytest.mark.django_db
def test_unknown_versions_are_not_found(gepubliceerd, client):
    publicatie = Publicatie.objects.get()
    kwargs = {**publicatie._kwargs(), "versie": 2}
    assert client.get(reverse("publicatie-html", kwargs=kwargs)).status_code == 404
    kwargs = {**publicatie._kwargs(), "slug": "feijenoord"}
    assert client.get(reverse("publicatie-pdf", kwargs=kwargs)).status_code == 404


@pytest.mark.django_db
def test_the_frozen_html_may_style_itself_and_do_nothing_else(gepubliceerd, client):
    publicatie = Publicatie.objects.get()
    response = client.get(publicatie.get_html_url())
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "'sha256-" in policy
    assert "unsafe-inline" not in policy
    assert "script-src" not in policy  # falls back to default-src 'none'


@pytest.mark.django_db
def test_the_product_page_with_versions_costs_the_same_queries(
    gepubliceerd, wijkmanager, client, django_assert_max_num_queries
):
    client.force_login(wijkmanager)
    url = gepubliceerd.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(16) as first:
        client.get(url)
    gelezen = len(first.captured_queries)
    product = gepubliceerd
    for n in range(5):
        product = corrigeer(product, wijkmanager, reden=f"Correctie {n}.")
    client.get(url)  # the content is kept again after the corrections moved the version
    with django_assert_max_num_queries(gelezen):
        html = client.get(url).content.decode()
    assert "Versie 6" in html


@pytest.mark.django_db
def test_products_published_before_versions_existed_get_version_one(
    gepubliceerd, wijkmanager, django_capture_on_commit_callbacks
):
    Publicatie.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publicaties_aanvullen() == 1
    publicatie = Publicatie.objects.get()
    assert (publicatie.versie, publicatie.gepubliceerd_door) == (1, wijkmanager)
    assert publicatie.pdf_status == Pdfstatus.KLAAR
    assert services.publicaties_aanvullen() == 0


@pytest.mark.django_db
def test_the_council_is_mailed_a_link_to_the_version_on_the_real_site(
    cyclus, wijkmanager, settings
):
    from notices.models import Notice
    from people.models import Rol
    from tests.people.factories import user_with_role

    settings.SITE_URL = "https://wijkaanpak.rotterdam.example"
    raad = user_with_role(Rol.RAAD)
    publish(cyclus.wijkanalyse, wijkmanager)
    notice = Notice.objects.get(kind="cycle.published", recipient=raad.email)
    url = settings.SITE_URL + Publicatie.objects.get().get_absolute_url()
    assert url in notice.body
    assert url.endswith("/publicaties/crooswijk/2027/wijkanalyse/v1/")


@pytest.mark.django_db
def test_hostile_text_in_a_product_is_frozen_as_text_not_markup(
    cyclus, wijkmanager, client, django_capture_on_commit_callbacks
):
    product = cycle_services.product_update(
        product=cyclus.wijkanalyse,
        user=wijkmanager,
        expected_versie=cyclus.wijkanalyse.versie,
        data={
            "titel": 'Analyse </title><script>alert("titel")</script>',
            "wijkbeschrijving": '<img src=x onerror=alert(1)><script>alert("x")</script>',
            "conclusies": "C",
        },
    )
    product = met_thema(product, wijkmanager)
    product = cycle_services.product_transition(
        product=product, user=wijkmanager, transition="vaststellen", expected_status="concept"
    )
    with django_capture_on_commit_callbacks(execute=True):
        cycle_services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )
    publicatie = Publicatie.objects.get()
    assert "<script>" not in publicatie.html and "<img src=x" not in publicatie.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in publicatie.html
    assert publicatie.pdf_status == Pdfstatus.KLAAR
    for url in (publicatie.get_html_url(), publicatie.get_absolute_url(), "/publicaties/"):
        assert "<script>alert" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_database_error_gives_the_claim_back_so_the_retry_renders(wachtend, monkeypatch):
    """The task retries on a database error; its own claim must not turn that retry away."""
    from django.db import OperationalError

    echte = services._opslaan
    fouten = []

    def eerst_fout(publicatie_id, data):
        if not fouten:
            fouten.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return echte(publicatie_id, data)

    monkeypatch.setattr(services, "_opslaan", eerst_fout)
    with pytest.raises(OperationalError):
        services.pdf_maken(publicatie_id=wachtend.pk)
    wachtend.refresh_from_db()
    assert (wachtend.pdf_status, wachtend.pdf_bezig_tot) == (Pdfstatus.WACHTEND, None)
    assert services.pdf_maken(publicatie_id=wachtend.pk) is True  # the retry
    wachtend.refresh_from_db()
    assert (wachtend.pdf_status, wachtend.pdf_pogingen) == (Pdfstatus.KLAAR, 2)


def test_a_claim_shorter_than_the_render_time_limit_is_a_configuration_error(settings):
    from publication.checks import claim_outlasts_the_render

    assert claim_outlasts_the_render(None) == []
    settings.PUBLICATIE_CLAIM_SECONDS = 150
    (fout,) = claim_outlasts_the_render(None)
    assert fout.id == "publication.E001"
