"""The Rotterdam reference data: complete, idempotent, and a newer file of the same shape."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from places.models import Gebied, Werkgebied, Wijk, WijkprofielScore, Wijkraad
from places.services import DATA_DIR, reference_data_import


@pytest.mark.django_db
def test_import_loads_all_of_rotterdam(rotterdam):
    assert Gebied.objects.count() == 14
    assert Werkgebied.objects.count() == 39
    assert Wijkraad.objects.filter(soort="dorpsraad").count() == 2
    assert Wijk.objects.count() == 71
    assert WijkprofielScore.objects.count() == 497
    crooswijk = Werkgebied.objects.get(slug="crooswijk")
    assert crooswijk.wijkraad.naam == "Wijkraad Crooswijk"
    assert crooswijk.gebied.naam == "Kralingen-Crooswijk"
    assert sorted(crooswijk.wijken.values_list("naam", flat=True)) == [
        "Nieuw Crooswijk",
        "Oud Crooswijk",
        "Rubroek",
    ]
    bospolder = Werkgebied.objects.get(slug="bospolder-spangen-tussendijken")
    assert set(bospolder.wijken.values_list("slug", flat=True)) == {
        "bospolder",
        "spangen",
        "tussendijken",
    }
    assert Wijk.objects.get(slug="cs-kwartier").werkgebied is None
    assert Wijk.objects.filter(werkgebied__isnull=True).count() == 1
    rubroek = Wijk.objects.get(slug="rubroek")
    assert rubroek.cbs_buurtcodes and rubroek.cbs_buurtcodes[0].startswith("BU0599")
    assert rubroek.inwoners_jaar == 2025
    assert WijkprofielScore.objects.filter(wijk=rubroek).count() == 7


@pytest.mark.django_db
def test_import_is_idempotent_and_updates(tmp_path, rotterdam):
    for name in ["gebieden.csv", "wijkraden.csv", "wijken.csv", "wijkprofiel.csv"]:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    profiel = tmp_path / "wijkprofiel.csv"
    profiel.write_text(
        profiel.read_text(encoding="utf-8") + "rubroek,2028,101,102,103\n", encoding="utf-8"
    )
    call_command("import_rotterdam", dir=tmp_path)
    assert Wijk.objects.count() == 71
    assert WijkprofielScore.objects.count() == 498
    nieuw = WijkprofielScore.objects.get(wijk__slug="rubroek", jaar=2028)
    assert (nieuw.fysieke_index, nieuw.veiligheidsindex, nieuw.sociale_index) == (101, 102, 103)


@pytest.mark.django_db
def test_import_rejects_wrong_shape(tmp_path):
    for name in ["gebieden.csv", "wijkraden.csv", "wijken.csv"]:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "wijkprofiel.csv").write_text("wijk,jaar\nrubroek,2028\n", encoding="utf-8")
    with pytest.raises(CommandError, match="ontbrekende kolommen"):
        call_command("import_rotterdam", dir=tmp_path)
    assert not Gebied.objects.exists()  # all or nothing


@pytest.mark.django_db
def test_import_rejects_unknown_wijk(tmp_path):
    for name in ["gebieden.csv", "wijkraden.csv", "wijken.csv"]:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "wijkprofiel.csv").write_text(
        "wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index\natlantis,2028,1,2,3\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="onbekende wijk 'atlantis'"):
        call_command("import_rotterdam", dir=tmp_path)


@pytest.mark.django_db
def test_wijk_list_groups_by_gebied(client, rotterdam):
    response = client.get("/wijken/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h2") == 14
    assert "Wijkraad Crooswijk" in html
    assert "geen wijkraad" in html  # CS-kwartier
    assert len(response.context["page_obj"].object_list) == 71


@pytest.mark.django_db
def test_werkgebied_key_figures_roll_up(client, rotterdam):
    response = client.get("/werkgebieden/crooswijk/")
    cijfers = response.context["kerncijfers"]
    wijken = list(Wijk.objects.filter(werkgebied__slug="crooswijk").prefetch_related("wijkprofiel"))
    assert cijfers.jaar == 2026
    assert cijfers.inwoners == sum(w.inwoners for w in wijken)
    scores = {s.wijk_id: s for s in WijkprofielScore.objects.filter(jaar=2026, wijk__in=wijken)}
    weighted = sum(scores[w.pk].sociale_index * w.inwoners for w in wijken) / cijfers.inwoners
    assert cijfers.sociale_index == round(weighted)
    assert "Werkgebied" in response.content.decode()


@pytest.mark.django_db
def test_shared_buurt_counted_once(client, rotterdam):
    """Groot-IJsselmonde Noord and Zuid are one CBS buurt with one inhabitant count."""
    response = client.get("/werkgebieden/groot-ijsselmonde-en-oud-ijsselmonde/")
    cijfers = response.context["kerncijfers"]
    wijken = Wijk.objects.filter(werkgebied__slug="groot-ijsselmonde-en-oud-ijsselmonde")
    noord = wijken.get(slug__contains="noord")
    zuid = wijken.get(slug__contains="zuid")
    assert noord.inwoners == zuid.inwoners
    assert cijfers.inwoners == sum(w.inwoners for w in wijken) - zuid.inwoners
    assert cijfers.gedeelde_inwoners
    assert "delen één inwonertal" in response.content.decode()


@pytest.mark.django_db
def test_official_spelling_of_s_gravenland_replaces_the_old_one(tmp_path):
    """The source wrote `s-Gravenland` and `’s Gravenland`; the official name is ’s-Gravenland.
    Re-importing corrects rows loaded with the old spelling in place (same rows, same slugs)."""
    for name in ["gebieden.csv", "wijkraden.csv", "wijken.csv", "wijkprofiel.csv"]:
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        old = text.replace(",’s-Gravenland,", ",s-Gravenland,").replace(
            "en ’s-Gravenland", "en ’s Gravenland"
        )
        (tmp_path / name).write_text(old, encoding="utf-8")
    call_command("import_rotterdam", dir=tmp_path)
    wijk = Wijk.objects.get(slug="s-gravenland")
    assert wijk.naam == "s-Gravenland"
    werkgebied = wijk.werkgebied
    assert werkgebied.wijkraad.naam == "Wijkraad Het Lage Land, Prinsenland en ’s Gravenland"

    reference_data_import()

    wijk = Wijk.objects.select_related("werkgebied__wijkraad").get(pk=wijk.pk)
    assert wijk.naam == "’s-Gravenland"  # U+2019, as the gemeente writes it
    assert wijk.slug == "s-gravenland"
    assert wijk.werkgebied.pk == werkgebied.pk
    assert wijk.werkgebied.slug == "het-lage-land-prinsenland-en-s-gravenland"
    assert wijk.werkgebied.naam == "Het Lage Land, Prinsenland en ’s-Gravenland"
    assert wijk.werkgebied.wijkraad.naam == "Wijkraad Het Lage Land, Prinsenland en ’s-Gravenland"
    assert wijk.werkgebied.wijkraad.slug == "wijkraad-het-lage-land-prinsenland-en-s-gravenland"
    assert (Wijk.objects.count(), Werkgebied.objects.count(), Wijkraad.objects.count()) == (
        71,
        39,
        39,
    )
    # No name anywhere keeps a straight quote or the apostrophe without its hyphen.
    names = [
        *Wijk.objects.values_list("naam", flat=True),
        *Werkgebied.objects.values_list("naam", flat=True),
        *Wijkraad.objects.values_list("naam", flat=True),
    ]
    assert not [n for n in names if "'" in n or "’s " in n or n.startswith("s-")]
