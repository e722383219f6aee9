import factory

from people.models import Cluster, Rol, Roltoewijzing, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    naam = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", "geheim-wachtwoord")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ["slug"]

    naam = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")


class RoltoewijzingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roltoewijzing

    user = factory.SubFactory(UserFactory)
    rol = Rol.BEWONER


def user_with_role(rol: Rol, **scope) -> User:
    """A user holding ``rol`` with the given scope (werkgebied=, gebied=, cluster=)."""
    return RoltoewijzingFactory(rol=rol, **scope).user
