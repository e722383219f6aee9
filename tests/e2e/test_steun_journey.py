"""A resident supports an agenda point and an initiative of their werkgebied in the browser
(plain form posts), sees the count move against the participation plan's draagvlak
criterion, finds both under "Mijn wijk" and withdraws one there. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from cycle.models import Agendapunt, Initiatief
from participation.models import Steunbetuiging
from people.demo import DEMO_PASSWORD
from people.models import User

from .axe import submit, visit
from .conftest import login

pytestmark = pytest.mark.e2e


def test_resident_supports_sees_the_count_and_withdraws(page, demo):
    # The demo's resident of Kralingen, whose agenda and programme are public.
    bewoner = User.objects.get(email__startswith="bewoner.kralingen@")
    eigen = Steunbetuiging.objects.filter(user=bewoner, agendapunt__isnull=False).get()
    punt = (
        Agendapunt.objects.filter(wijkagenda=eigen.agendapunt.wijkagenda)
        .select_related("wijkagenda__cyclus__werkgebied")
        .order_by("rang")
        .first()
    )
    voor = Steunbetuiging.objects.filter(agendapunt=punt).count()
    cyclus = punt.wijkagenda.cyclus
    initiatief = (
        Initiatief.objects.filter(wijkprogramma__cyclus__werkgebied=cyclus.werkgebied)
        .exclude(steunbetuigingen__user=bewoner)
        .filter(wijkprogramma__status__in=["consultatie", "gepubliceerd"])
        .select_related("wijkprogramma__cyclus__werkgebied")
        .first()
    )
    agenda_url = f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkagenda/"

    # Anonymous: the counts, a sign-in link, no button.
    visit(page, agenda_url)
    rij = page.locator(f"#steun-agendapunt-{punt.pk}")
    expect(rij).to_contain_text(f"{voor} van de 25 steunbetuigingen")
    expect(page.get_by_role("link", name="Log in om te steunen")).to_be_visible()
    expect(page.get_by_role("button", name="Ik steun dit")).to_have_count(0)

    login(page, bewoner.email, DEMO_PASSWORD)
    visit(page, agenda_url)
    rij = page.locator(f"#steun-agendapunt-{punt.pk}")
    submit(page, rij.get_by_role("button", name="Ik steun dit"))
    expect(page.get_by_text("Dank u wel: uw steun is geteld.")).to_be_visible()
    rij = page.locator(f"#steun-agendapunt-{punt.pk}")
    expect(rij).to_contain_text(f"{voor + 1} van de 25 steunbetuigingen")
    expect(rij.get_by_role("button", name="Steun intrekken")).to_be_visible()

    # An initiative, from its own page.
    programma = initiatief.wijkprogramma.cyclus
    visit(
        page,
        f"/werkgebieden/{programma.werkgebied.slug}/{programma.jaar}/wijkprogramma/"
        f"initiatieven/{initiatief.pk}/",
    )
    submit(page, page.locator("#steun").get_by_role("button", name="Ik steun dit"))
    expect(page.get_by_text("Dank u wel: uw steun is geteld.")).to_be_visible()
    expect(page.locator("#steun").get_by_role("button", name="Steun intrekken")).to_be_visible()

    # "Mijn wijk" lists both (and the support the demo gave before); withdraw the point.
    visit(page, "/mijn-wijk/")
    sectie = page.locator("section", has=page.get_by_role("heading", name="Mijn steunbetuigingen"))
    expect(sectie).to_contain_text(punt.titel)
    expect(sectie).to_contain_text(initiatief.titel)
    submit(page, sectie.get_by_role("button", name=f"Steun intrekken {punt.titel}"))
    expect(page.get_by_text("Uw steun is ingetrokken.")).to_be_visible()
    assert not Steunbetuiging.objects.filter(user=bewoner, agendapunt=punt).exists()
    assert Steunbetuiging.objects.filter(user=bewoner, initiatief=initiatief).exists()

    visit(page, agenda_url)
    expect(page.locator(f"#steun-agendapunt-{punt.pk}")).to_contain_text(
        f"{voor} van de 25 steunbetuigingen"
    )
