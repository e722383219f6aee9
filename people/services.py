"""Every write to accounts and role assignments. Each checks permission with the same rules
the admin asks, writes its audit entry in the same transaction, and never stores or logs a
password. The admin calls these; nothing else changes who may do what."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log

from .models import Roltoewijzing, User, normalise_email
from .roles import acting_role

# Fields whose change makes or unmakes an administrator: superusers only.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
# Never written to the audit log, not even the fact of their value.
SECRET_FIELDS = ("password",)


def _describe_assignment(assignment: Roltoewijzing) -> dict:
    return {
        "gebruiker": assignment.user_id,
        "gebruiker_label": str(assignment.user),
        "rol": assignment.rol,
        "werkgebied": assignment.werkgebied_id,
        "gebied": assignment.gebied_id,
        "cluster": assignment.cluster_id,
        "geldig_vanaf": assignment.geldig_vanaf.isoformat() if assignment.geldig_vanaf else None,
        "geldig_tot": assignment.geldig_tot.isoformat() if assignment.geldig_tot else None,
    }


def user_save(*, actor, user: User, changed_fields: list[str], created: bool, save=None) -> User:
    """Save an account changed by ``actor`` (in the admin). ``changed_fields`` are the form
    fields that changed; ``save`` performs the actual write (the admin's own, which also
    saves many-to-many fields), by default ``user.save()``."""
    perm = "people.add_user" if created else "people.change_user"
    original = None if created else User.objects.filter(pk=user.pk).first()
    # Judge the actor as stored, not an in-memory object that may be the one being edited.
    if original is not None and actor.pk == user.pk:
        actor = original
    if not actor.has_perm(perm, original):
        raise PermissionDenied
    # What changed is read from the database row as well as from the form, so that a flag set
    # on the object without a form field still counts.
    privileged = {f for f in changed_fields if f in PRIVILEGE_FIELDS}
    for field in ("is_superuser", "is_staff"):
        before = getattr(original, field) if original is not None else False
        if getattr(user, field) != before:
            privileged.add(field)
    privileged = sorted(privileged)
    if privileged and not actor.has_perm("people.grant_privileges"):
        raise PermissionDenied
    if (
        "password" in changed_fields
        and not created
        and not actor.has_perm("people.set_password", original)
    ):
        raise PermissionDenied
    if (
        original is not None
        and normalise_email(user.email) != original.email
        and not actor.has_perm("people.change_email", original)
    ):
        raise PermissionDenied
    user.email = normalise_email(user.email)
    with transaction.atomic():
        (save or user.save)()
        audit_log(
            action="people.user_created" if created else "people.user_changed",
            actor=actor,
            actor_rol=acting_role(actor),
            target=user,
            data={
                "velden": sorted(f for f in changed_fields if f not in SECRET_FIELDS),
                "wachtwoord_gewijzigd": "password" in changed_fields,
                "rechten_gewijzigd": privileged,
            },
        )
    return user


def user_delete(*, actor, user: User) -> None:
    if not actor.has_perm("people.delete_user", user):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(
            action="people.user_deleted",
            actor=actor,
            actor_rol=acting_role(actor),
            target=user,
            data={"label": str(user)},
        )
        user.delete()


def roltoewijzing_save(*, actor, assignment: Roltoewijzing) -> Roltoewijzing:
    """Grant or change one role. The actor needs the permission both for the assignment as it
    was and as it becomes (a beheerder can neither create nor edit a beheerder role)."""
    created = assignment.pk is None
    before = None if created else Roltoewijzing.objects.filter(pk=assignment.pk).first()
    perm = "people.add_roltoewijzing" if created else "people.change_roltoewijzing"
    if before is not None and not actor.has_perm(perm, before):
        raise PermissionDenied
    if not actor.has_perm(perm, assignment):
        raise PermissionDenied
    with transaction.atomic():
        assignment.save()
        data = {"na": _describe_assignment(assignment)}
        if before is not None:
            data["voor"] = _describe_assignment(before)
        audit_log(
            action="people.role_granted" if created else "people.role_changed",
            actor=actor,
            actor_rol=acting_role(actor),
            target=assignment,
            data=data,
        )
    return assignment


def roltoewijzing_delete(*, actor, assignment: Roltoewijzing) -> None:
    if not actor.has_perm("people.delete_roltoewijzing", assignment):
        raise PermissionDenied
    with transaction.atomic():
        audit_log(
            action="people.role_revoked",
            actor=actor,
            actor_rol=acting_role(actor),
            target=assignment,
            data={"voor": _describe_assignment(assignment)},
        )
        assignment.delete()


def login_locked_out(*, username: str, ip_address: str | None) -> None:
    """Record that sign-in was locked for an account or an address (django-axes)."""
    account = User.objects.filter(email=normalise_email(username)).first() if username else None
    audit_log(
        action="people.login_locked_out",
        actor=None,
        target=account,
        # The address that was tried is kept only when it is an account's: a typo or a guessed
        # address of nobody is not stored as personal data.
        data={"gebruikersnaam": account.email if account else "", "ip": ip_address or ""},
    )


PASSWORD_LINK_KIND = "people.password_reset"  # noqa: S105 - a notice kind, not a secret


def password_link_send(*, actor, user: User) -> None:
    """Mail ``user`` a link to set a new password. The link (its token) is made when the mail
    is sent, never stored: the notice row only says who gets one (see ``people.emails``)."""
    from notices.services import notice_create

    # The public "forgot password" form acts for nobody (actor None); a beheerder must be
    # allowed to manage the account.
    if actor is not None and not actor.has_perm("people.change_user", user):
        raise PermissionDenied
    with transaction.atomic():
        entry = audit_log(
            action="people.password_link_sent",
            actor=actor,
            actor_rol=acting_role(actor),
            target=user,
            data={},
        )
        notice_create(
            kind=PASSWORD_LINK_KIND,
            recipients=[user.email],
            # What the outbox shows a beheerder; the mail itself is rendered when sent.
            subject=str(_("Link om het wachtwoord in te stellen")),
            body="",
            audit_entry=entry,
            user=user,
        )


# However often "Wachtwoord vergeten" is asked for one account, it gets one mail per this many
# minutes: the form must not become a way to flood someone's mailbox.
PASSWORD_LINK_INTERVAL = timedelta(minutes=5)


def password_link_requested(*, user: User) -> bool:
    """A link asked for through the public form. Sends one unless a link went to this account
    less than ``PASSWORD_LINK_INTERVAL`` ago; the asker is told the same either way."""
    from notices.models import Notice

    recent = Notice.objects.filter(
        user=user,
        kind=PASSWORD_LINK_KIND,
        created_at__gte=timezone.now() - PASSWORD_LINK_INTERVAL,
    )
    if recent.exists():
        return False
    password_link_send(actor=None, user=user)
    return True


def password_set_by_admin(*, actor, user: User) -> None:
    """Record that ``actor`` set ``user``'s password in the admin (never the password)."""
    audit_log(
        action="people.password_set",
        actor=actor,
        actor_rol=acting_role(actor),
        target=user,
        data={"door_beheer": True},
    )


def password_changed(*, user: User, via: str) -> None:
    """Record that ``user`` set their own password (``via``: "wijzigen" when signed in, "link"
    through a mailed link). A link proves control of the mailbox, so a lockout of the account
    is lifted at once."""
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        audit_log(
            action="people.password_changed",
            actor=user,
            actor_rol=acting_role(user),
            target=user,
            data={"via": via},
        )
    if via == "link":
        axes_reset(username=user.email)


def login_recorded(sender, user, **kwargs) -> None:
    """On sign-in: the previous sign-in becomes ``vorige_login``, and ``last_login`` now."""
    now = timezone.now()
    user.vorige_login, user.last_login = user.last_login, now
    type(user).objects.filter(pk=user.pk).update(vorige_login=user.vorige_login, last_login=now)
