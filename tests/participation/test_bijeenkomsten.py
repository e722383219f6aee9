"""Bijeenkomsten: planning through the one edit guard, the public calendars and feeds, the
cycle panel and "Mijn werk"; permissions per view and role, bad input, query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEntry
from participation import services_bijeenkomsten as services
from participation.models import Bijeenkomst
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role

NU = timezone.now


def maak(werkgebied, *, dagen=7, **kwargs) -> Bijeenkomst:
    """A meeting set up directly (the services are what the service tests exercise)."""
    begin = NU().replace(microsecond=0) + datetime.timedelta(days=dagen)
    waarden = {
        "soort": "themabijeenkomst",
        "titel": "Groen in de wijk",
        "begin": begin,
        "einde": begin + datetime.timedelta(hours=2),
        "plaats": "Buurthuis De Kroon",
        "niveau": "raadplegen",
    }
    waarden.update(kwargs)
    return Bijeenkomst.objects.create(werkgebied=werkgebied, **waarden)


def plan_data(**extra) -> dict:
    begin = timezone.localtime(NU() + datetime.timedelta(days=10)).replace(
        hour=19, minute=30, second=0, microsecond=0
    )
    data = {
        "versie": 0,
        "soort": "buurtgesprek",
        "titel": "Buurtgesprek over de Rubroekstraat",
        "begin": begin.strftime("%Y-%m-%dT%H:%M"),
        "einde": (begin + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "plaats": "Buurthuis De Kroon",
        "adres": "Rubroekstraat 1",
        "niveau": "adviseren",
        "cyclus": "",
        "fase": "",
        "agenda": "1. Opening\n2. Het plein",
        "openbaar": "on",
        "verslag": "",
        "aantal_aanwezigen": "",
    }
    data.update(extra)
    return data


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


# ----------------------------------------------------------------------- services


@pytest.mark.django_db
def test_wijkmanager_plans_and_edits_with_audit(werkgebied, wijkmanager):
    begin = NU() + datetime.timedelta(days=3)
    b = services.bijeenkomst_plannen(
        werkgebied=werkgebied,
        user=wijkmanager,
        soort="wijkschouw",
        titel="  Wijkschouw   Rubroek ",
        begin=begin,
        einde=begin + datetime.timedelta(hours=2),
        plaats="Start bij de kerk",
        niveau="coproduceren",
    )
    assert b.titel == "Wijkschouw Rubroek"
    assert AuditEntry.objects.filter(action="participation.bijeenkomst_gepland").count() == 1
    b2 = services.bijeenkomst_wijzigen(
        bijeenkomst_id=b.pk, user=wijkmanager, expected_versie=1, plaats="Het plein"
    )
    assert b2.versie == 2 and b2.plaats == "Het plein"
    # A form read at version 1 now saves nothing.
    with pytest.raises(services.StaleBijeenkomstError):
        services.bijeenkomst_wijzigen(
            bijeenkomst_id=b.pk, user=wijkmanager, expected_versie=1, plaats="Elders"
        )
    b.refresh_from_db()
    assert b.plaats == "Het plein"


@pytest.mark.django_db
def test_wrong_werkgebied_and_expired_role_cannot_plan(werkgebied, ander_werkgebied):
    today = timezone.localdate()
    verlopen = user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=today - datetime.timedelta(days=400),
        geldig_tot=today - datetime.timedelta(days=1),
    )
    ander = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    begin = NU() + datetime.timedelta(days=3)
    for user in (verlopen, ander):
        with pytest.raises(PermissionDenied):
            services.bijeenkomst_plannen(
                werkgebied=werkgebied,
                user=user,
                soort="buurtgesprek",
                titel="x",
                begin=begin,
                einde=begin + datetime.timedelta(hours=1),
                plaats="x",
                niveau="informeren",
            )
    assert not Bijeenkomst.objects.exists()


@pytest.mark.django_db
def test_wijkraadslid_plans_only_wijkraad_meetings(werkgebied):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    begin = NU() + datetime.timedelta(days=3)
    data = {
        "titel": "Openbare vergadering",
        "begin": begin,
        "einde": begin + datetime.timedelta(hours=2),
        "plaats": "Wijkgebouw",
        "niveau": "adviseren",
    }
    with pytest.raises(ValidationError) as exc:
        services.bijeenkomst_plannen(
            werkgebied=werkgebied, user=lid, soort="themabijeenkomst", **data
        )
    assert "soort" in exc.value.message_dict
    b = services.bijeenkomst_plannen(
        werkgebied=werkgebied, user=lid, soort="wijkraadvergadering", **data
    )
    # ... and cannot turn it into another kind.
    with pytest.raises(ValidationError):
        services.bijeenkomst_wijzigen(
            bijeenkomst_id=b.pk, user=lid, expected_versie=1, soort="werkgroep"
        )
    andere = maak(werkgebied)
    with pytest.raises(PermissionDenied):
        services.bijeenkomst_wijzigen(
            bijeenkomst_id=andere.pk, user=lid, expected_versie=1, titel="Nee"
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "veld"),
    [
        ({"einde_min": 60}, "einde"),
        ({"aantal_aanwezigen": 10_000_000}, "aantal_aanwezigen"),
        ({"aantal_aanwezigen": -1}, "aantal_aanwezigen"),
        ({"agenda": "x" * 10_000}, "agenda"),
        ({"titel": "t" * 10_000}, "titel"),
        ({"verslag": "Het was goed."}, "verslag"),
        ({"titel": "   "}, "titel"),
    ],
)
def test_bad_input_is_refused_per_field(werkgebied, wijkmanager, extra, veld):
    begin = NU() + datetime.timedelta(days=3)
    einde = begin - datetime.timedelta(minutes=extra.pop("einde_min", -120))
    with pytest.raises(ValidationError) as exc:
        services.bijeenkomst_plannen(
            werkgebied=werkgebied,
            user=wijkmanager,
            **{
                "soort": "buurtgesprek",
                "titel": "Gesprek",
                "begin": begin,
                "einde": einde,
                "plaats": "Buurthuis",
                "niveau": "informeren",
                **extra,
            },
        )
    assert veld in exc.value.message_dict
    assert not Bijeenkomst.objects.exists()


@pytest.mark.django_db
def test_outcome_after_the_meeting(werkgebied, wijkmanager):
    b = maak(werkgebied, dagen=-2)
    b = services.bijeenkomst_wijzigen(
        bijeenkomst_id=b.pk,
        user=wijkmanager,
        expected_versie=1,
        verslag="Afgesproken: extra prullenbakken.",
        aantal_aanwezigen=34,
    )
    assert b.aantal_aanwezigen == 34 and b.versie == 2


# --------------------------------------------------------------------------- views

# The public pages: every role (and anonymous) reads them.
PUBLIEK = ["kalender", "stad", "detail", "feed", "feed_stad"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("pagina", PUBLIEK)
def test_public_pages_for_every_role(client, roles, werkgebied, role, pagina):
    b = maak(werkgebied)
    url = {
        "kalender": f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/",
        "stad": "/bijeenkomsten/",
        "detail": b.get_absolute_url(),
        "feed": f"/werkgebieden/{werkgebied.slug}/bijeenkomsten.ics",
        "feed_stad": "/bijeenkomsten.ics",
    }[pagina]
    response = _client_for(client, roles[role][0]).get(url)
    assert response.status_code == 200
    assert b.titel.encode() in response.content


# Who may plan in ``werkgebied`` (the roles fixture: the right and the wrong werkgebied).
PLANNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder", "wijkraadslid"}
WIJZIGT_THEMA = {"wijkmanager", "wijkmanager via gebied", "beheerder"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_planning_pages_per_role(client, roles, werkgebied, role):
    user = roles[role][0]
    c = _client_for(client, user)
    thema = maak(werkgebied)
    raad = maak(werkgebied, soort="wijkraadvergadering", titel="Wijkraad")
    verborgen = maak(werkgebied, openbaar=False, titel="Besloten werkgroep", soort="werkgroep")
    urls = {
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/nieuw/": role in PLANNERS,
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/{thema.pk}/wijzigen/": role
        in WIJZIGT_THEMA,
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/{raad.pk}/wijzigen/": role in PLANNERS,
        verborgen.get_absolute_url(): role in WIJZIGT_THEMA,
    }
    for url, mag in urls.items():
        response = c.get(url)
        if mag:
            assert response.status_code == 200, url
        elif user is None:
            assert response.status_code == 302 and "/inloggen/" in response["Location"], url
        else:
            assert response.status_code == 403, url
    # A POST is refused the same way, and changes nothing.
    response = c.post(
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/{thema.pk}/wijzigen/",
        plan_data(versie=1, soort="themabijeenkomst", titel="Anders"),
    )
    thema.refresh_from_db()
    assert (thema.titel == "Anders") == (role in WIJZIGT_THEMA)


@pytest.mark.django_db
def test_expired_role_gets_403(client, werkgebied):
    today = timezone.localdate()
    verlopen = user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=today - datetime.timedelta(days=400),
        geldig_tot=today - datetime.timedelta(days=1),
    )
    client.force_login(verlopen)
    b = maak(werkgebied)
    assert client.get(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/nieuw/").status_code == 403
    assert (
        client.get(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/{b.pk}/wijzigen/").status_code
        == 403
    )


@pytest.mark.django_db
def test_plan_through_the_form_and_see_it_in_calendar_and_feed(client, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/nieuw/", plan_data())
    b = Bijeenkomst.objects.get()
    assert response.status_code == 302 and response["Location"] == b.get_absolute_url()
    client.logout()
    kalender = client.get(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/").content.decode()
    assert "Buurtgesprek over de Rubroekstraat" in kalender
    feed = client.get(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(feed.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]).startswith("Buurtgesprek over de Rubroekstraat")
    assert events[0].decoded("dtstart") == b.begin
    assert str(events[0]["location"]) == "Buurthuis De Kroon, Rubroekstraat 1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "veld", "bericht"),
    [
        ({"einde": "2020-01-01T10:00"}, "einde", "eindigen na het begin"),
        ({"aantal_aanwezigen": "99999999"}, "aantal_aanwezigen", "tussen 0 en"),
        ({"agenda": "x" * 10_000}, "agenda", "Maximaal 5000 tekens"),
        ({"begin": "morgen"}, "begin", "geldige datum"),
        ({"soort": "feest"}, "soort", "Kies een soort"),
    ],
)
def test_bad_input_in_the_form_dutch_error_nothing_lost(
    client, werkgebied, wijkmanager, extra, veld, bericht
):
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/nieuw/", plan_data(**extra)
    )
    assert response.status_code == 200
    assert veld in response.context["form"].errors
    html = response.content.decode()
    assert bericht in html
    # The rest of the input is still there.
    assert "Buurtgesprek over de Rubroekstraat" in html
    assert not Bijeenkomst.objects.exists()


@pytest.mark.django_db
def test_stale_edit_shows_the_stale_page_message(client, werkgebied, wijkmanager):
    b = maak(werkgebied)
    services.bijeenkomst_wijzigen(
        bijeenkomst_id=b.pk, user=wijkmanager, expected_versie=1, plaats="Ergens anders"
    )
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/{b.pk}/wijzigen/",
        plan_data(versie=1, soort="themabijeenkomst", titel="Mijn titel"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "gewijzigd nadat u de pagina opende" in html
    assert "Ergens anders" in html and "Mijn titel" in html
    b.refresh_from_db()
    assert b.titel == "Groen in de wijk" and b.versie == 2


@pytest.mark.django_db
def test_calendar_orders_coming_first_and_shows_outcome(client, werkgebied):
    maak(werkgebied, dagen=-30, titel="Oud", verslag="Besloten: meer groen.", aantal_aanwezigen=12)
    maak(werkgebied, dagen=20, titel="Later")
    maak(werkgebied, dagen=2, titel="Binnenkort")
    maak(werkgebied, dagen=5, titel="Verborgen", openbaar=False)
    html = client.get(f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/").content.decode()
    assert html.index("Binnenkort") < html.index("Later") < html.index("Oud")
    assert "Besloten: meer groen." in html and "12 aanwezigen" in html
    assert "Verborgen" not in html


@pytest.mark.django_db
def test_city_list_filters(client, werkgebied, ander_werkgebied):
    maak(werkgebied, titel="In Crooswijk", soort="werkgroep")
    maak(ander_werkgebied, titel="In Feijenoord")
    html = client.get(f"/bijeenkomsten/?werkgebied={ander_werkgebied.slug}").content.decode()
    assert "In Feijenoord" in html and "In Crooswijk" not in html
    html = client.get("/bijeenkomsten/?soort=werkgroep").content.decode()
    assert "In Crooswijk" in html and "In Feijenoord" not in html
    # Unknown filter values are ignored.
    html = client.get("/bijeenkomsten/?soort=x&werkgebied=" + "a" * 500).content.decode()
    assert "In Crooswijk" in html and "In Feijenoord" in html


@pytest.mark.django_db
@pytest.mark.parametrize("aantal", [3, 45])
def test_lists_use_a_fixed_number_of_queries(
    client, werkgebied, aantal, django_assert_max_num_queries
):
    Bijeenkomst.objects.bulk_create(
        [
            Bijeenkomst(
                werkgebied=werkgebied,
                soort="buurtgesprek",
                titel=f"Gesprek {n}",
                begin=NU() + datetime.timedelta(days=n - 20),
                einde=NU() + datetime.timedelta(days=n - 20, hours=1),
                plaats="Buurthuis",
                niveau="raadplegen",
            )
            for n in range(aantal)
        ]
    )
    for url in (
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten/",
        "/bijeenkomsten/",
        "/bijeenkomsten/?pagina=2",
        f"/werkgebieden/{werkgebied.slug}/bijeenkomsten.ics",
        "/bijeenkomsten.ics",
    ):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_cycle_panel_and_mijn_werk(client, werkgebied, wijkmanager, make_cycle):
    cyclus = make_cycle(werkgebied)
    maak(werkgebied, cyclus=cyclus, fase="analyse", titel="Wijkanalyse bespreken")
    maak(werkgebied, cyclus=cyclus, titel="Niet openbaar", openbaar=False)
    html = client.get(cyclus.get_absolute_url()).content.decode()
    assert "Wijkanalyse bespreken" in html and "Niet openbaar" not in html
    geweest = maak(werkgebied, dagen=-3, titel="Geweest zonder verslag")
    maak(werkgebied, dagen=-3, titel="Geweest met verslag", verslag="Klaar.")
    client.force_login(wijkmanager)
    html = client.get("/mijn-werk/").content.decode()
    assert "Geweest zonder verslag" in html and "Geweest met verslag" not in html
    assert f"/bijeenkomsten/{geweest.pk}/wijzigen/" in html


@pytest.mark.django_db
def test_demo_has_meetings_and_a_wijkschouw(rotterdam):
    from django.core.management import call_command

    from participation.models import Bevinding

    call_command("load_demo")
    call_command("load_demo")  # idempotent
    assert Bijeenkomst.objects.filter(begin__lt=NU()).exclude(verslag="").count() == 6
    assert Bijeenkomst.objects.filter(begin__gt=NU()).count() == 6
    schouw = Bijeenkomst.objects.get(soort="wijkschouw")
    assert schouw.bevindingen.count() == 3
    assert Bevinding.objects.filter(melding__isnull=False).count() == 1
    assert Bijeenkomst.objects.filter(cyclus__isnull=False).exists()


@pytest.mark.django_db
def test_wijkraadslid_mijn_werk_shows_wijkraad_meetings_only(client, werkgebied):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    maak(werkgebied, dagen=-3, titel="Vergadering zonder verslag", soort="wijkraadvergadering")
    maak(werkgebied, dagen=-3, titel="Gesprek zonder verslag")
    client.force_login(lid)
    html = client.get("/mijn-werk/").content.decode()
    assert "Vergadering zonder verslag" in html and "Gesprek zonder verslag" not in html


PERMS = {
    # permission: (object kind, roles that hold it)
    "participation.plan_bijeenkomsten": ("werkgebied", PLANNERS),
    "participation.change_bijeenkomst": ("thema", WIJZIGT_THEMA),
    "participation.add_bevinding": (
        "schouw",
        {"wijkmanager", "wijkmanager via gebied", "beheerder", "wijkraadslid", "accounthouder"},
    ),
    "participation.maak_meldingen_van_bevindingen": ("schouw", WIJZIGT_THEMA),
}


@pytest.mark.django_db
@pytest.mark.parametrize("perm", list(PERMS))
def test_permission_matrix(roles, werkgebied, perm):
    import rules
    from django.contrib.auth.models import AnonymousUser

    soort, wie = PERMS[perm]
    obj = {
        "werkgebied": werkgebied,
        "thema": maak(werkgebied),
        "schouw": maak(werkgebied, soort="wijkschouw"),
    }[soort]
    for role in ROLE_NAMES:
        user = roles[role][0] or AnonymousUser()
        assert rules.has_perm(perm, user, obj) == (role in wie), role
    # A wijkschouw's findings and meldingen belong to a wijkschouw only.
    if soort == "schouw":
        gesprek = maak(werkgebied)
        assert not rules.has_perm(perm, roles["wijkmanager"][0], gesprek)
