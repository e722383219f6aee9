"""The failed PDFs on "Mijn werk": for the wijkmanagers of the werkgebied (today) and for
beheerders, with the reason and a link to where it can be tried again; gone once it works;
one query at most."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Rol
from people.roles import active_assignments
from publication import services
from publication.mijn_werk import MISLUKT_MAX, REDEN_MAX, mislukte_pdfs_sectie
from publication.models import Pdfstatus, Publicatie
from tests.conftest import ROLE_NAMES
from tests.people.factories import RoltoewijzingFactory, user_with_role
from tests.publication.test_archief import versie
from tests.publication.test_mijn_werk import mijn_werk, sign_in

KOP = "PDF’s die niet gemaakt konden worden"
REDEN = "lettertype ontbreekt"


def mislukt(werkgebied, monkeypatch, *, reden=REDEN, **kwargs) -> Publicatie:
    """A version whose PDF the worker failed to make, through the service (which bumps the
    public version, as in production)."""
    publicatie = versie(werkgebied, klaar=False, **kwargs)

    def kapot(html):
        raise RuntimeError(reden)

    with monkeypatch.context() as patch:
        patch.setattr("publication.pdf.render_pdf", kapot)
        assert services.pdf_maken(publicatie_id=publicatie.pk) is False
    publicatie.refresh_from_db()
    assert publicatie.pdf_status == Pdfstatus.MISLUKT
    return publicatie


@pytest.fixture
def crooswijk(werkgebied, monkeypatch):
    return mislukt(werkgebied, monkeypatch, titel="Wijkagenda Crooswijk 2026", soort="wijkagenda")


@pytest.mark.django_db
def test_the_wijkmanager_sees_the_failed_pdf_of_their_werkgebied(crooswijk, wijkmanager):
    html = mijn_werk(sign_in(wijkmanager))
    assert '<section aria-labelledby="mislukte-pdfs"' in html
    assert f'<h2 id="mislukte-pdfs" class="h4">{KOP}</h2>' in html
    link = f'<a href="{crooswijk.get_absolute_url()}">Wijkagenda Crooswijk 2026, versie 1</a>'
    assert link in html
    assert "(Crooswijk)" in html
    assert f"RuntimeError: {REDEN}" in html


@pytest.mark.django_db
@pytest.mark.parametrize("rol", [name for name in ROLE_NAMES if name != "anoniem"])
def test_who_sees_the_failed_pdfs(rol, roles, crooswijk):
    """Exactly those who may try it again (``publication.retry_pdf``)."""
    user, runs_the_cycle = roles[rol]
    assert user.has_perm("publication.retry_pdf", crooswijk) is runs_the_cycle
    html = mijn_werk(sign_in(user))
    assert (KOP in html) is runs_the_cycle
    assert (REDEN in html) is runs_the_cycle
    assert (crooswijk.get_absolute_url() in html) is runs_the_cycle


@pytest.mark.django_db
def test_a_wijkmanager_whose_role_has_ended_or_not_begun_sees_nothing(werkgebied, crooswijk):
    today = timezone.localdate()
    verlopen = RoltoewijzingFactory(
        rol=Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=today - timedelta(days=30),
        geldig_tot=today - timedelta(days=1),
    ).user
    toekomstig = RoltoewijzingFactory(
        rol=Rol.WIJKMANAGER, werkgebied=werkgebied, geldig_vanaf=today + timedelta(days=1)
    ).user
    for user in (verlopen, toekomstig):
        html = mijn_werk(sign_in(user))
        assert KOP not in html and REDEN not in html


@pytest.mark.django_db
def test_an_assignment_without_an_area_covers_nothing(werkgebied, crooswijk):
    """Fail-closed, should a row ever lack its scope (the database forbids it)."""
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    assignment = active_assignments(wijkmanager)[0]
    assignment.werkgebied_id = None
    assert mislukte_pdfs_sectie(wijkmanager, [assignment]) == ""


@pytest.mark.django_db
def test_the_beheerder_sees_every_werkgebied(
    crooswijk, ander_werkgebied, wijkmanager, beheerder, monkeypatch
):
    feijenoord = mislukt(ander_werkgebied, monkeypatch, titel="Wijkanalyse Feijenoord 2026")
    html = mijn_werk(sign_in(beheerder))
    assert crooswijk.get_absolute_url() in html and feijenoord.get_absolute_url() in html
    assert "(Feijenoord)" in html
    # The wijkmanager of Crooswijk: not Feijenoord's.
    html = mijn_werk(sign_in(wijkmanager))
    assert crooswijk.get_absolute_url() in html and feijenoord.get_absolute_url() not in html


@pytest.mark.django_db
def test_nothing_failed_no_section(werkgebied, wijkmanager, beheerder):
    versie(werkgebied, klaar=True)
    versie(werkgebied, klaar=False, titel="Wordt gemaakt")
    for user in (wijkmanager, beheerder):
        assert KOP not in mijn_werk(sign_in(user))


@pytest.mark.django_db
def test_a_failure_shows_at_once_and_goes_once_the_retry_works(
    werkgebied, wijkmanager, monkeypatch, django_capture_on_commit_callbacks, settings
):
    """Mijn werk is kept per user under the public version: failing and succeeding (the
    services bump it) must show on the very next visit."""
    assert settings.PAGE_CACHE_SECONDS  # the memoised fragment is in play
    client = sign_in(wijkmanager)
    assert KOP not in mijn_werk(client)

    publicatie = mislukt(werkgebied, monkeypatch, titel="Wijkverslag Crooswijk 2025")
    assert "Wijkverslag Crooswijk 2025, versie 1" in mijn_werk(client)
    assert "Wijkverslag Crooswijk 2025, versie 1" in mijn_werk(client)  # kept, still there

    monkeypatch.setattr("publication.pdf.render_pdf", lambda html: b"%PDF-1.7 opnieuw")
    url = reverse("publicatie-opnieuw", kwargs=publicatie._kwargs())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    publicatie.refresh_from_db()
    assert publicatie.pdf_status == Pdfstatus.KLAAR
    html = mijn_werk(client)
    assert KOP not in html and "Wijkverslag Crooswijk 2025" not in html


@pytest.mark.django_db
def test_a_long_reason_is_cut_short(werkgebied, wijkmanager, monkeypatch):
    reden = "x" * 1500
    mislukt(werkgebied, monkeypatch, reden=reden)
    html = mijn_werk(sign_in(wijkmanager))
    assert "x" * (REDEN_MAX - len("RuntimeError: ") - 1) + "…" in html
    assert "x" * REDEN_MAX not in html


@pytest.mark.django_db
def test_the_list_is_bounded_and_costs_one_query(
    werkgebied, wijkmanager, beheerder, monkeypatch, django_assert_num_queries
):
    raad = user_with_role(Rol.RAAD)
    mislukt(werkgebied, monkeypatch, jaar=2000)
    for user in (wijkmanager, beheerder):
        assignments = active_assignments(user)
        with django_assert_num_queries(1):
            assert "2000" in mislukte_pdfs_sectie(user, assignments)
    assignments = active_assignments(raad)
    with django_assert_num_queries(0):
        assert mislukte_pdfs_sectie(raad, assignments) == ""

    for jaar in range(2001, 2001 + MISLUKT_MAX + 4):
        mislukt(werkgebied, monkeypatch, jaar=jaar)
    for user in (wijkmanager, beheerder):
        assignments = active_assignments(user)
        with django_assert_num_queries(1):
            html = mislukte_pdfs_sectie(user, assignments)
        assert html.count("<li") == MISLUKT_MAX
        assert f"En meer: hier staan alleen de {MISLUKT_MAX} nieuwste." in html
