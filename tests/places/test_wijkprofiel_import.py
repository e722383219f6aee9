"""A beheerder uploads a newer Wijkprofiel CSV: all or nothing, every bad line reported with its
number and reason, audited, the public pages showing the new figures; only for beheerders."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from pagecache.services import current
from people.models import Rol
from places import services
from places.models import WijkprofielScore
from places.services import DATA_DIR, wijkprofiel_import
from tests.conftest import ROLE_NAMES
from tests.people.factories import UserFactory
from tests.places.factories import WijkFactory, WijkprofielScoreFactory

URL = "/wijkprofiel/inlezen/"
KOP = "wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index\n"


def upload(content: bytes | str, name: str = "wijkprofiel-2028.csv") -> SimpleUploadedFile:
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def wijken(db):
    """Two wijken; Spangen measured in 2024."""
    spangen = WijkFactory(slug="spangen", naam="Spangen")
    tussendijken = WijkFactory(slug="tussendijken", naam="Tussendijken")
    WijkprofielScoreFactory(
        wijk=spangen, jaar=2024, fysieke_index=80, veiligheidsindex=90, sociale_index=70
    )
    WijkprofielScoreFactory(
        wijk=tussendijken, jaar=2024, fysieke_index=100, veiligheidsindex=100, sociale_index=100
    )
    return {"spangen": spangen, "tussendijken": tussendijken}


def snapshot():
    return sorted(
        WijkprofielScore.objects.values_list(
            "wijk__slug", "jaar", "fysieke_index", "veiligheidsindex", "sociale_index"
        )
    )


def messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# --- A good file ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_adds_new_years_updates_changed_ones_and_is_audited(wijken, beheerder):
    version = current()
    content = (
        "\ufeff"  # a BOM, as spreadsheets write it
        + KOP
        + "spangen,2024,81,90,70\r\n"  # changed
        + "tussendijken,2024,100,100,100\r\n"  # unchanged
        + "spangen,2026,85,92,75\r\n"  # new
        + "tussendijken,2026,101,99,98\r\n"  # new
        + ",,,,\r\n\r\n"  # the empty rows a spreadsheet appends
    )
    result = wijkprofiel_import(user=beheerder, file=upload(content))

    assert (result.nieuw, result.gewijzigd, result.ongewijzigd) == (2, 1, 1)
    assert result.regels == 4
    assert result.jaren == [2024, 2026]
    assert snapshot() == [
        ("spangen", 2024, 81, 90, 70),
        ("spangen", 2026, 85, 92, 75),
        ("tussendijken", 2024, 100, 100, 100),
        ("tussendijken", 2026, 101, 99, 98),
    ]
    entry = AuditEntry.objects.get(action="places.wijkprofiel_import")
    assert entry.actor == beheerder
    assert entry.actor_rol == Rol.BEHEERDER.value
    assert entry.data == {
        "bestand": "wijkprofiel-2028.csv",
        "regels": 4,
        "nieuw": 2,
        "gewijzigd": 1,
        "ongewijzigd": 1,
        "jaren": [2024, 2026],
    }
    assert current() > version  # cached public pages are no longer served


@pytest.mark.django_db
def test_the_shipped_file_imports_as_all_unchanged(rotterdam, beheerder):
    before = snapshot()
    content = (DATA_DIR / "wijkprofiel.csv").read_bytes()
    result = wijkprofiel_import(user=beheerder, file=upload(content, "wijkprofiel.csv"))
    assert (result.nieuw, result.gewijzigd, result.ongewijzigd) == (0, 0, 497)
    assert snapshot() == before


@pytest.mark.django_db
def test_extra_columns_are_ignored_and_the_file_name_is_cleaned(wijken, beheerder):
    content = "opmerking,wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index\n"
    content += "nieuw,tussendijken,2026,1,2,3\n"
    result = wijkprofiel_import(
        user=beheerder, file=upload(content, "C:\\Users\\bea\\wijkprofiel\x07.csv")
    )
    assert result.nieuw == 1
    assert result.bestand == "wijkprofiel.csv"
    assert ("tussendijken", 2026, 1, 2, 3) in snapshot()


# --- Bad files: every error reported, nothing imported ---------------------------------------

BAD_FILES = {
    "onbekende wijk": (
        KOP + "spangen,2026,85,92,75\nnergenshuizen,2026,1,2,3\n",
        ["Regel 3: onbekende wijk “nergenshuizen”."],
    ),
    "jaar geen getal": (
        KOP + "spangen,twintig,85,92,75\n",
        ["Regel 2: jaar “twintig” is geen jaartal van 2000 tot en met 2100."],
    ),
    "jaar buiten bereik": (
        KOP + "spangen,1999,85,92,75\ntussendijken,2101,1,1,1\n",
        [
            "Regel 2: jaar “1999” is geen jaartal van 2000 tot en met 2100.",
            "Regel 3: jaar “2101” is geen jaartal van 2000 tot en met 2100.",
        ],
    ),
    "index te hoog, negatief, decimaal, leeg": (
        KOP + "spangen,2026,501,-1,7.5\ntussendijken,2026,,1,1\n",
        [
            "Regel 2: fysieke_index “501” is geen geheel getal van 0 tot en met 500.",
            "Regel 2: veiligheidsindex “-1” is geen geheel getal van 0 tot en met 500.",
            "Regel 2: sociale_index “7.5” is geen geheel getal van 0 tot en met 500.",
            "Regel 3: fysieke_index “” is geen geheel getal van 0 tot en met 500.",
        ],
    ),
    "cijfers uit een ander schrift": (
        KOP + "spangen,2026,٨٥,92,75\n",
        ["Regel 2: fysieke_index “٨٥” is geen geheel getal van 0 tot en met 500."],
    ),
    "dubbele regel": (
        KOP + "spangen,2026,85,92,75\ntussendijken,2026,1,1,1\nspangen,2026,86,92,75\n",
        ["Regel 4: wijk “spangen”, jaar 2026 staat ook al op regel 2."],
    ),
    "te weinig velden": (
        KOP + "spangen,2026,85,92\n",
        ["Regel 2: 4 velden, de kopregel heeft er 5."],
    ),
    "ontbrekende kolom": (
        "wijk_slug,jaar,fysieke_index,sociale_index\nspangen,2026,85,75\n",
        ["Regel 1: de kopregel mist de kolom(men) veiligheidsindex."],
    ),
    "puntkomma's": (
        KOP.replace(",", ";") + "spangen;2026;85;92;75\n",
        ["puntkomma's; gebruik komma's"],
    ),
    "dubbele kolom": (
        "wijk_slug,jaar,fysieke_index,veiligheidsindex,sociale_index,jaar\n",
        ["Regel 1: de kolom(men) jaar staan meer dan eens in de kopregel."],
    ),
    "alleen een kopregel": (KOP, ["Het bestand bevat alleen een kopregel, geen gegevens."]),
    "geen UTF-8": (
        (KOP + "spangen,2026,85,92,75 café\n").encode("latin-1"),
        [
            "Het bestand is geen tekst in UTF-8 (fout in byte "
            f"{len((KOP + 'spangen,2026,85,92,75 caf').encode()) + 1})."
        ],
    ),
    "binair": (b"PK\x03\x04\x00\x00\x08\x00" + bytes(range(256)), ["binaire gegevens"]),
    "formule": (
        KOP + '"=HYPERLINK(""http://kwaad.example"")",2026,=1+1,@SUM(1),+5\n',
        [
            'Regel 2: onbekende wijk “=HYPERLINK("http://kwaad.example")”.',
            "Regel 2: fysieke_index “=1+1” is geen geheel getal van 0 tot en met 500.",
            "Regel 2: veiligheidsindex “@SUM(1)” is geen geheel getal van 0 tot en met 500.",
            "Regel 2: sociale_index “+5” is geen geheel getal van 0 tot en met 500.",
        ],
    ),
    "kapotte aanhalingstekens": (
        KOP + 'spangen,2026,85,92,75\n"tussendijken,2026,1,1,1\n',
        ["Regel 3: 1 veld, de kopregel heeft er 5."],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_reports_every_bad_line_and_imports_nothing(wijken, beheerder, case):
    content, expected = BAD_FILES[case]
    before, version = snapshot(), current()
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    messages = messages_of(caught.value)
    for message in expected:
        assert any(message in m for m in messages), (message, messages)
    if case != "puntkomma's":
        assert len(messages) == len(expected), messages
    assert snapshot() == before
    assert not AuditEntry.objects.filter(action="places.wijkprofiel_import").exists()
    assert current() == version


@pytest.mark.django_db
def test_good_lines_in_a_file_with_one_bad_line_are_not_imported(wijken, beheerder):
    before = snapshot()
    content = KOP + "".join(f"spangen,{jaar},90,90,90\n" for jaar in range(2030, 2060))
    content += "spangen,2060,90,90,900\n"
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    assert messages_of(caught.value) == [
        "Regel 32: sociale_index “900” is geen geheel getal van 0 tot en met 500."
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_too_large_a_file_is_refused_unread(wijken, beheerder):
    content = KOP + "spangen,2026,85,92,75\n" * 60_000  # about 1.3 MB
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    assert messages_of(caught.value) == ["Het bestand is te groot: het mag hoogstens 1 MB zijn."]


@pytest.mark.django_db
def test_too_many_lines_are_refused(wijken, beheerder, monkeypatch):
    monkeypatch.setattr(services, "WIJKPROFIEL_MAX_REGELS", 3)
    content = KOP + "".join(f"spangen,{jaar},90,90,90\n" for jaar in range(2030, 2034))
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    assert messages_of(caught.value) == ["Het bestand heeft meer dan 3 regels met gegevens."]


@pytest.mark.django_db
def test_many_errors_are_listed_up_to_a_limit_and_counted(wijken, beheerder):
    content = KOP + "nergens,2026,1,1,1\n" * 80
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    messages = messages_of(caught.value)
    assert len(messages) == 51
    assert messages[0] == "Regel 2: onbekende wijk “nergens”."
    assert messages[49] == "Regel 51: onbekende wijk “nergens”."
    assert messages[50] == "En nog 30 fouten die hier niet staan."


@pytest.mark.django_db
def test_a_huge_field_is_a_csv_error_not_a_crash(wijken, beheerder):
    content = KOP + '"' + "x" * 200_000 + '",2026,1,1,1\n'
    with pytest.raises(ValidationError) as caught:
        wijkprofiel_import(user=beheerder, file=upload(content))
    assert messages_of(caught.value) == [
        "Regel 2: geen geldige CSV. Kijk of elk aanhalingsteken gesloten is en geen veld "
        "extreem lang is."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["bewoner", "wijkmanager", "raad"])
def test_the_service_asks_the_permission_itself(wijken, werkgebied, role):
    from tests.people.factories import user_with_role

    scope = {"werkgebied": werkgebied} if role != "raad" else {}
    user = user_with_role(Rol(role), **scope)
    with pytest.raises(PermissionDenied):
        wijkprofiel_import(user=user, file=upload(KOP + "spangen,2026,1,1,1\n"))
    assert ("spangen", 2026, 1, 1, 1) not in snapshot()


# --- The page ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_beheerders_reach_the_page(client, roles, wijken, role):
    user, _runs_the_cycle = roles[role]
    if user is not None:
        client.force_login(user)
    get = client.get(URL)
    post = client.post(URL, {"bestand": upload(KOP + "spangen,2026,1,1,1\n")})
    if role == "beheerder":
        assert get.status_code == 200
        assert post.status_code == 302
        assert ("spangen", 2026, 1, 1, 1) in snapshot()
        return
    for response in (get, post):
        if user is None:
            assert response.status_code == 302
            assert response["Location"] == f"{reverse('login')}?next={URL}"
        else:
            assert response.status_code == 403
    assert ("spangen", 2026, 1, 1, 1) not in snapshot()


@pytest.mark.django_db
def test_a_superuser_may_import(client, wijken):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(URL, {"bestand": upload(KOP + "tussendijken,2026,5,6,7\n")}, follow=True)
    assert response.status_code == 200
    assert "1 nieuw, 0 gewijzigd, 0 ongewijzigd" in response.content.decode()
    assert ("tussendijken", 2026, 5, 6, 7) in snapshot()


@pytest.mark.django_db
def test_the_page_summarises_a_good_import(client, wijken, beheerder):
    client.force_login(beheerder)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Wijkprofiel inlezen" in html
    response = client.post(
        URL,
        {"bestand": upload(KOP + "spangen,2024,80,90,71\ntussendijken,2026,5,6,7\n")},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert (
        "Het Wijkprofiel uit wijkprofiel-2028.csv is ingelezen: 1 nieuw, 1 gewijzigd, "
        "0 ongewijzigd." in html
    )
    assert ("spangen", 2024, 80, 90, 71) in snapshot()


@pytest.mark.django_db
def test_the_page_lists_every_error_at_the_field_and_imports_nothing(client, wijken, beheerder):
    client.force_login(beheerder)
    before = snapshot()
    content = KOP + "spangen,2026,1,1,1\n<script>alert(1)</script>,2026,1,1,1\nspangen,1,1,1,1\n"
    response = client.post(URL, {"bestand": upload(content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Het bestand is niet ingelezen" in html
    assert "Regel 3: onbekende wijk “&lt;script&gt;alert(1)&lt;/script&gt;”." in html
    assert "<script>alert" not in html
    assert "Regel 4: jaar “1” is geen jaartal van 2000 tot en met 2100." in html
    assert response.context["form"].errors["bestand"]
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies een CSV-bestand."),
        ({"bestand": upload(b"", "leeg.csv")}, "Het bestand is leeg."),
        ({"bestand": "geen bestand"}, "Kies een CSV-bestand."),
        ({"bestand": upload(b"\xff\xfe\x00\x00" * 1000, "foto.png")}, "binaire gegevens"),
    ],
)
def test_hostile_or_empty_posts_never_crash(client, wijken, beheerder, data, message):
    client.force_login(beheerder)
    before = snapshot()
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_mijn_werk_links_beheerders_to_the_upload(client, beheerder, wijkmanager):
    client.force_login(beheerder)
    assert f'href="{URL}"' in client.get("/mijn-werk/").content.decode()
    client.force_login(wijkmanager)
    assert f'href="{URL}"' not in client.get("/mijn-werk/").content.decode()


@pytest.mark.django_db
def test_an_import_shows_on_the_cached_public_pages(rotterdam, beheerder, settings):
    assert settings.PAGE_CACHE_SECONDS
    anonymous = Client()
    anonymous.get("/wijken/rubroek/")
    assert anonymous.get("/wijken/rubroek/")["X-Paginacache"] == "hit"
    wijkprofiel_import(user=beheerder, file=upload(KOP + "rubroek,2028,111,222,333\n"))
    html = anonymous.get("/wijken/rubroek/").content.decode()
    assert "Sociale index 2028" in html
    assert ">333<" in html
    assert "2014–2028" in html
