"""The organisation the integrations tests start from, in gamma (the enterprise tenant): an administrator, two
coaches, an analyst, and three members: Mia (Carl's, shares her applications), Tomás (Olga's) and Priv (Carl's, keeps
her applications to herself). Created inside each test's transaction, so nothing outlives the test."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client as HttpClient

from accounts.models import User
from accounts.services import user_create
from portal.models import ApiToken, Cohort, Membership
from portal.tokens import api_token_create
from tests.conftest import ENTERPRISE_HOST, PASSWORD, login
from tracking import services
from tracking.models import Application, Stage


@dataclass
class Organisation:
    admin: User
    coach: User
    other_coach: User
    analyst: User
    mine: User
    theirs: User
    private: User
    cohort: Cohort
    application: Application  # Mia's, applied then screening


def person(email: str, full_name: str, role: str = User.Role.MEMBER) -> User:
    return user_create(email=email, password=PASSWORD, full_name=full_name, role=role)


def application_for(
    member: User, *, title: str, company: str, industry: str, country: str, stage: str = Stage.APPLIED, at=None
) -> Application:
    posting = services.posting_create(owner=member, title=title, company=company, industry=industry, country=country)
    return services.application_create(owner=member, posting=posting, stage=stage, at=at)


def organisation_build() -> Organisation:
    """Call inside ``schema_context("gamma")``."""
    admin = person("ines.moreau@gamma.example", "Inès Moreau", User.Role.ADMINISTRATOR)
    coach = person("carl.brandt@gamma.example", "Carl Brandt", User.Role.COACH)
    other_coach = person("olga.nowak@gamma.example", "Olga Nowak", User.Role.COACH)
    analyst = person("anna.lindqvist@gamma.example", "Anna Lindqvist", User.Role.ANALYST)
    cohort = Cohort.objects.create(name="Herbst 2026")
    mine = person("mia.schulz@gamma.example", "Mia Schulz")
    theirs = person("tomas.ortega@gamma.example", "Tomás Ortega")
    private = person("priya.nair@gamma.example", "Priya Nair")
    Membership.objects.create(user=mine, coach=coach, cohort=cohort)
    Membership.objects.create(user=theirs, coach=other_coach, cohort=cohort)
    Membership.objects.create(user=private, coach=coach, share_applications=False)
    application = application_for(
        mine, title="Data Analyst", company="Rheinmetall Digital", industry="technology", country="DE"
    )
    services.application_move(application=application, to_stage=Stage.SCREENING, by=mine)
    application_for(private, title="Controller", company="Bosch", industry="finance-insurance", country="DE")
    application_for(theirs, title="UX Designer", company="Zalando", industry="technology", country="DE")
    return Organisation(admin, coach, other_coach, analyst, mine, theirs, private, cohort, application)


def signed_in(email: str) -> HttpClient:
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, email)
    return client


def token_client(
    admin: User, *, scope: str = ApiToken.Scope.READ_WRITE, host: str = ENTERPRISE_HOST
) -> tuple[HttpClient, ApiToken]:
    """A client that sends a new token of `admin`'s (call inside gamma's schema)."""
    token, secret = api_token_create(by=admin, name="HR dashboard", scope=scope)
    return HttpClient(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {secret}"), token
