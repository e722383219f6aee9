"""The participation plan: the edit guard (permission, editability, version, audit), bad
input, the condition on consultation, the public pages (plan page, cycle panel) and the
permission matrix of its pages."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services
from cycle.models import Fase, Productstatus
from cycle.services import StaleStateError, TransitionError
from participation import services_plan
from participation.models import Participatieplan, Planfase, Planstatus
from people.models import Rol
from tests.cycle.test_products import fill
from tests.people.factories import ClusterFactory, UserFactory, user_with_role
from tests.places.factories import WerkgebiedFactory

from .plan import kaders_invullen

KADERS = {
    "niveau": "raadplegen",
    "wel_invloed": "De volgorde van de problemen.",
    "geen_invloed": "Het budget van de clusters.",
}


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


# role name → how to make that user, given (werkgebied, ander_werkgebied).
ROLES = {
    "anoniem": lambda wg, ander: AnonymousUser(),
    "geen rol": lambda wg, ander: UserFactory(),
    "bewoner": lambda wg, ander: user_with_role(Rol.BEWONER, werkgebied=wg),
    "wijkmanager": lambda wg, ander: user_with_role(Rol.WIJKMANAGER, werkgebied=wg),
    "wijkmanager via gebied": lambda wg, ander: user_with_role(Rol.WIJKMANAGER, gebied=wg.gebied),
    "wijkmanager ander werkgebied": lambda wg, ander: user_with_role(
        Rol.WIJKMANAGER, werkgebied=ander
    ),
    "wijkmanager buurwerkgebied": lambda wg, ander: user_with_role(
        Rol.WIJKMANAGER, werkgebied=WerkgebiedFactory(gebied=wg.gebied)
    ),
    "wijkmanager verlopen": lambda wg, ander: user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=wg,
        geldig_vanaf=_yesterday() - datetime.timedelta(days=30),
        geldig_tot=_yesterday(),
    ),
    "wijkraadslid": lambda wg, ander: user_with_role(Rol.WIJKRAADSLID, werkgebied=wg),
    "wijkraadslid verlopen": lambda wg, ander: user_with_role(
        Rol.WIJKRAADSLID,
        werkgebied=wg,
        geldig_vanaf=_yesterday() - datetime.timedelta(days=30),
        geldig_tot=_yesterday(),
    ),
    "wijkraadslid ander werkgebied": lambda wg, ander: user_with_role(
        Rol.WIJKRAADSLID, werkgebied=ander
    ),
    "accounthouder": lambda wg, ander: _accounthouder(wg),
    "raad": lambda wg, ander: user_with_role(Rol.RAAD),
    "beheerder": lambda wg, ander: user_with_role(Rol.BEHEERDER),
}


def _accounthouder(wg):
    cluster = ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")
    return user_with_role(Rol.ACCOUNTHOUDER, cluster=cluster, gebied=wg.gebied)


RUNS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}


def _wijzig(cyclus, user, fase="analyse", versie=1, **extra):
    return services_plan.planfase_wijzigen(
        cyclus=cyclus, user=user, expected_versie=versie, fase=fase, **{**KADERS, **extra}
    )


# ------------------------------------------------------------------------------ services


@pytest.mark.django_db
def test_edit_makes_the_plan_bumps_the_version_and_audits(cyclus, wijkmanager):
    planfase = _wijzig(cyclus, wijkmanager, middelen=["wijkschouw", "checklist"])
    plan = Participatieplan.objects.get(cyclus=cyclus)
    assert plan.versie == 2 and plan.status == Planstatus.CONCEPT
    assert Planfase.objects.filter(plan=plan).count() == 5
    assert planfase.heeft_kaders and planfase.middelen == ["wijkschouw", "checklist"]
    entry = AuditEntry.objects.filter(action="participation.participatieplan_gewijzigd").get()
    assert entry.data["fase"] == "analyse" and entry.data["versie"] == 2
    assert entry.actor == wijkmanager and entry.actor_rol == "wijkmanager"
    # Nothing changed: no new version, no audit entry.
    _wijzig(cyclus, wijkmanager, versie=2, middelen=["wijkschouw", "checklist"])
    assert Participatieplan.objects.get(cyclus=cyclus).versie == 2


@pytest.mark.django_db
def test_a_stale_edit_changes_nothing(cyclus, wijkmanager):
    _wijzig(cyclus, wijkmanager)
    with pytest.raises(StaleStateError) as exc:
        _wijzig(cyclus, wijkmanager, versie=1, wel_invloed="Overschreven")
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in exc.value.message
    assert Planfase.objects.get(fase="analyse").wel_invloed == KADERS["wel_invloed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra, veld",
    [
        ({"niveau": "alles"}, "niveau"),
        ({"middelen": ["toverstaf"]}, "middelen"),
        ({"middelen": ["anders"]}, "middelen_anders"),
        ({"draagvlak_aantal": 10}, "draagvlak_soort"),
        ({"draagvlak_soort": "reacties"}, "draagvlak_aantal"),
        ({"draagvlak_aantal": 0, "draagvlak_soort": "reacties"}, "draagvlak_aantal"),
        ({"draagvlak_soort": "likes", "draagvlak_aantal": 3}, "draagvlak_soort"),
        ({"wel_invloed": "x" * 5001}, "wel_invloed"),
    ],
)
def test_bad_input_is_refused_per_field(cyclus, wijkmanager, extra, veld):
    with pytest.raises(ValidationError) as exc:
        _wijzig(cyclus, wijkmanager, **extra)
    assert veld in exc.value.message_dict
    assert not Planfase.objects.exclude(wel_invloed="").exists()


@pytest.mark.django_db
def test_unknown_phase_and_wrong_werkgebied(cyclus, ander_werkgebied):
    with pytest.raises(ValidationError):
        _wijzig(cyclus, user_with_role(Rol.WIJKMANAGER, werkgebied=cyclus.werkgebied), fase="x")
    with pytest.raises(PermissionDenied):
        _wijzig(cyclus, user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied))
    assert not Participatieplan.objects.exists()


@pytest.mark.django_db
def test_adopting_needs_every_phase_and_then_freezes_the_plan(cyclus, wijkmanager):
    _wijzig(cyclus, wijkmanager)
    with pytest.raises(TransitionError) as exc:
        services_plan.participatieplan_vaststellen(
            cyclus=cyclus, user=wijkmanager, expected_versie=2
        )
    assert "de kaders voor de fase Wijkagenda" in exc.value.message
    kaders_invullen(cyclus)
    plan = services_plan.participatieplan_vaststellen(
        cyclus=cyclus, user=wijkmanager, expected_versie=2
    )
    assert plan.status == Planstatus.VASTGESTELD and plan.vastgesteld_op
    with pytest.raises(TransitionError):
        _wijzig(cyclus, wijkmanager, versie=3, wel_invloed="Later")


# ---------------------------------------------------------------- the condition on consultation


@pytest.mark.django_db
def test_consultation_needs_the_kaders_of_the_phase(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    with pytest.raises(TransitionError) as exc:
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="ter_consultatie",
            expected_status=Productstatus.CONCEPT,
        )
    assert "Er is nog geen participatieplan voor deze cyclus" in exc.value.message
    # A plan whose analysis kaders are half filled still blocks, naming the phase.
    _wijzig(cyclus, wijkmanager, geen_invloed="")
    assert product.ontbreekt_voor_consultatie()[-1] == (
        "De kaders voor de fase Wijkanalyse zijn nog niet ingevuld in het participatieplan."
    )
    _wijzig(cyclus, wijkmanager, versie=2)
    product = services.product_transition(
        product=product,
        user=wijkmanager,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    assert product.status == Productstatus.CONSULTATIE


@pytest.mark.django_db
def test_the_condition_does_not_touch_adoption(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    product = services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    assert product.status == Productstatus.VASTGESTELD


# ------------------------------------------------------------------------------ pages


@pytest.mark.django_db
def test_plan_is_public_on_its_page_and_the_cycle_page(client, cyclus, wijkmanager):
    url = f"/werkgebieden/{cyclus.werkgebied.slug}/2027/participatie/plan/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Er is nog geen participatieplan voor deze cyclus." in response.content.decode()
    _wijzig(
        cyclus,
        wijkmanager,
        fase="agenda",
        middelen=["bijeenkomsten", "anders"],
        middelen_anders="Buurtgesprek",
        draagvlak_aantal=25,
        draagvlak_soort="steunbetuigingen",
    )
    html = client.get(url).content.decode()
    assert "De volgorde van de problemen." in html and "Het budget van de clusters." in html
    assert "Buurtgesprek" in html and "bij minimaal 25 steunbetuigingen" in html
    assert "bewerken" not in html  # anonymous: no edit links
    cyclus_html = client.get(f"/werkgebieden/{cyclus.werkgebied.slug}/2027/").content.decode()
    assert 'id="participatieplan-kop"' in cyclus_html
    assert "De volgorde van de problemen." in cyclus_html
    assert "raadplegen (meedenken)" in cyclus_html


@pytest.mark.django_db
def test_edit_form_keeps_input_with_dutch_errors_and_stale_message(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{cyclus.werkgebied.slug}/2027/participatie/plan/agenda/"
    assert client.get(url).status_code == 200
    data = {
        "versie": "1",
        "niveau": "raadplegen",
        "wel_invloed": "Mijn tekst",
        "geen_invloed": "",
        "middelen": ["anders"],
        "draagvlak_aantal": "abc",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zeg welk ander middel u inzet." in html
    assert "Vul een geheel getal in." in html
    assert "Mijn tekst" in html
    assert not Participatieplan.objects.exists()
    # A good post, then the same page's version again: the stale-page message, input kept.
    data.update(middelen=["wijkschouw"], draagvlak_aantal="", geen_invloed="Budget")
    assert client.post(url, data).status_code == 302
    data["wel_invloed"] = "Tweede tab"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in response.content.decode()
    assert "Tweede tab" in response.content.decode()
    assert Planfase.objects.get(fase="agenda").wel_invloed == "Mijn tekst"
    assert client.post(url.replace("agenda", "onzin"), data).status_code == 404
    # Hidden version missing: a Dutch message above the form, no 500.
    response = client.post(url, {"wel_invloed": "x"})
    assert response.status_code == 200
    assert "Het formulier is onvolledig verstuurd" in response.content.decode()


@pytest.mark.django_db
def test_adopt_through_the_page(client, cyclus, wijkmanager):
    client.force_login(wijkmanager)
    plan = kaders_invullen(cyclus)
    url = f"/werkgebieden/{cyclus.werkgebied.slug}/2027/participatie/plan/"
    assert "Participatieplan vaststellen" in client.get(url).content.decode()
    response = client.post(f"{url}vaststellen/", {"versie": str(plan.versie)}, follow=True)
    assert "Het participatieplan is vastgesteld." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Planstatus.VASTGESTELD
    # Editing after adoption: a message, not a form.
    response = client.get(f"{url}analyse/", follow=True)
    assert "kan niet meer worden gewijzigd" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rol", list(ROLES))
def test_permission_matrix_of_the_plan_pages(client, cyclus, ander_werkgebied, rol):
    user = ROLES[rol](cyclus.werkgebied, ander_werkgebied)
    if user.is_authenticated:
        client.force_login(user)
    base = f"/werkgebieden/{cyclus.werkgebied.slug}/2027/participatie/plan/"
    assert client.get(base).status_code == 200  # public
    data = {"versie": "1", **KADERS}
    for method, url, body in [
        ("get", f"{base}analyse/", None),
        ("post", f"{base}analyse/", data),
        ("post", f"{base}vaststellen/", {"versie": "1"}),
    ]:
        response = getattr(client, method)(url, body) if body else client.get(url)
        if rol == "anoniem":
            assert response.status_code == 302 and "next=" in response["Location"], (method, url)
        elif rol in RUNS:
            assert response.status_code in (200, 302), (method, url, response.status_code)
        else:
            assert response.status_code == 403, (rol, method, url, response.status_code)
    if rol not in RUNS:
        assert not Planfase.objects.exclude(wel_invloed="").exists()
    else:
        assert Planfase.objects.get(fase="analyse").heeft_kaders


@pytest.mark.django_db
def test_plan_page_queries_are_fixed(client, cyclus, wijkmanager, django_assert_max_num_queries):
    kaders_invullen(cyclus)
    url = f"/werkgebieden/{cyclus.werkgebied.slug}/2027/participatie/plan/"
    client.force_login(wijkmanager)
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
