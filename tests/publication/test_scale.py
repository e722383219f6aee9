"""The publications of the generated city (publication/scale.py): version 1 of every published
product, and the corrections of a few, as the portal itself would have made them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cycle import scale
from cycle.models import PRODUCT_MODELLEN, WERKFASEN, Productstatus
from notices.models import Notice
from people.models import Rol, Roltoewijzing
from publication import scale as publication_scale
from publication.models import Pdfstatus, Publicatie
from publication.pdf import pdf_sha256
from tests.scale import versie_log

CITY = {"seed": 11, "until_year": 2027, "today": datetime.date(2026, 11, 2)}
SMALL = {"years": 3, "factor": 1, "werkgebieden": 2}
# Four times the werkgebieden, a year more, twice the accounts and edits: more versions than
# the archive shows on a page.
LARGE = {"years": 4, "factor": 2, "werkgebieden": 8}
OVERGANG_VELDEN = {"product", "overgang", "van", "naar", "reden"}


def steps():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")
    return scale.Registry(
        s
        for s in scale.registry.ordered()
        if s.name.split(".")[0] in ("people", "cycle")
        # The consultations before the publications: a snapshot carries its nota.
        or s.name in ("participation.consultaties", "publication.publicaties")
    )


@pytest.fixture
def stad(rotterdam):
    return scale.generate(steps=steps(), **SMALL, **CITY)


def local(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def products(*statussen):
    """Every product with one of ``statussen``, by (content type id, pk)."""
    found = {}
    for model in PRODUCT_MODELLEN:
        content_type = ContentType.objects.get_for_model(model)
        for product in model.objects.filter(status__in=statussen).select_related(
            "cyclus__werkgebied"
        ):
            found[(content_type.pk, product.pk)] = product
    return found


def versies_per_product() -> dict[tuple[int, int], list[Publicatie]]:
    result = {}
    for versie in Publicatie.objects.order_by("versie"):
        result.setdefault((versie.product_type_id, versie.product_id), []).append(versie)
    return result


def transitions(product) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.for_objects(product)
        .filter(action="cycle.product_transition")
        .select_related("actor")
        .order_by("timestamp", "pk")
    )


def corrections() -> list[tuple]:
    """What the city's corrections are, to compare two cities: each version after the first
    and each product in correction, with its reason and dates."""
    gecorrigeerd = [
        (v.soort, v.werkgebied.slug, v.jaar, v.versie, v.correctie_reden, v.gepubliceerd_op)
        for v in Publicatie.objects.filter(versie__gt=1).select_related("werkgebied")
    ]
    open_ = [
        (p.SOORT, p.cyclus.werkgebied.slug, p.cyclus.jaar, p.correctie_reden, p.gewijzigd_op)
        for p in products(Productstatus.CORRECTIE).values()
    ]
    return sorted(gecorrigeerd) + sorted(open_)


# -------------------------------------------------------------------------- version 1


@pytest.mark.django_db
def test_every_published_product_of_the_city_has_version_one(stad, client):
    # Published at least once: published now, or reopened for a correction since.
    ooit = products(Productstatus.GEPUBLICEERD, Productstatus.CORRECTIE)
    assert len(ooit) >= 4
    versies = Publicatie.objects.all()
    eerste = versies.filter(versie=1)
    assert {(v.product_type_id, v.product_id) for v in eerste} == set(ooit)
    assert {(v.soort, v.titel) for v in eerste} == {(p.SOORT, p.titel) for p in ooit.values()}
    assert set(versies.values_list("versie", flat=True)) == {1, 2}
    assert {v.pdf_status for v in versies} == {Pdfstatus.KLAAR}
    versie = eerste.select_related("werkgebied").first()
    # A real frozen document, and one real PDF behind every version.
    assert versie.html.lower().startswith("<!doctype html>")
    assert versie.titel in versie.html
    data = default_storage.open(versie.pdf.name).read()
    assert data.startswith(b"%PDF-") and pdf_sha256(data) == versie.pdf_sha256
    assert client.get(versie.get_pdf_url()).status_code == 200
    archief = client.get(reverse("publicatie-archief"))
    assert archief.context["versies"].paginator.count == versies.count()
    assert stad.counts["publication.Publicatie"] == versies.count()


@pytest.mark.django_db
def test_a_pdf_lost_from_storage_is_not_found_not_an_error(stad, client):
    versie = Publicatie.objects.select_related("werkgebied").first()
    default_storage.delete(versie.pdf.name)
    assert client.get(versie.get_pdf_url()).status_code == 404


@pytest.mark.django_db
def test_the_render_benchmark_measures_the_largest_wijkverslag(stad):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("publicatie_meten", stdout=out)
    text = out.getvalue()
    assert "PDF:" in text and "processortijd" in text and "kB" in text
    assert "doel: onder 3 s" in text


@pytest.mark.django_db
def test_the_render_benchmark_says_when_there_is_nothing_to_measure():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="load_scale"):
        call_command("publicatie_meten")


# ------------------------------------------------------------------------ corrections


@pytest.mark.django_db
def test_every_later_version_is_a_correction_with_its_reason_in_its_snapshot(stad, client):
    later = list(Publicatie.objects.filter(versie__gt=1).select_related("werkgebied"))
    assert later
    assert not Publicatie.objects.filter(versie=1).exclude(correctie_reden="").exists()
    redenen = {reden for lijst in publication_scale.REDENEN.values() for reden in lijst}
    per_product = versies_per_product()
    for v2 in later:
        assert v2.versie == 2 and v2.correctie_reden in redenen
        assert v2.correctie_reden in publication_scale.REDENEN[v2.soort]
        assert v2.correctie_reden in v2.html and "versie 2" in v2.html
        assert "Deze versie vervangt versie 1" in v2.html
        # Who published it: a name, never an address; the example PDF, like version 1.
        assert v2.gepubliceerd_door_naam and "@" not in v2.gepubliceerd_door_naam
        v1 = per_product[(v2.product_type_id, v2.product_id)][0]
        assert v2.correctie_reden not in v1.html and "versie 1" in v1.html
        assert (v2.pdf, v2.pdf_sha256, v2.pdf_grootte) == (v1.pdf, v1.pdf_sha256, v1.pdf_grootte)
        assert v2.titel == v1.titel
        # Some days to weeks later, before today.
        assert local(v1.gepubliceerd_op) + datetime.timedelta(days=3) <= local(v2.gepubliceerd_op)
        assert local(v2.gepubliceerd_op) < CITY["today"]
    # Version 1 of a corrected product says on its page what replaced it, and why.
    v2 = later[0]
    v1 = per_product[(v2.product_type_id, v2.product_id)][0]
    page = client.get(v1.get_absolute_url())
    assert page.status_code == 200
    assert v2.correctie_reden in page.content.decode()
    assert page.context["publicatie"].opvolger_versie == 2


@pytest.mark.django_db
def test_products_in_correction_have_only_version_one_and_a_reason(stad):
    in_correctie = products(Productstatus.CORRECTIE)
    assert in_correctie
    per_product = versies_per_product()
    for key, product in in_correctie.items():
        assert [v.versie for v in per_product[key]] == [1]
        assert product.correctie_reden
        assert product.correctie_reden in publication_scale.REDENEN[product.SOORT]
        assert product.gepubliceerd_op == per_product[key][0].gepubliceerd_op
        stappen = transitions(product)
        assert [(e.data["van"], e.data["naar"]) for e in stappen[-2:]] == [
            ("vastgesteld", "gepubliceerd"),
            ("gepubliceerd", "correctie"),
        ]
        assert stappen[-1].data["reden"] == product.correctie_reden
        assert stappen[-1].timestamp == product.gewijzigd_op
        assert product.gepubliceerd_op < stappen[-1].timestamp
        assert local(stappen[-1].timestamp) < CITY["today"]
    # The benchmark's busy cycle carries out a published programme.
    assert not any(
        (p.cyclus.werkgebied.slug, p.cyclus.jaar) == (stad.werkgebied, stad.jaar)
        for p in in_correctie.values()
    )


@pytest.mark.django_db
def test_a_product_was_last_published_when_its_latest_version_was(stad):
    per_product = versies_per_product()
    ooit = products(Productstatus.GEPUBLICEERD, Productstatus.CORRECTIE)
    assert set(per_product) == set(ooit)
    for key, product in ooit.items():
        nieuwste = per_product[key][-1]
        assert product.gepubliceerd_op == nieuwste.gepubliceerd_op
        # Corrected: adopted again before the new version was published, with its reason.
        if nieuwste.versie > 1:
            assert product.status == Productstatus.GEPUBLICEERD
            assert product.correctie_reden == nieuwste.correctie_reden
            assert per_product[key][0].gepubliceerd_op < product.vastgesteld_op
            assert product.vastgesteld_op < product.gepubliceerd_op
            assert product.gewijzigd_op == product.gepubliceerd_op


@pytest.mark.django_db
def test_the_history_of_a_corrected_product_holds_its_correction_as_the_services_write_it(stad):
    gecorrigeerd = Publicatie.objects.filter(versie=2)
    assert gecorrigeerd.exists()
    for v2 in gecorrigeerd.select_related("werkgebied"):
        product = v2.product
        stappen = transitions(product)
        # The first publication, then the correction: reopened, adopted, published.
        assert [e.data["overgang"] for e in stappen[-4:]] == [
            "publiceren",
            "heropenen",
            "vaststellen",
            "publiceren",
        ]
        publiceren, heropenen, vaststellen, opnieuw = stappen[-4:]
        assert (heropenen.data["van"], heropenen.data["naar"]) == ("gepubliceerd", "correctie")
        assert (vaststellen.data["van"], vaststellen.data["naar"]) == ("correctie", "vastgesteld")
        assert (opnieuw.data["van"], opnieuw.data["naar"]) == ("vastgesteld", "gepubliceerd")
        assert heropenen.data["reden"] == v2.correctie_reden == product.correctie_reden
        assert vaststellen.data["reden"] == opnieuw.data["reden"] == ""
        for entry in (heropenen, vaststellen, opnieuw):
            assert entry.data["product"] == product.SOORT
            assert set(entry.data) - {"besluit"} == OVERGANG_VELDEN
            # A wijkmanager of the werkgebied, who held the role that day.
            assert entry.actor_rol == Rol.WIJKMANAGER
            assert entry.actor_label == entry.actor.naam == entry.actor_naam
            assert Roltoewijzing.objects.filter(
                user=entry.actor, rol=Rol.WIJKMANAGER, werkgebied=v2.werkgebied
            ).exists()
        # On three days after the first publication, in order, before today.
        dagen = [local(e.timestamp) for e in (publiceren, heropenen, vaststellen, opnieuw)]
        assert dagen == sorted(set(dagen)) and dagen[-1] < CITY["today"]
        assert opnieuw.timestamp == v2.gepubliceerd_op == product.gepubliceerd_op
        assert vaststellen.timestamp == product.vastgesteld_op
        assert v2.gepubliceerd_door_id == opnieuw.actor_id
        assert v2.gepubliceerd_door_naam == opnieuw.actor.naam
        # Where the college adopts, the adoption records its decision.
        if "besluit" in vaststellen.data:
            assert product.besluitreferentie == vaststellen.data["besluit"]
            assert vaststellen.data["besluit"] in v2.html
        # No phase of the cycle ended while the product was not adopted.
        cyclus = product.cyclus
        for fase in WERKFASEN:
            afgerond = cyclus.werkelijk(fase)[1]
            assert afgerond is None or not dagen[1] <= afgerond <= dagen[3], fase
        # The council and the werkgebied hear of the correction, with its reason and link.
        notices = Notice.objects.filter(audit_entry_id=opnieuw.pk)
        assert notices.exists()
        assert {n.kind for n in notices} == {"cycle.published"}
        notice = notices.first()
        assert notice.subject == f"Gecorrigeerd gepubliceerd: {product.titel}"
        assert v2.correctie_reden in notice.body and v2.get_absolute_url() in notice.body
        assert not notices.filter(user=opnieuw.actor).exists()
    assert stad.counts["audit.AuditEntry"] == AuditEntry.objects.count()
    assert stad.counts["notices.Notice"] == Notice.objects.count()


@pytest.mark.django_db
def test_a_corrected_products_version_counts_its_edits_and_steps(stad):
    """As the services keep it: every edit and every step raises the product's version."""
    ooit = products(Productstatus.GEPUBLICEERD, Productstatus.CORRECTIE)
    gecorrigeerd = [p for p in ooit.values() if p.correctie_reden]
    assert gecorrigeerd
    for product in gecorrigeerd:
        # Its texts' and its content's edits (themes, agendapunten…) and its steps.
        assert product.versie == 1 + len(versie_log(product)), product


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_corrections(stad):
    first = corrections()
    assert len(first) >= 2
    scale.generate(steps=steps(), **SMALL, **CITY, replace=True)
    assert corrections() == first
    # Whatever the factor (which multiplies the wijkmanagers who may act).
    scale.generate(steps=steps(), **{**SMALL, "factor": 2}, **CITY, replace=True)
    assert corrections() == first
    scale.generate(steps=steps(), **SMALL, **{**CITY, "seed": CITY["seed"] + 1}, replace=True)
    assert corrections() != first


# ----------------------------------------------------------------------- query counts


def _count(url) -> int:
    client = Client()
    client.get(url)  # warm per-process caches (content types), as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _vervangen() -> Publicatie:
    """A version 1 that a version 2 replaced."""
    opvolger = Publicatie.objects.filter(
        product_type=OuterRef("product_type"), product_id=OuterRef("product_id"), versie=2
    )
    return (
        Publicatie.objects.filter(versie=1)
        .filter(Exists(opvolger))
        .select_related("werkgebied")
        .order_by("-gepubliceerd_op", "-pk")
        .first()
    )


def _pages() -> dict[str, str]:
    vervangen = _vervangen()
    return {
        "archief": reverse("publicatie-archief"),
        "vervangen versie": vervangen.get_absolute_url(),
        "vervangen versie (tekst)": vervangen.get_html_url(),
        "atom": reverse("publicatie-feed"),
        "atom werkgebied": reverse(
            "publicatie-feed-werkgebied", kwargs={"slug": vervangen.werkgebied.slug}
        ),
    }


@pytest.mark.django_db
def test_archive_and_replaced_version_cost_the_same_queries_in_a_larger_city(rotterdam, settings):
    settings.PAGE_CACHE_SECONDS = 0  # measure the page, not the cache of anonymous pages
    small = scale.generate(steps=steps(), **SMALL, **CITY)
    small_counts = {name: _count(url) for name, url in _pages().items()}
    small_versies = Publicatie.objects.count()

    large = scale.generate(steps=steps(), **LARGE, **CITY, replace=True)
    pages = _pages()
    large_counts = {name: _count(url) for name, url in pages.items()}

    # The larger city has more versions than the archive shows on a page.
    assert Publicatie.objects.count() > max(2 * small_versies, 25)
    assert large.counts["audit.AuditEntry"] > 2 * small.counts["audit.AuditEntry"]
    assert large_counts == small_counts
