"""The wijk-MT's overview: for those involved in the werkgebied only, every initiative being
carried out with what is overdue and its open knelpunten, filterable by cluster, in a fixed
number of queries."""

import datetime

import pytest

from cycle.models import Fase, Initiatief, Knelpunt, Uitvoeringsstatus
from people.models import Cluster, Rol
from tests.people.factories import user_with_role


@pytest.fixture
def uitvoering(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2026, fase=Fase.UITVOERING)


def url(werkgebied):
    return f"/werkgebieden/{werkgebied.slug}/wijk-mt/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("anoniem", 302),
        ("bewoner (geen rol)", 403),
        ("bewoner", 403),
        ("wijkmanager", 200),
        ("wijkmanager via gebied", 200),
        ("wijkmanager ander werkgebied", 403),
        ("accounthouder", 200),
        ("accounthouder ander gebied", 403),
        ("wijkraadslid", 200),
        ("wijkraadslid ander werkgebied", 403),
        ("raad", 403),
        ("beheerder", 200),
    ],
)
def test_who_sees_the_overview(client, roles, werkgebied, uitvoering, rol, verwacht):
    user, _ = roles[rol]
    if user is not None:
        client.force_login(user)
    response = client.get(url(werkgebied))
    assert response.status_code == verwacht
    if verwacht == 200:
        page = response.content.decode()
        for initiatief in Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering):
            assert initiatief.titel in page


@pytest.mark.django_db
def test_overdue_and_knelpunten_at_a_glance(client, werkgebied, uitvoering, wijkmanager):
    # All due next month, except one that should have been done in 2020.
    Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering).update(
        eind=datetime.date.today() + datetime.timedelta(days=30)
    )
    rijen = list(Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering).order_by("pk"))
    lopend = next(i for i in rijen if i.status != Uitvoeringsstatus.GEREALISEERD)
    Initiatief.objects.filter(pk=lopend.pk).update(
        start=datetime.date(2019, 1, 1), eind=datetime.date(2020, 1, 1)
    )
    Knelpunt.objects.create(
        initiatief=lopend, beschrijving="De vergunning blijft liggen.", gemeld_door=wijkmanager
    )
    client.force_login(wijkmanager)
    page = client.get(url(werkgebied)).content.decode()
    assert page.count(">te laat<") == 1
    assert "1 open" in page
    assert "De vergunning blijft liggen." in page


@pytest.mark.django_db
def test_filter_by_cluster(client, werkgebied, uitvoering, wijkmanager):
    stadsbeheer = Cluster.objects.get_or_create(
        slug="stadsbeheer", defaults={"naam": "Stadsbeheer"}
    )[0]
    eerste = Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering).order_by("pk").first()
    Initiatief.objects.filter(pk=eerste.pk).update(
        cluster=stadsbeheer, partner=None, bewonersgroep=""
    )
    accounthouder = user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=werkgebied.gebied)
    client.force_login(wijkmanager)
    response = client.get(url(werkgebied), {"cluster": "stadsbeheer"})
    assert [i.pk for i in response.context["pagina"].object_list] == [eerste.pk]
    # Its accounthouder sits in the wijk-MT now that Stadsbeheer is active here.
    assert accounthouder in [r.user for r in response.context["leden"]["accounthouders"]]
    # An unknown cluster shows everything (no error).
    response = client.get(url(werkgebied), {"cluster": "<script>"})
    assert response.status_code == 200
    assert response.context["gekozen"] is None


@pytest.mark.django_db
def test_a_fixed_number_of_queries(
    client, werkgebied, uitvoering, wijkmanager, django_assert_max_num_queries
):
    sjabloon = Initiatief.objects.filter(wijkprogramma__cyclus=uitvoering).first()
    for n in range(30):
        kopie = Initiatief.objects.get(pk=sjabloon.pk)
        kopie.pk = None
        kopie.titel = f"Extra {n}"
        kopie.save()
        Knelpunt.objects.create(initiatief=kopie, beschrijving=f"Knelpunt {n}")
    client.force_login(wijkmanager)
    with django_assert_max_num_queries(14):
        response = client.get(url(werkgebied))
    assert response.status_code == 200
    assert response.context["pagina"].paginator.count == 33
