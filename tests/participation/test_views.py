"""The melding pages through the test client: reporting in two steps, refusals that keep what
was typed, the honeypot and the rate limit, the tracking page without personal data, the
triage list and page with their permissions, and the accounthouder's answer."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from notices.models import Notice
from participation.models import Foto, Melding, Thema
from people.models import Rol
from places import geo
from places.models import Wijk
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

from .factories import MeldingFactory, fresh, jpeg_upload

TEKST = "De lantaarnpaal bij de speeltuin is al drie weken kapot."


@pytest.fixture
def wijk(rotterdam):
    return Wijk.objects.select_related("werkgebied").get(slug="afrikaanderwijk")


@pytest.fixture
def schoon(db):
    return Thema.objects.get(slug="schoon")


@pytest.fixture
def manager(wijk):
    return user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)


def punt_in(wijk) -> tuple[float, float]:
    buurten = geo._buurten()
    index = [b.code for b in buurten.buurten].index(wijk.cbs_buurtcodes[0])
    p = buurten.vormen[index].representative_point()
    return round(p.x, 6), round(p.y, 6)


def form_data(wijk, thema, /, **extra):
    data = {
        "tekst": TEKST,
        "wijk": wijk.pk,
        "thema": thema.pk,
        "plek": "Speeltuin Afrikaanderplein",
        "betreft_groep": "1",
        "email": "",
        "website": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_step_one_asks_where_and_what(client, wijk):
    page = client.get("/meldingen/nieuw/?wijk=afrikaanderwijk").content.decode()
    assert "Stap 1 van 2" in page
    assert re.search(r'<option value="afrikaanderwijk"[^>]*selected', page)
    # Unknown values are no error page: step one again, with a message next to the field.
    page = client.get("/meldingen/nieuw/?wijk=atlantis&thema=schoon").content.decode()
    assert "Deze wijk kennen we niet" in page


@pytest.mark.django_db
def test_step_two_shows_what_was_already_reported(client, wijk, schoon):
    recent = MeldingFactory(wijk=wijk, thema=schoon, steun=4, publiceerbaar=True)
    old = MeldingFactory(
        wijk=wijk, thema=schoon, ingediend_op=timezone.now() - datetime.timedelta(days=40)
    )
    closed = MeldingFactory(wijk=wijk, thema=schoon, status="afgehandeld")
    page = client.get("/meldingen/nieuw/?wijk=afrikaanderwijk&thema=schoon").content.decode()
    assert "Is dit al gemeld?" in page
    assert f"/meldingen/{recent.code}/steunen/" in page
    assert "4 keer gesteund" in page
    assert old.code not in page and closed.code not in page
    # No address of any reporter on the page.
    assert recent.email not in page


@pytest.mark.django_db
def test_step_two_is_kept_and_changes_with_a_new_melding(
    client, wijk, schoon, django_assert_max_num_queries
):
    url = "/meldingen/nieuw/?wijk=afrikaanderwijk&thema=schoon"
    client.get(url)
    with django_assert_max_num_queries(1):  # the public version; the rest is kept
        page = client.get(url).content.decode()
    assert "csrfmiddlewaretoken" in page
    nieuw = MeldingFactory(wijk=wijk, thema=schoon)
    from pagecache.services import bump

    bump()  # as every service does with its audit entry
    assert nieuw.code in client.get(url).content.decode()
    # A wijk that does not exist is refused every time, never kept as a step two.
    for _ in range(2):
        assert (
            "Deze wijk kennen we niet"
            in client.get("/meldingen/nieuw/?wijk=atlantis&thema=schoon").content.decode()
        )


@pytest.mark.django_db
def test_a_resident_reports_and_follows_it(client, wijk, schoon):
    lon, lat = punt_in(wijk)
    response = client.post(
        "/meldingen/nieuw/",
        form_data(
            wijk,
            schoon,
            email="bewoner@example.nl",
            lengtegraad=lon,
            breedtegraad=lat,
            fotos=[jpeg_upload()],
        ),
    )
    melding = Melding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meldingen/{melding.code}/"
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", melding.code)
    assert melding.tekst == TEKST and melding.betreft_groep is True
    assert melding.werkgebied == wijk.werkgebied
    assert melding.buurtcode == wijk.cbs_buurtcodes[0]
    assert Foto.objects.filter(melding=melding).count() == 1
    assert Notice.objects.filter(recipient="bewoner@example.nl").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert melding.code in page and "nieuw" in page
    # Personal data and unchecked text are not on the public tracking page.
    assert "bewoner@example.nl" not in page
    assert TEKST not in page
    assert "/fotos/" not in page


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed(client, wijk, schoon):
    response = client.post(
        "/meldingen/nieuw/",
        form_data(wijk, schoon, tekst="   ", email="geen-adres", plek="Hier"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Beschrijf wat er aan de hand is." in page
    assert "Vul een geldig e-mailadres in" in page
    assert 'value="Hier"' in page
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_a_point_outside_the_wijken_is_refused(client, wijk, schoon):
    response = client.post(
        "/meldingen/nieuw/", form_data(wijk, schoon, lengtegraad="4.9", breedtegraad="52.37")
    )
    assert "buiten de wijken van Rotterdam" in response.content.decode()
    assert TEKST in response.content.decode()
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_a_point_in_another_wijk_is_refused(client, wijk, schoon):
    other = Wijk.objects.get(slug="bloemhof")
    lon, lat = punt_in(other)
    page = client.post(
        "/meldingen/nieuw/", form_data(wijk, schoon, lengtegraad=lon, breedtegraad=lat)
    ).content.decode()
    assert "ligt in Bloemhof, niet in Afrikaanderwijk" in page
    assert not Melding.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"thema": "999999"},
        {"wijk": "abc"},
        {"lengtegraad": "1e309", "breedtegraad": "nan"},
        {"lengtegraad": "4.5"},
        {"tekst": "x" * 6000},
        {"betreft_groep": "misschien"},
    ],
)
def test_hostile_input_gives_a_message_never_a_500(client, wijk, schoon, extra):
    response = client.post("/meldingen/nieuw/", form_data(wijk, schoon, **extra))
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.content.decode()
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_a_renamed_executable_is_refused_by_name(client, wijk, schoon):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("vakantie.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
    page = client.post("/meldingen/nieuw/", form_data(wijk, schoon, fotos=[bad])).content.decode()
    assert "vakantie.jpg" in page
    assert TEKST in page
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_stores_nothing(client, wijk, schoon):
    response = client.post("/meldingen/nieuw/", form_data(wijk, schoon, website="http://spam"))
    assert response.status_code == 200
    assert "kon niet worden verstuurd" in response.content.decode()
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_the_rate_limit_stores_nothing_and_says_so(client, wijk, schoon, settings):
    settings.MELDING_RATE = "2/h"
    for _ in range(2):
        assert client.post("/meldingen/nieuw/", form_data(wijk, schoon)).status_code == 302
    response = client.post("/meldingen/nieuw/", form_data(wijk, schoon))
    assert response.status_code == 200
    assert "Probeer het over een uur opnieuw" in response.content.decode()
    assert TEKST in response.content.decode()
    assert Melding.objects.count() == 2


@pytest.mark.django_db
def test_support_counts_once_per_address(client, wijk, schoon):
    melding = MeldingFactory(wijk=wijk, thema=schoon)
    # The tracking page links to a confirmation (it holds no form, so it can be cached).
    volgen = client.get(f"/meldingen/{melding.code}/").content.decode()
    assert f'href="/meldingen/{melding.code}/steunen/"' in volgen
    assert "csrfmiddlewaretoken" not in volgen
    bevestigen = client.get(f"/meldingen/{melding.code}/steunen/").content.decode()
    assert "Ja, ik steun deze melding" in bevestigen
    client.post(f"/meldingen/{melding.code}/steunen/")
    client.post(f"/meldingen/{melding.code}/steunen/")
    assert fresh(melding).steun == 1
    assert client.get(f"/meldingen/{melding.code}/").status_code == 200


@pytest.mark.django_db
def test_unknown_codes_are_404(client):
    assert client.get("/meldingen/AAAAA-AAAAA/").status_code == 404
    assert client.post("/meldingen/AAAAA-AAAAA/steunen/").status_code == 404


@pytest.mark.django_db
def test_public_list_shows_text_only_when_publishable(client, wijk, schoon):
    open_ = MeldingFactory(wijk=wijk, thema=schoon, tekst="Geheime tekst van Jan Jansen")
    checked = MeldingFactory(
        wijk=wijk, thema=schoon, tekst="Gecontroleerde tekst", publiceerbaar=True
    )
    page = client.get("/meldingen/?wijk=afrikaanderwijk").content.decode()
    assert open_.code in page and checked.code in page
    assert "Gecontroleerde tekst" in page
    assert "Jan Jansen" not in page
    assert open_.email not in page and checked.email not in page


# --------------------------------------------------------------------------- triage


@pytest.mark.django_db
def test_triage_list_for_its_wijkmanager_only(client, wijk, schoon, manager):
    melding = MeldingFactory(
        wijk=wijk, thema=schoon, termijn_op=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = f"/werkgebieden/{wijk.werkgebied.slug}/meldingen/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    other = Wijk.objects.exclude(werkgebied=wijk.werkgebied).exclude(werkgebied=None).first()
    client.force_login(user_with_role(Rol.WIJKMANAGER, werkgebied=other.werkgebied))
    assert client.get(url).status_code == 403
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert melding.code in page and "(te laat)" in page
    assert client.get(url + "?status=onzin&wijk=x&leeftijd=eeuw").status_code == 200


@pytest.mark.django_db
def test_triage_list_has_a_fixed_number_of_queries(
    client, wijk, schoon, manager, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0  # every request builds the list
    client.force_login(manager)
    url = f"/werkgebieden/{wijk.werkgebied.slug}/meldingen/"
    MeldingFactory.create_batch(3, wijk=wijk, thema=schoon)
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    MeldingFactory.create_batch(30, wijk=wijk, thema=schoon)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_triage_list_is_kept_per_user_and_shows_a_change_at_once(
    client, wijk, schoon, manager, django_assert_max_num_queries
):
    from participation import services

    client.force_login(manager)
    url = f"/werkgebieden/{wijk.werkgebied.slug}/meldingen/"
    melding = services.melding_create(
        gegevens=services.NieuweMelding(tekst="Afval", thema=schoon, wijk=wijk)
    )
    assert melding.code in client.get(url).content.decode()
    # A reload: the user and the version; not the permission, the werkgebied or the list.
    with django_assert_max_num_queries(2):
        client.get(url)
    services.melding_transition(
        melding_id=melding.pk,
        user=manager,
        transition="niet_in_behandeling_nemen",
        expected_versie=None,
        antwoord="Geen zaak van de gemeente.",
    )
    assert melding.code not in client.get(url).content.decode()  # only open ones by default
    # Another wijkmanager of the werkgebied gets their own list, never this one's.
    other = user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)
    client.force_login(other)
    assert client.get(url + "?status=").status_code == 200
    # Bad filters show their error, and are not kept for the next visitor of the list.
    page = client.get(url + "?wijk=999999").content.decode()
    assert "invalid-feedback" in page
    assert "invalid-feedback" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_triage_list_kept_permission_ends_with_the_role(client, wijk, schoon, manager, monkeypatch):
    """The kept answer includes the permission: a role taken away is refused at the next
    request, and so is a role that has ended overnight."""
    from people.models import Roltoewijzing
    from people.services import roltoewijzing_delete, roltoewijzing_save

    beheerder = user_with_role(Rol.BEHEERDER)
    url = f"/werkgebieden/{wijk.werkgebied.slug}/meldingen/"
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # from the cache
    roltoewijzing_delete(actor=beheerder, assignment=Roltoewijzing.objects.get(user=manager))
    assert client.get(url).status_code == 403

    tweede = user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)
    toewijzing = Roltoewijzing.objects.get(user=tweede)
    toewijzing.geldig_tot = timezone.localdate()
    roltoewijzing_save(actor=beheerder, assignment=toewijzing)
    client.force_login(tweede)
    assert client.get(url).status_code == 200
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: morgen)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_meldingen_without_a_wijkraad_are_the_beheerders(client, schoon, manager):
    """A wijk without a wijkraad has no werkgebied and so no wijkmanager: its meldingen reach
    the beheerders through "Mijn werk" and a list of their own, and nobody else."""
    from participation import services

    zonder = Wijk.objects.filter(werkgebied__isnull=True).first()
    assert zonder is not None  # the real data has such a wijk (CS-kwartier)
    melding = services.melding_create(
        gegevens=services.NieuweMelding(tekst="Fietsen op de stoep", thema=schoon, wijk=zonder)
    )
    assert melding.werkgebied_id is None
    url = "/meldingen/zonder-wijkraad/"
    assert client.get(url).status_code == 302  # to the login page
    for user in (
        manager,
        UserFactory(),
        user_with_role(Rol.RAAD),
        user_with_role(Rol.WIJKRAADSLID, werkgebied=manager.rollen.get().werkgebied),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(f"/meldingen/{melding.code}/behandelen/").status_code == 403
        assert "zonder-wijkraad" not in client.get("/mijn-werk/").content.decode()
    client.force_login(user_with_role(Rol.BEHEERDER))
    werk = client.get("/mijn-werk/").content.decode()
    assert "Meldingen in wijken zonder wijkraad" in werk and url in werk
    page = client.get(url).content.decode()
    assert melding.code in page
    assert client.get(url + f"?wijk={zonder.pk}&status=open").status_code == 200
    behandelen = client.get(f"/meldingen/{melding.code}/behandelen/").content.decode()
    assert url in behandelen  # the way back


@pytest.mark.django_db
def test_wijkmanager_forwards_and_the_accounthouder_answers(client, wijk, schoon, manager):
    cluster = ClusterFactory(naam="Cluster A", slug="cluster-a")
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=wijk.gebied)
    ander_cluster = user_with_role(
        Rol.ACCOUNTHOUDER,
        cluster=ClusterFactory(naam="Cluster B", slug="cluster-b"),
        gebied=wijk.gebied,
    )
    melding = MeldingFactory(wijk=wijk, thema=schoon, email="melder@example.nl")
    url = f"/meldingen/{melding.code}/behandelen/"
    client.force_login(accounthouder)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "melder@example.nl" in page  # the wijkmanager sees the contact
    response = client.post(
        url,
        {
            "actie": "stap",
            "overgang": "doorzetten",
            "versie": melding.versie,
            "cluster": cluster.pk,
            "notitie": "Graag voor vrijdag.",
        },
    )
    assert response.status_code == 302
    assert fresh(melding).status == "doorgezet"

    client.force_login(ander_cluster)
    assert client.get(url).status_code == 403
    client.force_login(accounthouder)
    start = client.get("/mijn-werk/").content.decode()
    assert melding.code in start
    page = client.get(url).content.decode()
    assert "melder@example.nl" not in page  # the address stays with the wijkmanager
    assert "Graag voor vrijdag." in page
    response = client.post(
        url,
        {
            "actie": "stap",
            "overgang": "afhandelen",
            "versie": fresh(melding).versie,
            "antwoord": "De paal is vervangen.",
        },
    )
    assert response.status_code == 302
    melding = fresh(melding)
    assert melding.status == "afgehandeld" and melding.antwoord == "De paal is vervangen."
    volgen = client.get(f"/meldingen/{melding.code}/").content.decode()
    assert "De paal is vervangen." in volgen
    assert "Is het opgelost?" in volgen


@pytest.mark.django_db
def test_a_missing_answer_keeps_the_form_and_a_stale_one_says_so(client, wijk, schoon, manager):
    melding = MeldingFactory(wijk=wijk, thema=schoon)
    url = f"/meldingen/{melding.code}/behandelen/"
    client.force_login(manager)
    page = client.post(
        url, {"actie": "stap", "overgang": "afhandelen", "versie": melding.versie, "antwoord": ""}
    ).content.decode()
    assert "Schrijf het antwoord aan de melder." in page
    assert fresh(melding).status == "nieuw"
    page = client.post(
        url,
        {
            "actie": "stap",
            "overgang": "afhandelen",
            "versie": melding.versie - 1 + 5,
            "antwoord": "Mijn zorgvuldige antwoord",
        },
    ).content.decode()
    assert "Iemand anders heeft deze melding intussen gewijzigd" in page
    assert "Mijn zorgvuldige antwoord" in page
    assert fresh(melding).status == "nieuw"


@pytest.mark.django_db
def test_photos_only_for_who_triages(client, wijk, schoon, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.post("/meldingen/nieuw/", form_data(wijk, schoon, fotos=[jpeg_upload()]))
    melding = Melding.objects.get()
    foto = melding.fotos.get()
    url = f"/meldingen/{melding.code}/fotos/{foto.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_reopening_from_the_tracking_page(client, wijk, schoon):
    melding = MeldingFactory(wijk=wijk, thema=schoon, status="afgehandeld", antwoord="Opgeruimd.")
    url = f"/meldingen/{melding.code}/"
    page = client.post(url, {"opgelost": "nee", "reactie": ""}).content.decode()
    assert "Schrijf wat er nog niet is opgelost." in page
    response = client.post(url, {"opgelost": "nee", "reactie": "Er ligt weer afval."})
    assert response.status_code == 302
    assert fresh(melding).status == "in_behandeling"
    assert AuditEntry.objects.filter(action="participation.melding_heropend").exists()


@pytest.mark.django_db
def test_contact_data_never_in_mail_to_others_or_audit(client, wijk, schoon):
    client.post("/meldingen/nieuw/", form_data(wijk, schoon, email="priv@example.nl"))
    for entry in AuditEntry.objects.all():
        assert "priv@example.nl" not in str(entry.data)
        assert TEKST not in str(entry.data)
    assert all("priv@example.nl" in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_the_new_melding_page_under_werkgebied_less_wijk(client, rotterdam, schoon):
    """A wijk without a wijkraad still takes meldingen (the beheerders handle them)."""
    wijk = Wijk.objects.filter(werkgebied=None).first()
    assert wijk is not None
    response = client.post("/meldingen/nieuw/", form_data(wijk, schoon))
    assert response.status_code == 302
    assert Melding.objects.get().werkgebied is None
