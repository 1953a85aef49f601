"""Feature flags: on for everyone, for listed tenants, for listed people ("schema:id", so a person of one tenant is
never another's with the same id), or for a percentage of people chosen by hash (stable, and raising it only adds
people); off when disabled or unknown. The template tag answers for the request's tenant and user, and admin refuses
a malformed person line naming the field."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from analytics.experiments.assignment import bucket
from analytics.flags import flag_active, flags_cache_clear
from analytics.models import FeatureFlag
from tests.analytics.experiment_support import field_error, fresh_caches, person, staff_client_make  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_caches")]


class Someone:
    """A signed-in person of some tenant, by id only (flags need nothing else)."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


def make(name: str = "new-board", **fields) -> FeatureFlag:
    tenants = fields.pop("tenants", [])
    flag = FeatureFlag.objects.create(name=name, **fields)
    flag.tenants.set(tenants)
    flags_cache_clear()
    return flag


def test_an_unknown_or_disabled_flag_is_off_even_for_everyone(cast) -> None:
    owner = person("alpha", cast.owner_email)
    assert flag_active("nothing-here", tenant=cast.tenant_a, user=owner) is False
    make(everyone=True, enabled=False)
    assert flag_active("new-board", tenant=cast.tenant_a, user=owner) is False
    FeatureFlag.objects.update(enabled=True)
    flags_cache_clear()
    assert flag_active("new-board", tenant=cast.tenant_a, user=owner) is True
    assert flag_active("new-board", tenant=None, user=None) is True


def test_a_listed_tenant_has_it_for_everyone_there_and_no_one_elsewhere(cast) -> None:
    make(tenants=[cast.tenant_b])
    assert flag_active("new-board", tenant=cast.tenant_b, user=AnonymousUser()) is True
    assert flag_active("new-board", tenant=cast.tenant_b, user=person("beta", cast.stranger_email)) is True
    assert flag_active("new-board", tenant=cast.tenant_a, user=person("alpha", cast.owner_email)) is False
    assert flag_active("new-board", tenant=cast.enterprise, user=None) is False


def test_a_listed_person_has_it_and_the_same_id_in_another_tenant_does_not(cast) -> None:
    owner = person("alpha", cast.owner_email)
    make(people=f"alpha:{owner.pk}")
    assert flag_active("new-board", tenant=cast.tenant_a, user=owner) is True
    assert flag_active("new-board", tenant=cast.tenant_b, user=Someone(owner.pk)) is False
    assert flag_active("new-board", tenant=cast.tenant_a, user=person("alpha", cast.member_email)) is False


def test_a_percentage_is_the_hashed_share_stable_and_only_grows(cast) -> None:
    make(percent=20)
    tenant = cast.tenant_a
    on_at_20 = {pk for pk in range(1, 5001) if flag_active("new-board", tenant=tenant, user=Someone(pk))}
    assert on_at_20 == {pk for pk in range(1, 5001) if bucket("flag:new-board", f"alpha:{pk}") < 0.20}
    assert abs(len(on_at_20) / 5000 - 0.20) < 0.02  # about 20 %: a binomial sd is 0.57 points

    FeatureFlag.objects.update(percent=50)
    flags_cache_clear()
    on_at_50 = {pk for pk in range(1, 5001) if flag_active("new-board", tenant=tenant, user=Someone(pk))}
    assert on_at_20 < on_at_50  # nobody who had it loses it
    assert abs(len(on_at_50) / 5000 - 0.50) < 0.03
    assert flag_active("new-board", tenant=tenant, user=AnonymousUser()) is False  # no id, no share

    FeatureFlag.objects.update(percent=100)
    flags_cache_clear()
    assert all(flag_active("new-board", tenant=tenant, user=Someone(pk)) for pk in range(1, 200))


def test_the_template_tag_answers_for_the_requests_tenant_and_user(cast) -> None:
    owner = person("alpha", cast.owner_email)
    make(people=f"alpha:{owner.pk}")
    template = Template(
        '{% load feature_flags %}{% flag_active "new-board" as on %}{% if on %}new{% else %}old{% endif %}'
    )

    def render(tenant, user) -> str:
        request = RequestFactory().get("/")
        request.tenant, request.user = tenant, user
        return template.render(Context({"request": request}))

    assert render(cast.tenant_a, owner) == "new"
    assert render(cast.tenant_a, person("alpha", cast.member_email)) == "old"
    assert render(cast.tenant_b, Someone(owner.pk)) == "old"


def test_a_change_in_this_process_is_seen_at_once(cast) -> None:
    flag = make(percent=0)
    owner = person("alpha", cast.owner_email)
    assert flag_active("new-board", tenant=cast.tenant_a, user=owner) is False
    flag.tenants.add(cast.tenant_a)  # the signal forgets the cached flags
    assert flag_active("new-board", tenant=cast.tenant_a, user=owner) is True


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ("alpha:0", "Line 1: write a person as"),
        ("alpha:3\nalpha-7", "Line 2: write a person as"),
        ("nowhere:5", "no tenant has the schema"),
    ],
)
def test_admin_refuses_a_malformed_person_line_in_the_field(cast, people, message) -> None:
    client = staff_client_make()
    form = {"name": "new-board", "description": "", "enabled": "on", "people": people, "percent": "10", "_save": "Save"}

    response = client.post("/admin/analytics/featureflag/add/", form)

    assert response.status_code == 200
    assert message in field_error(response.content.decode(), "people")
    assert not FeatureFlag.objects.exists()


def test_admin_saves_a_flag_for_a_tenant_and_a_share(cast) -> None:
    client = staff_client_make()
    form = {
        "name": "new-board",
        "description": "The board with swimlanes",
        "enabled": "on",
        "tenants": [cast.tenant_b.pk],
        "people": "alpha:3\n\n",
        "percent": "10",
        "_save": "Save",
    }

    response = client.post("/admin/analytics/featureflag/add/", form)

    assert response.status_code == 302, response.content.decode()
    flag = FeatureFlag.objects.get()
    assert (flag.people, flag.percent, list(flag.tenants.all())) == ("alpha:3", 10, [cast.tenant_b])
    assert client.post("/admin/analytics/featureflag/add/", form | {"name": "x", "percent": "101"}).status_code == 200
