"""Writing to the audit log. Call inside the transaction of the change being recorded."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_log(*, action: str, actor, target, data: dict | None = None) -> AuditEntry:
    label = ""
    if actor is not None and actor.is_authenticated:
        label = actor.get_full_name() or actor.get_username()
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        data=data or {},
    )
