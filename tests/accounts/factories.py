from __future__ import annotations

import factory

from accounts.models import User
from tests.conftest import PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    """A user in whatever schema is active when it is built: public (staff) or a tenant (seekers, members)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save(update_fields=["password"])


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True
