import pytest

from audit.models import AuditEntry
from audit.services import audit_log
from tests.people.factories import UserFactory
from tests.places.factories import GebiedFactory


@pytest.mark.django_db
def test_entries_are_append_only():
    user = UserFactory(naam="Wendy")
    entry = audit_log(action="test.action", actor=user, target=GebiedFactory(), data={"a": 1})
    entry.data = {"a": 2}
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().data == {"a": 1}


@pytest.mark.django_db
def test_actor_name_survives_account_deletion():
    user = UserFactory(naam="Wendy de Wijkmanager")
    audit_log(action="test.action", actor=user, target=GebiedFactory())
    user.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_label == "Wendy de Wijkmanager"
