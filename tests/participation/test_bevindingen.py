"""The findings of a wijkschouw: entered on a phone (idempotent on the client's UUID), checked
(text, point in Rotterdam, photo), and turned into meldingen in one step through the melding
service. Permissions per view and role, bad input, query counts."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from participation import services_bijeenkomsten as services
from participation.models import Bevinding, Melding, Thema
from people.models import Rol
from places.models import Wijk
from tests.conftest import ROLE_NAMES
from tests.people.factories import user_with_role

from .factories import jpeg_upload
from .test_bijeenkomsten import maak
from .test_views import punt_in


@pytest.fixture
def schouw(werkgebied):
    return maak(werkgebied, dagen=0, soort="wijkschouw", titel="Wijkschouw Rubroek")


def url(schouw, sub=""):
    return f"/werkgebieden/{schouw.werkgebied.slug}/bijeenkomsten/{schouw.pk}/bevindingen/{sub}"


def voeg_toe(schouw, user, **extra):
    data = {"uuid": uuid.uuid4(), "tekst": "Losse stoeptegel bij de school"}
    data.update(extra)
    return services.bevinding_toevoegen(bijeenkomst_id=schouw.pk, user=user, **data)


# Who walks a wijkschouw of ``werkgebied`` (and so sees and adds findings).
LOPERS = {
    "wijkmanager",
    "wijkmanager via gebied",
    "beheerder",
    "wijkraadslid",
    "accounthouder",
}
MAKERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_findings_pages_per_role(client, roles, schouw, wijk, role, media_root):
    user = roles[role][0]
    if user is not None:
        client.force_login(user)
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=schouw.werkgebied)
    bevinding, _ = voeg_toe(schouw, wijkmanager)
    response = client.get(url(schouw))
    if role in LOPERS:
        assert response.status_code == 200
        assert "Losse stoeptegel" in response.content.decode()
        assert ('id="maak-form"' in response.content.decode()) == (role in MAKERS)
    elif user is None:
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    else:
        assert response.status_code == 403
    # Adding, by form and by the phone's script.
    response = client.post(url(schouw), {"uuid": str(uuid.uuid4()), "tekst": "Graffiti"})
    if role in LOPERS:
        assert response.status_code == 302 and response["Location"] == url(schouw)
    else:
        assert response.status_code == (302 if user is None else 403)
    response = client.post(
        url(schouw),
        {"uuid": str(uuid.uuid4()), "tekst": "Graffiti 2"},
        HTTP_X_BEVINDING_SYNC="1",
    )
    assert response.status_code == (201 if role in LOPERS else 401 if user is None else 403)
    # Turning them into meldingen.
    thema = Thema.objects.get(slug="schoon")
    response = client.post(
        url(schouw, "meldingen/"),
        {"bevindingen": [bevinding.pk], "thema": thema.pk, "wijk": wijk.pk},
    )
    bevinding.refresh_from_db()
    assert (bevinding.melding_id is not None) == (role in MAKERS)
    assert Bevinding.objects.filter(bijeenkomst=schouw).count() == (3 if role in LOPERS else 1)


@pytest.mark.django_db
def test_not_a_wijkschouw_has_no_findings(client, werkgebied, wijkmanager):
    gesprek = maak(werkgebied)
    client.force_login(wijkmanager)
    assert client.get(url(gesprek)).status_code == 403
    with pytest.raises(PermissionDenied):
        voeg_toe(gesprek, wijkmanager)


@pytest.mark.django_db
def test_expired_role_and_cancelled_walk(client, schouw):
    today = timezone.localdate()
    verlopen = user_with_role(
        Rol.WIJKMANAGER,
        werkgebied=schouw.werkgebied,
        geldig_vanaf=today - datetime.timedelta(days=400),
        geldig_tot=today - datetime.timedelta(days=1),
    )
    client.force_login(verlopen)
    assert client.get(url(schouw)).status_code == 403
    wm = user_with_role(Rol.WIJKMANAGER, werkgebied=schouw.werkgebied)
    schouw.geannuleerd = True
    schouw.save()
    with pytest.raises(PermissionDenied):
        voeg_toe(schouw, wm)


@pytest.mark.django_db
def test_duplicate_uuid_resend_stores_once(client, schouw, wijkmanager):
    client.force_login(wijkmanager)
    kenmerk = str(uuid.uuid4())
    data = {"uuid": kenmerk, "tekst": "Kapotte lantaarn"}
    eerste = client.post(url(schouw), data, HTTP_X_BEVINDING_SYNC="1")
    tweede = client.post(url(schouw), data, HTTP_X_BEVINDING_SYNC="1")
    derde = client.post(url(schouw), data)
    assert eerste.status_code == 201 and eerste.json()["nieuw"] is True
    assert tweede.status_code == 200 and tweede.json()["nieuw"] is False
    assert derde.status_code == 302
    assert Bevinding.objects.filter(uuid=kenmerk).count() == 1
    assert AuditEntry.objects.filter(action="participation.bevinding_toegevoegd").count() == 1
    # The same UUID for another wijkschouw is refused.
    andere = maak(schouw.werkgebied, soort="wijkschouw", titel="Andere schouw")
    response = client.post(url(andere), data, HTTP_X_BEVINDING_SYNC="1")
    assert response.status_code == 400
    assert Bevinding.objects.filter(uuid=kenmerk).get().bijeenkomst_id == schouw.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "veld", "bericht"),
    [
        ({"breedtegraad": "48.85", "lengtegraad": "2.35"}, "breedtegraad", "buiten Rotterdam"),
        ({"breedtegraad": "51.92"}, "lengtegraad", "twee getallen"),
        ({"breedtegraad": "51.9", "lengtegraad": "nan"}, "lengtegraad", "Vul een getal in"),
        ({"tekst": "x" * 10_000}, "tekst", "Maximaal 2000 tekens"),
        ({"tekst": "   "}, "tekst", "Beschrijf wat u ziet"),
        ({"uuid": "geen-uuid"}, "__all__", "onvolledig verstuurd"),
    ],
)
def test_bad_input_dutch_error_next_to_the_field(client, schouw, wijkmanager, data, veld, bericht):
    client.force_login(wijkmanager)
    invoer = {"uuid": str(uuid.uuid4()), "tekst": "Scheve paal", **data}
    response = client.post(url(schouw), invoer, HTTP_X_BEVINDING_SYNC="1")
    assert response.status_code == 400
    assert any(bericht in m for m in response.json()["fouten"][veld])
    response = client.post(url(schouw), invoer)
    assert response.status_code == 200
    assert bericht in response.content.decode()
    assert not Bevinding.objects.exists()


@pytest.mark.django_db
def test_point_photo_and_turning_into_meldingen(
    client, rotterdam, media_root, django_capture_on_commit_callbacks
):
    wijk = Wijk.objects.select_related("werkgebied").get(slug="afrikaanderwijk")
    schouw = maak(wijk.werkgebied, dagen=0, soort="wijkschouw", titel="Schouw")
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)
    lon, lat = punt_in(wijk)
    client.force_login(wijkmanager)
    response = client.post(
        url(schouw),
        {
            "uuid": str(uuid.uuid4()),
            "tekst": "Volle container",
            "breedtegraad": lat,
            "lengtegraad": lon,
            "foto": jpeg_upload(),
        },
    )
    assert response.status_code == 302
    met_punt = Bevinding.objects.get()
    assert met_punt.wijk == wijk and met_punt.foto and met_punt.foto_type == "image/jpeg"
    zonder, _ = voeg_toe(schouw, wijkmanager, tekst="Hondenpoep op het pad")
    assert client.get(url(schouw) + f"{met_punt.pk}/foto/").status_code == 200
    thema = Thema.objects.get(slug="schoon")
    # Without a wijk for the finding without a point: refused, nothing made.
    response = client.post(
        url(schouw, "meldingen/"), {"bevindingen": [met_punt.pk, zonder.pk], "thema": thema.pk}
    )
    assert response.status_code == 200
    assert "zonder plek" in response.content.decode()
    assert not Melding.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(schouw, "meldingen/"),
            {"bevindingen": [met_punt.pk, zonder.pk], "thema": thema.pk, "wijk": wijk.pk},
        )
    assert response.status_code == 302
    meldingen = list(Melding.objects.order_by("pk"))
    assert len(meldingen) == 2
    met_punt.refresh_from_db()
    zonder.refresh_from_db()
    assert met_punt.melding == meldingen[0] and zonder.melding == meldingen[1]
    assert meldingen[0].breedtegraad == met_punt.breedtegraad
    assert meldingen[0].werkgebied == schouw.werkgebied and meldingen[0].betreft_groep
    assert meldingen[0].fotos.count() == 1 and meldingen[1].fotos.count() == 0
    # The photo moved to the melding (its retention rules hold): the finding keeps no copy.
    assert not met_punt.foto
    assert len(list(media_root.rglob("*.jpg"))) == 1
    # Through the melding service: its audit entry per melding, and one for the step.
    assert AuditEntry.objects.filter(action="participation.melding_ingediend").count() == 2
    assert AuditEntry.objects.filter(action="participation.bevindingen_naar_meldingen").count() == 1
    # Again: refused, nothing doubled.
    with pytest.raises(ValidationError):
        services.bevindingen_naar_meldingen(
            bijeenkomst_id=schouw.pk, user=wijkmanager, bevinding_ids=[zonder.pk], thema=thema
        )
    assert Melding.objects.count() == 2


@pytest.mark.django_db
def test_one_transaction_all_or_nothing(schouw, wijkmanager, ander_werkgebied):
    thema = Thema.objects.get(slug="schoon")
    a, _ = voeg_toe(schouw, wijkmanager)
    andere = maak(schouw.werkgebied, soort="wijkschouw")
    b, _ = voeg_toe(andere, wijkmanager)
    with pytest.raises(ValidationError):
        services.bevindingen_naar_meldingen(
            bijeenkomst_id=schouw.pk,
            user=wijkmanager,
            bevinding_ids=[a.pk, b.pk],
            thema=thema,
            wijk=schouw.werkgebied.wijken.get(),
        )
    assert not Melding.objects.exists()
    wijk_elders = ander_werkgebied.wijken.first()
    if wijk_elders is not None:
        with pytest.raises(ValidationError):
            services.bevindingen_naar_meldingen(
                bijeenkomst_id=schouw.pk,
                user=wijkmanager,
                bevinding_ids=[a.pk],
                thema=thema,
                wijk=wijk_elders,
            )


@pytest.mark.django_db
@pytest.mark.parametrize("aantal", [2, 30])
def test_findings_page_fixed_queries(
    client, schouw, wijkmanager, aantal, django_assert_max_num_queries
):
    for n in range(aantal):
        voeg_toe(schouw, wijkmanager, tekst=f"Bevinding {n}")
    client.force_login(wijkmanager)
    with django_assert_max_num_queries(14):
        assert client.get(url(schouw)).status_code == 200
