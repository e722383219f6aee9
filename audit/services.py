"""Writing to the audit log. Call inside the transaction of the change being recorded."""

from django.contrib.contenttypes.models import ContentType

from pagecache.services import bump

from .models import AuditEntry


def audit_log(
    *, action: str, actor, target, data: dict | None = None, actor_rol: str = ""
) -> AuditEntry:
    """Append one entry. ``target`` may be None for events about no stored object;
    ``actor_rol`` is the role the actor acted in, shown on public pages instead of anything
    that identifies them further."""
    # Every audited change may change what the public sees: cached public pages from before
    # it are no longer served once this transaction commits.
    bump()
    signed_in = actor is not None and actor.is_authenticated
    naam = actor.get_full_name() if signed_in else ""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if signed_in else None,
        actor_label=(naam or actor.get_username()) if signed_in else "",
        actor_naam=naam or "",
        actor_rol=actor_rol,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
