"""The access rules every portal view and API endpoint asks (portal/access.py)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from portal import access
from portal.models import Membership, OrganisationSettings
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def _person(email: str, role: str) -> User:
    user, _created = user_ensure(email=email, password=PASSWORD, full_name=email.split("@")[0].title(), role=role)
    return user


def test_each_role_reaches_what_the_table_says(cast):
    with schema_context("gamma"):
        admin = _person("ines.admin@gamma.example", User.Role.ADMINISTRATOR)
        coach = _person("carl.coach@gamma.example", User.Role.COACH)
        other_coach = _person("olga.coach@gamma.example", User.Role.COACH)
        analyst = _person("anna.analyst@gamma.example", User.Role.ANALYST)
        mine = _person("mia.member@gamma.example", User.Role.MEMBER)
        theirs = _person("tom.member@gamma.example", User.Role.MEMBER)
        Membership.objects.create(user=mine, coach=coach, share_cv=False)
        Membership.objects.create(user=theirs, coach=other_coach)

        assert set(access.members_visible(admin)) >= {mine, theirs}
        assert list(access.members_visible(coach)) == [mine]
        assert list(access.members_visible(analyst)) == []
        assert list(access.members_visible(mine)) == []
        with pytest.raises(Http404):
            access.member_get(coach, theirs.pk)
        with pytest.raises(Http404):
            access.member_get(analyst, mine.pk)

        assert access.shared_with(coach, mine) == access.Shared(applications=True, cv=False, notes=False)
        assert access.shared_with(coach, theirs) == access.NOTHING
        assert access.shared_with(analyst, mine) == access.NOTHING
        assert access.shared_with(mine, mine) == access.EVERYTHING

        settings_row = OrganisationSettings.current()
        settings_row.coaches_see_all_members = True
        settings_row.save()
        assert set(access.members_visible(coach)) >= {mine, theirs}
        assert access.shared_with(coach, theirs).applications

        assert access.can_see_outcomes(analyst)
        assert not access.can_coach(analyst)
        assert access.can_manage_members(admin)
        assert not access.can_manage_members(coach)
        assert not access.can_see_outcomes(mine)


def test_the_portal_is_a_404_on_the_consumer_site_and_for_strangers(cast, client_a, enterprise_client):
    login(client_a, cast.owner_email)
    assert client_a.get("/portal/").status_code == 404
    assert enterprise_client.get("/portal/").status_code == 302  # to sign in
    login(enterprise_client, cast.enterprise_email)
    assert enterprise_client.get("/portal/").status_code == 200
