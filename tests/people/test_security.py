"""Attacks on accounts and roles: a beheerder raising themself or taking over another
administrator, roles without their scope, predicates that must fail closed, case games with
e-mail addresses, and the demo in production."""

import datetime

import pytest
import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from people import services
from people.models import Rol, Roltoewijzing, User
from people.predicates import is_accounthouder_in, is_wijkmanager_of, is_wijkraadslid_of
from tests.people.factories import ClusterFactory, UserFactory, user_with_role


@pytest.fixture
def beheerder(db):
    return user_with_role(Rol.BEHEERDER)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root@example.nl", "root-wachtwoord-1")


def change_data(user, **extra):
    """A complete POST for the admin's change form of ``user`` as a beheerder sees it."""
    return {
        "email": user.email,
        "naam": user.naam,
        "is_active": "on",
        "rollen-TOTAL_FORMS": "0",
        "rollen-INITIAL_FORMS": "0",
        "rollen-MIN_NUM_FORMS": "0",
        "rollen-MAX_NUM_FORMS": "1000",
        **extra,
    }


# ---------------------------------------------------------------- privilege escalation


@pytest.mark.django_db
def test_beheerder_cannot_make_themself_superuser(client, beheerder):
    client.force_login(beheerder)
    page = client.get(f"/beheer/people/user/{beheerder.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="groups"' not in page
    assert 'name="user_permissions"' not in page
    response = client.post(
        f"/beheer/people/user/{beheerder.pk}/change/",
        change_data(
            beheerder, is_superuser="on", is_staff="on", naam="Bea de Beheerder", groups=["1"]
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    beheerder.refresh_from_db()
    assert beheerder.naam == "Bea de Beheerder"  # the allowed change went through
    assert not beheerder.is_superuser and not beheerder.is_staff
    entry = AuditEntry.objects.get(action="people.user_changed")
    assert entry.actor == beheerder and entry.data["rechten_gewijzigd"] == []


@pytest.mark.django_db
def test_service_refuses_privilege_change_by_beheerder(beheerder):
    beheerder.is_superuser = True
    with pytest.raises(PermissionDenied):
        services.user_save(
            actor=beheerder, user=beheerder, changed_fields=["is_superuser"], created=False
        )
    assert not User.objects.get(pk=beheerder.pk).is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize("target_kind", ["ordinary", "beheerder", "superuser", "staff"])
def test_beheerder_cannot_set_anyone_elses_password(client, beheerder, target_kind):
    target = {
        "ordinary": lambda: UserFactory(),
        "beheerder": lambda: user_with_role(Rol.BEHEERDER),
        "superuser": lambda: get_user_model().objects.create_superuser("s@example.nl", "x"),
        "staff": lambda: UserFactory(is_staff=True),
    }[target_kind]()
    client.force_login(beheerder)
    url = f"/beheer/people/user/{target.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Overname-2026!", "password2": "Overname-2026!"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.check_password("Overname-2026!")


@pytest.mark.django_db
@pytest.mark.parametrize("target_kind", ["beheerder", "superuser", "staff"])
def test_beheerder_cannot_change_or_delete_another_administrator(client, beheerder, target_kind):
    target = {
        "beheerder": lambda: user_with_role(Rol.BEHEERDER),
        "superuser": lambda: get_user_model().objects.create_superuser("s@example.nl", "x"),
        "staff": lambda: UserFactory(is_staff=True),
    }[target_kind]()
    client.force_login(beheerder)
    response = client.post(
        f"/beheer/people/user/{target.pk}/change/",
        change_data(target, email="overgenomen@example.nl"),
    )
    assert response.status_code == 403
    response = client.post(f"/beheer/people/user/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.email != "overgenomen@example.nl"


@pytest.mark.django_db
def test_beheerder_cannot_redirect_someone_elses_password_link(client, beheerder):
    """Changing an account's address and then sending the password link would hand the
    account to the beheerder: the address of another account is not theirs to change."""
    target = UserFactory(email="wendy@example.nl")
    client.force_login(beheerder)
    page = client.get(f"/beheer/people/user/{target.pk}/change/").content.decode()
    assert 'name="email"' not in page
    response = client.post(
        f"/beheer/people/user/{target.pk}/change/",
        change_data(target, email="beheerder-postbus@example.nl"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.email == "wendy@example.nl"
    target.email = "beheerder-postbus@example.nl"
    with pytest.raises(PermissionDenied):
        services.user_save(actor=beheerder, user=target, changed_fields=["email"], created=False)
    assert User.objects.get(pk=target.pk).email == "wendy@example.nl"


@pytest.mark.django_db
def test_beheerder_changes_own_address(client, beheerder):
    client.force_login(beheerder)
    response = client.post(
        f"/beheer/people/user/{beheerder.pk}/change/",
        change_data(beheerder, email="Nieuw.Adres@Example.nl"),
    )
    assert response.status_code == 302
    beheerder.refresh_from_db()
    assert beheerder.email == "nieuw.adres@example.nl"


@pytest.mark.django_db
def test_beheerder_manages_ordinary_accounts(client, beheerder):
    target = UserFactory(naam="Oud")
    client.force_login(beheerder)
    response = client.post(
        f"/beheer/people/user/{target.pk}/change/", change_data(target, naam="Nieuw")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.naam == "Nieuw"


@pytest.mark.django_db
def test_superuser_may_grant_privileges_and_set_passwords(client, superuser):
    target = UserFactory()
    client.force_login(superuser)
    response = client.post(
        f"/beheer/people/user/{target.pk}/password/",
        {"password1": "Nieuw-wachtwoord-2026", "password2": "Nieuw-wachtwoord-2026"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Nieuw-wachtwoord-2026")
    entry = AuditEntry.objects.get(action="people.password_set")
    assert entry.actor == superuser and "Nieuw-wachtwoord" not in str(entry.data)
    response = client.post(
        f"/beheer/people/user/{target.pk}/change/",
        {
            **change_data(target),
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.is_staff


@pytest.mark.django_db
def test_beheerder_cannot_grant_the_beheerder_role(client, beheerder):
    target = UserFactory()
    client.force_login(beheerder)
    form = client.get("/beheer/people/roltoewijzing/add/").content.decode()
    assert 'value="beheerder"' not in form
    response = client.post(
        "/beheer/people/roltoewijzing/add/",
        {"user": target.pk, "rol": Rol.BEHEERDER, "geldig_vanaf": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not target.rollen.exists()
    with pytest.raises(PermissionDenied):
        services.roltoewijzing_save(
            actor=beheerder, assignment=Roltoewijzing(user=target, rol=Rol.BEHEERDER)
        )
    assert not target.rollen.exists()


@pytest.mark.django_db
def test_beheerder_cannot_touch_existing_beheerder_roles(client, beheerder):
    other = user_with_role(Rol.BEHEERDER)
    own = beheerder.rollen.get()
    client.force_login(beheerder)
    for assignment in (own, other.rollen.get()):
        response = client.post(
            f"/beheer/people/roltoewijzing/{assignment.pk}/change/",
            {
                "user": assignment.user_id,
                "rol": Rol.BEHEERDER,
                "geldig_vanaf": "2020-01-01",
                "geldig_tot": "2099-12-31",
            },
        )
        assert response.status_code == 403
        response = client.post(
            f"/beheer/people/roltoewijzing/{assignment.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
    assert Roltoewijzing.objects.filter(rol=Rol.BEHEERDER).count() == 2
    assert not Roltoewijzing.objects.filter(geldig_tot__year=2099).exists()


@pytest.mark.django_db
def test_inline_role_of_beheerder_refused(client, beheerder):
    target = UserFactory()
    client.force_login(beheerder)
    data = change_data(
        target,
        **{
            "rollen-TOTAL_FORMS": "1",
            "rollen-0-rol": Rol.BEHEERDER,
            "rollen-0-geldig_vanaf": "2026-01-01",
            "rollen-0-user": target.pk,
        },
    )
    response = client.post(f"/beheer/people/user/{target.pk}/change/", data)
    assert response.status_code == 200
    assert not target.rollen.exists()


@pytest.mark.django_db
def test_role_changes_are_audited(client, beheerder, werkgebied):
    target = UserFactory()
    client.force_login(beheerder)
    response = client.post(
        "/beheer/people/roltoewijzing/add/",
        {
            "user": target.pk,
            "rol": Rol.WIJKMANAGER,
            "werkgebied": werkgebied.pk,
            "geldig_vanaf": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assignment = target.rollen.get()
    granted = AuditEntry.objects.get(action="people.role_granted")
    assert granted.actor == beheerder
    assert granted.data["na"]["rol"] == "wijkmanager"
    assert granted.data["na"]["werkgebied"] == werkgebied.pk
    response = client.post(f"/beheer/people/roltoewijzing/{assignment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    revoked = AuditEntry.objects.get(action="people.role_revoked")
    assert revoked.data["voor"]["gebruiker"] == target.pk
    assert not target.rollen.exists()


@pytest.mark.django_db
def test_beheerder_creates_account_without_password(client, beheerder):
    client.force_login(beheerder)
    form = client.get("/beheer/people/user/add/").content.decode()
    assert 'name="password1"' not in form
    response = client.post(
        "/beheer/people/user/add/",
        {
            **change_data(UserFactory.build(), email="Nieuw@Example.NL", naam="Nieuwe Collega"),
            "is_active": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="nieuw@example.nl")
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(action="people.user_created", actor=beheerder).exists()
    assert AuditEntry.objects.filter(action="people.password_link_sent").exists()


# ----------------------------------------------------------------------- role scopes

SCOPE_CASES = [
    # (role, scope, valid)
    (Rol.WIJKMANAGER, {"werkgebied"}, True),
    (Rol.WIJKMANAGER, {"gebied"}, True),
    (Rol.WIJKMANAGER, set(), False),
    (Rol.WIJKMANAGER, {"werkgebied", "gebied"}, False),
    (Rol.WIJKMANAGER, {"werkgebied", "cluster"}, False),
    (Rol.ACCOUNTHOUDER, {"cluster", "gebied"}, True),
    (Rol.ACCOUNTHOUDER, {"cluster"}, False),
    (Rol.ACCOUNTHOUDER, {"gebied"}, False),
    (Rol.ACCOUNTHOUDER, {"cluster", "gebied", "werkgebied"}, False),
    (Rol.ACCOUNTHOUDER, {"cluster", "werkgebied"}, False),
    (Rol.WIJKRAADSLID, {"werkgebied"}, True),
    (Rol.WIJKRAADSLID, set(), False),
    (Rol.WIJKRAADSLID, {"gebied"}, False),
    (Rol.WIJKRAADSLID, {"werkgebied", "gebied"}, False),
    (Rol.BEWONER, {"werkgebied"}, True),
    (Rol.BEWONER, set(), False),
    (Rol.BEWONER, {"werkgebied", "cluster"}, False),
    (Rol.RAAD, set(), True),
    (Rol.RAAD, {"werkgebied"}, False),
    (Rol.RAAD, {"gebied"}, False),
    (Rol.BEHEERDER, set(), True),
    (Rol.BEHEERDER, {"werkgebied"}, False),
    (Rol.BEHEERDER, {"cluster"}, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("rol", "scope", "valid"), SCOPE_CASES)
def test_each_role_has_exactly_its_scope(werkgebied, rol, scope, valid):
    values = {
        "werkgebied": werkgebied,
        "gebied": werkgebied.gebied,
        "cluster": ClusterFactory(),
    }
    kwargs = {name: values[name] for name in scope}
    if valid:
        Roltoewijzing.objects.create(user=UserFactory(), rol=rol, **kwargs)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            Roltoewijzing.objects.create(user=UserFactory(), rol=rol, **kwargs)


@pytest.mark.django_db
def test_admin_form_explains_a_wrong_scope(client, beheerder, werkgebied):
    client.force_login(beheerder)
    response = client.post(
        "/beheer/people/roltoewijzing/add/",
        {
            "user": UserFactory().pk,
            "rol": Rol.RAAD,
            "werkgebied": werkgebied.pk,
            "geldig_vanaf": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "De rol raad geldt voor de hele stad" in response.content.decode()
    assert not Roltoewijzing.objects.filter(rol=Rol.RAAD).exists()


# ------------------------------------------------------------------------ fail closed


class NoWerkgebied:
    """An object the scope check cannot place: it must grant nothing."""

    pk = 1


SCOPED_PREDICATES = [
    (is_wijkmanager_of, Rol.WIJKMANAGER, "werkgebied"),
    (is_wijkmanager_of, Rol.WIJKMANAGER, "gebied"),
    (is_wijkraadslid_of, Rol.WIJKRAADSLID, "werkgebied"),
    (is_accounthouder_in, Rol.ACCOUNTHOUDER, "gebied"),
]


def _holder(rol, scope, werkgebied, **period):
    kwargs = {scope: werkgebied if scope == "werkgebied" else werkgebied.gebied}
    if rol == Rol.ACCOUNTHOUDER:
        kwargs["cluster"] = ClusterFactory()
    return user_with_role(rol, **kwargs, **period)


@pytest.mark.django_db
@pytest.mark.parametrize(("predicate", "rol", "scope"), SCOPED_PREDICATES)
def test_scoped_predicates_fail_closed(werkgebied, ander_werkgebied, predicate, rol, scope):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    holder = _holder(rol, scope, werkgebied)
    assert predicate(holder, werkgebied)  # the control: it does grant in scope
    assert not predicate(holder, ander_werkgebied)
    assert not predicate(holder, None)
    assert not predicate(holder, NoWerkgebied())
    assert not predicate(holder, object())
    expired = _holder(rol, scope, werkgebied, geldig_vanaf=today - 10 * day, geldig_tot=today - day)
    future = _holder(rol, scope, werkgebied, geldig_vanaf=today + day)
    assert not predicate(expired, werkgebied)
    assert not predicate(future, werkgebied)
    holder.is_active = False
    holder.save()
    fresh = User.objects.get(pk=holder.pk)
    assert not predicate(fresh, werkgebied)


@pytest.mark.django_db
def test_permissions_fail_closed_on_objects_without_werkgebied(werkgebied):
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    for perm in (
        "cycle.advance_werkcyclus",
        "cycle.view_concept",
        "cycle.add_werkcyclus",
    ):
        assert rules.has_perm(perm, manager, werkgebied), perm
        assert not rules.has_perm(perm, manager, NoWerkgebied()), perm
        assert not rules.has_perm(perm, manager, None), perm


# ------------------------------------------------------------- case-insensitive e-mail


@pytest.mark.django_db
def test_email_is_stored_lower_case_and_unique_regardless_of_case(client):
    user = User.objects.create_user(" Wendy@Example.NL ", "geheim-wachtwoord")
    assert user.email == "wendy@example.nl"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("WENDY@example.nl", "x")
    # Not even around the manager: the database refuses a mixed-case address.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Wendy@example.nl")
    response = client.post(
        "/inloggen/", {"username": "WENDY@EXAMPLE.nl", "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


# ------------------------------------------------------------------------- the demo


@pytest.mark.django_db
def test_demo_refuses_to_load_where_not_allowed(rotterdam, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="productie"):
        call_command("load_demo")
    assert not User.objects.filter(email__endswith="@demo.wijkaanpak.nl").exists()


@pytest.mark.django_db
def test_demo_has_no_superuser(rotterdam):
    call_command("load_demo")
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()


@pytest.mark.django_db
def test_admin_index_lists_what_a_beheerder_manages(client, beheerder):
    client.force_login(beheerder)
    page = client.get("/beheer/").content.decode()
    for path in [
        "/beheer/audit/auditentry/",
        "/beheer/notices/notice/",
        "/beheer/people/roltoewijzing/",
        "/beheer/places/werkgebied/",
        "/beheer/cycle/taakverdeling/",
    ]:
        assert f'href="{path}"' in page, path
    assert 'href="/beheer/auth/group/"' not in page  # groups are for superusers
