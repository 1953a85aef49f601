"""Alert rules as people meet them: the organisation's portal page (its own tenant's rules only; anything else a 404),
staff admin (the open firings on the index, the open/resolved filter), the checks that name the field they refuse,
and the e-mails, each in its recipient's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from analytics.alerts.checks import alert_rule_check
from analytics.alerts.evaluation import FIRED, alerts_evaluate
from analytics.alerts.forms import StaffAlertRuleForm
from analytics.alerts.rules import alert_rule_save, organisation_overview
from analytics.models import AlertFiring, AlertRule
from tenants.models import Client
from tests.accounts.factories import StaffUserFactory
from tests.conftest import ENTERPRISE_HOST, PASSWORD, PUBLIC_HOST, login
from tests.portal.members_helpers import german
from tests.tracking.factories import ReminderFactory
from tracking.models import Reminder

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = "ada.admin@gamma.example"
STAFF_EMAIL = "oncall@cvplus.example"
T0 = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)


def person(email: str, role: str, language: str = "") -> User:
    with schema_context("gamma"):
        user = user_create(email=email, password=PASSWORD, full_name=email.split("@")[0], role=role)
        if language:
            User.objects.filter(pk=user.pk).update(language=language)
    return user


@pytest.fixture
def gamma_admin(cast) -> HttpClient:
    person(ADMIN_EMAIL, User.Role.ADMINISTRATOR)
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    assert login(client, ADMIN_EMAIL).status_code == 302
    return client


def rule(tenant: Client | None, name: str, *, organisation: bool = False, **fields) -> AlertRule:
    values = {
        "name": name,
        "metric": "reminder_backlog",
        "threshold": 5,
        "clear_threshold": 2,
        "window": 30,
        "tenant": tenant,
        "staff_emails": "" if organisation else STAFF_EMAIL,
    } | fields
    return alert_rule_save(rule=AlertRule(**values), organisation=organisation)


def overdue_reminders(schema: str, count: int) -> None:
    with schema_context(schema):
        Reminder.objects.all().delete()  # rolled back with the test
        for _ in range(count):
            ReminderFactory(due_at=timezone.now() - timedelta(hours=2))


# ---------------------------------------------------------------------------------------------------------------------
# The portal: the organisation's own rules only
# ---------------------------------------------------------------------------------------------------------------------
def test_an_administrator_sees_their_organisations_rules_and_no_one_elses(cast, gamma_admin) -> None:
    rule(cast.enterprise, "Gamma reminders behind", organisation=True)
    rule(cast.enterprise, "Gamma latency watched by staff", metric="prediction_latency_p99_ms", threshold=900)
    rule(cast.tenant_a, "Alpha reminders behind")
    rule(None, "Platform reminders behind")

    page = gamma_admin.get("/portal/alerts/").content.decode()

    assert "Gamma reminders behind" in page
    assert "Gamma latency watched by staff" in page
    assert german("Set by CVPlus staff.") in page
    assert "Alpha reminders behind" not in page
    assert "Platform reminders behind" not in page
    assert STAFF_EMAIL not in page


def test_it_returns_404_for_another_tenants_rule(cast, gamma_admin) -> None:
    alphas = rule(cast.tenant_a, "Alpha reminders behind", organisation=True)

    edit = gamma_admin.get(f"/portal/alerts/{alphas.pk}/edit/")
    change = gamma_admin.post(f"/portal/alerts/{alphas.pk}/edit/", {"name": "Taken over", "metric": "reminder_backlog"})
    delete = gamma_admin.post(f"/portal/alerts/{alphas.pk}/delete/")

    assert (edit.status_code, change.status_code, delete.status_code) == (404, 404, 404)
    assert "Alpha reminders behind" not in edit.content.decode()
    assert AlertRule.objects.get(pk=alphas.pk).name == "Alpha reminders behind"


def test_a_staff_rule_on_the_organisation_is_shown_but_cannot_be_changed_there(cast, gamma_admin) -> None:
    staffs = rule(cast.enterprise, "Gamma latency watched by staff", metric="prediction_latency_p99_ms", threshold=900)

    assert gamma_admin.get(f"/portal/alerts/{staffs.pk}/edit/").status_code == 404
    assert gamma_admin.post(f"/portal/alerts/{staffs.pk}/delete/").status_code == 404
    assert AlertRule.objects.filter(pk=staffs.pk).exists()


def test_a_coach_does_not_reach_the_alerts(cast) -> None:
    person("cora.coach@gamma.example", User.Role.COACH)
    client = HttpClient(HTTP_HOST=ENTERPRISE_HOST)
    login(client, "cora.coach@gamma.example")

    assert client.get("/portal/alerts/").status_code == 404
    assert client.post("/portal/alerts/new/", {}).status_code == 404


def test_an_administrator_adds_changes_and_deletes_a_rule(cast, gamma_admin) -> None:
    form = {
        "name": "Reminders behind",
        "metric": "reminder_backlog",
        "comparison": "above",
        "threshold": "5",
        "clear_threshold": "2",
        "window": "",
        "consecutive_breaches": "3",
        "enabled": "on",
    }

    assert gamma_admin.post("/portal/alerts/new/", form).status_code == 302
    added = AlertRule.objects.get(name="Reminders behind")
    assert (added.tenant_id, added.managed_by, added.window) == (cast.enterprise.pk, "organisation", 30)
    assert added.staff_emails == ""

    assert gamma_admin.post(f"/portal/alerts/{added.pk}/edit/", form | {"threshold": "8"}).status_code == 302
    assert AlertRule.objects.get(pk=added.pk).threshold == 8

    assert gamma_admin.post(f"/portal/alerts/{added.pk}/delete/").status_code == 302
    assert not AlertRule.objects.filter(pk=added.pk).exists()


def test_an_organisation_cannot_set_a_rule_on_a_platform_metric(cast, gamma_admin) -> None:
    response = gamma_admin.post(
        "/portal/alerts/new/",
        {
            "name": "Stripe",
            "metric": "stripe_events_failed",
            "comparison": "above",
            "threshold": "0",
            "consecutive_breaches": "1",
        },
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["metric"]
    assert not AlertRule.objects.filter(name="Stripe").exists()


def test_a_firing_shows_on_the_portal_page(cast, gamma_admin) -> None:
    watched = rule(cast.enterprise, "Gamma reminders behind", organisation=True)
    overdue_reminders("gamma", 7)
    seven = "7\u00a0" + german("reminders")

    assert alerts_evaluate(now=T0).outcomes[watched.pk] == FIRED

    page = gamma_admin.get("/portal/alerts/").content.decode()  # in gamma's German
    assert page.count(german("firing")) >= 1
    assert german("Firing since %(at)s (UTC), with %(value)s.", at="5. März 2026 14:00", value=seven) in page
    assert german("Fired %(at)s (UTC) with %(value)s.", at="5. März 2026 14:00", value=seven) in page


def test_the_portal_page_reads_its_rules_and_firings_in_three_queries(cast, django_assert_num_queries) -> None:
    for index in range(4):
        watched = rule(cast.enterprise, f"Rule {index}", organisation=index % 2 == 0)
        firing_of(watched, resolved=index < 2)

    with django_assert_num_queries(3):
        rows, recent = organisation_overview(cast.enterprise)

    assert [row.rule.name for row in rows] == ["Rule 0", "Rule 1", "Rule 2", "Rule 3"]
    assert [row.open_firing is not None for row in rows] == [False, False, True, True]
    assert len(recent) == 4


def test_the_portal_home_links_the_alerts_for_administrators(cast, gamma_admin) -> None:
    assert 'href="/portal/alerts/"' in gamma_admin.get("/portal/").content.decode()


# ---------------------------------------------------------------------------------------------------------------------
# Checks: each refusal names its field
# ---------------------------------------------------------------------------------------------------------------------
def staff_form(**fields) -> StaffAlertRuleForm:
    data = {
        "name": "Rule",
        "metric": "prediction_latency_p99_ms",
        "comparison": "above",
        "threshold": "1500",
        "clear_threshold": "",
        "window": "15",
        "consecutive_breaches": "1",
        "staff_emails": STAFF_EMAIL,
        "enabled": "on",
    } | fields
    return StaffAlertRuleForm(data)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"clear_threshold": "1800"},
            "clear_threshold",
            "A rule that fires above 1500 resolves below it: the clear threshold must be at most 1500.",
        ),
        (
            {"comparison": "below", "threshold": "70", "clear_threshold": "65"},
            "clear_threshold",
            "A rule that fires below 70 resolves above it: the clear threshold must be at least 70.",
        ),
        ({"window": "5000"}, "window", "The window of “p99 prediction latency” is between 1 and 1440 minutes."),
        ({"metric": "stripe_events_failed", "window": "60", "tenant": "gamma"}, "tenant", None),
        ({"staff_emails": ""}, "staff_emails", "A platform-wide rule needs at least one staff e-mail address."),
        ({"staff_emails": "oncall@cvplus.example\nnot-an-address"}, "staff_emails", None),
        ({"consecutive_breaches": "0"}, "consecutive_breaches", None),
        ({"metric": "no_such_metric"}, "metric", None),
    ],
)
def test_a_refused_rule_names_the_field(cast, fields, field, message) -> None:
    if fields.get("tenant") == "gamma":
        fields = fields | {"tenant": str(cast.enterprise.pk)}

    form = staff_form(**fields)

    assert not form.is_valid()
    assert list(form.errors) == [field]
    if message is not None:
        assert form.errors[field] == [message]


def test_the_staff_form_saves_a_valid_rule_with_the_metrics_default_window(cast) -> None:
    form = staff_form(window="", clear_threshold="1000")

    assert form.is_valid(), form.errors
    assert form.save().window == 15


def test_the_check_refuses_an_unknown_metric_by_name(cast) -> None:
    with pytest.raises(ValidationError) as refused:
        alert_rule_check(AlertRule(name="x", metric="psi_maximum", threshold=1, staff_emails=STAFF_EMAIL))

    assert refused.value.message_dict == {"metric": ["Unknown metric “psi_maximum”: choose one from the list."]}


# ---------------------------------------------------------------------------------------------------------------------
# Staff admin
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def staff_client(cast) -> HttpClient:
    StaffUserFactory(email="ines.staff@cvplus.example")
    client = HttpClient(HTTP_HOST=PUBLIC_HOST)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ines.staff@cvplus.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def firing_of(watched: AlertRule, *, resolved: bool) -> AlertFiring:
    return AlertFiring.objects.create(
        rule=watched,
        fired_at=T0,
        fired_value=9,
        comparison=watched.comparison,
        threshold=watched.threshold,
        resolved_at=T0 + timedelta(minutes=5) if resolved else None,
        resolved_value=1 if resolved else None,
        fire_notified_at=T0,
    )


def test_the_admin_index_lists_the_open_firings(cast, staff_client) -> None:
    firing_of(rule(cast.tenant_a, "Alpha reminders behind"), resolved=False)
    firing_of(rule(None, "Platform reminders behind"), resolved=True)

    page = staff_client.get("/admin/").content.decode()

    assert "Open alerts" in page
    assert "Alpha reminders behind" in page
    assert "Platform reminders behind" not in page
    assert "Alerts last evaluated" in page


def test_the_firings_list_filters_open_ones(cast, staff_client) -> None:
    firing_of(rule(cast.tenant_a, "Alpha reminders behind"), resolved=False)
    firing_of(rule(None, "Platform reminders behind"), resolved=True)

    page = staff_client.get("/admin/analytics/alertfiring/?status=open").content.decode()

    assert "Alpha reminders behind" in page
    assert "Platform reminders behind" not in page


def test_the_admin_refuses_a_rule_naming_the_field(cast, staff_client) -> None:
    response = staff_client.post(
        "/admin/analytics/alertrule/add/",
        {
            "name": "Slow",
            "metric": "prediction_latency_p99_ms",
            "comparison": "above",
            "threshold": "1500",
            "clear_threshold": "1800",
            "window": "15",
            "consecutive_breaches": "1",
            "staff_emails": STAFF_EMAIL,
            "enabled": "on",
            "firings-TOTAL_FORMS": "0",
            "firings-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["clear_threshold"]
    assert not AlertRule.objects.filter(name="Slow").exists()


# ---------------------------------------------------------------------------------------------------------------------
# E-mails in the recipient's language
# ---------------------------------------------------------------------------------------------------------------------
def test_each_recipient_gets_the_email_in_their_own_language(cast) -> None:
    """Gamma's default language is German. Administrators: one who chose French, one who chose nothing (German); a
    coach gets nothing. Staff: an account that chose Japanese, and an address without an account (English)."""
    person("ada@gamma.example", User.Role.ADMINISTRATOR, language="fr")
    person("bo@gamma.example", User.Role.ADMINISTRATOR)
    person("cy@gamma.example", User.Role.COACH)
    StaffUserFactory(email="ja.staff@cvplus.example", language="ja")
    watched = rule(cast.enterprise, "Rappels en retard", staff_emails="ja.staff@cvplus.example\noncall@cvplus.example")
    overdue_reminders("gamma", 7)

    assert alerts_evaluate(now=T0).outcomes[watched.pk] == FIRED

    sent = {message.to[0]: message for message in mail.outbox}
    assert sorted(sent) == ["ada@gamma.example", "bo@gamma.example", "ja.staff@cvplus.example", "oncall@cvplus.example"]
    expected = {
        "ada@gamma.example": ("fr", "5 mars 2026 14:00"),
        "bo@gamma.example": ("de", "5. März 2026 14:00"),
        "ja.staff@cvplus.example": ("ja", "2026年3月5日14:00"),
        "oncall@cvplus.example": ("en", "March 5, 2026, 2 p.m."),
    }
    for address, (language, fired_at) in expected.items():
        assert sent[address].extra_headers["Content-Language"] == language
        assert fired_at in sent[address].body
    assert "http://gamma.localhost/portal/alerts/" in sent["bo@gamma.example"].body
    firing = AlertFiring.objects.get(rule=watched)
    assert f"http://localhost/admin/analytics/alertfiring/{firing.pk}/change/" in sent["oncall@cvplus.example"].body
