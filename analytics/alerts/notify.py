"""E-mails for firings and resolutions, one per recipient in the recipient's language.

Recipients: the rule's staff addresses (in the language of the staff account with that address, else the site's),
and for a tenant's rule that organisation's administrators (active users with the administrator role in its schema,
each in their own language, else the organisation's).

Each notice is claimed before it is sent (a conditional UPDATE of ``fire_notified_at`` / ``resolve_notified_at``), so
two evaluators never send it twice; a send that fails gives the claim back and the next run tries again. A process
that dies between the claim and the send loses that notice (the firing itself stays in admin and the portal).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tenants.utils import schema_context

from accounts.models import User
from analytics.alerts.display import condition_text, metric_label, scope_text, value_text
from analytics.alerts.registry import metric_get
from analytics.models import AlertFiring
from tenants.context import public_schema_context
from tenants.links import TenantHasNoPrimaryDomain, tenant_absolute_url
from tenants.locale import member_language
from tenants.models import Client

logger = logging.getLogger(__name__)

FIRED, RESOLVED = "fired", "resolved"


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    link: str  # where this recipient sees the firing


def _staff_languages(addresses: list[str]) -> dict[str, str]:
    """The language of each staff account (public schema) with one of these addresses."""
    with public_schema_context():
        rows = list(User.objects.filter(is_staff=True, email__in=addresses).values_list("email", "language"))
    return {email: language for email, language in rows if language in dict(settings.LANGUAGES)}


def _public_link(path: str) -> str:
    public = Client.objects.filter(kind=Client.Kind.PUBLIC).first()
    try:
        return tenant_absolute_url(public, path) if public is not None else path
    except TenantHasNoPrimaryDomain:
        return path


def _organisation_administrators(tenant: Client) -> list[Recipient]:
    """The organisation's administrators, read in its own schema; none when it is not ready."""
    if not tenant.is_ready or tenant.erased_at is not None:
        return []
    try:
        link = tenant_absolute_url(tenant, reverse("portal:alerts", urlconf=settings.ROOT_URLCONF))
    except TenantHasNoPrimaryDomain:
        link = ""
    with schema_context(tenant.schema_name):
        administrators = list(User.objects.filter(role=User.Role.ADMINISTRATOR, is_active=True, is_staff=False))
    return [Recipient(user.email, member_language(user, tenant), link) for user in administrators]


def recipients_for(firing: AlertFiring) -> list[Recipient]:
    rule = firing.rule
    addresses = rule.staff_email_list()
    languages = _staff_languages(addresses)
    staff_link = _public_link(
        reverse("admin:analytics_alertfiring_change", args=[firing.pk], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    )
    recipients = [Recipient(email, languages.get(email, settings.LANGUAGE_CODE), staff_link) for email in addresses]
    if rule.tenant_id is not None:
        recipients += _organisation_administrators(rule.tenant)
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        unique.setdefault(recipient.email.casefold(), recipient)
    return list(unique.values())


def _message(firing: AlertFiring, event: str, recipient: Recipient) -> EmailMessage:
    rule = firing.rule
    metric = metric_get(rule.metric)
    with translation.override(recipient.language):
        at = firing.fired_at if event == FIRED else firing.resolved_at
        context = {
            "event": event,
            "name": rule.name,
            "metric": metric_label(rule.metric),
            "scope": scope_text(rule),
            "condition": condition_text(rule),
            "value": value_text(metric, firing.fired_value if event == FIRED else firing.resolved_value),
            "fired_value": value_text(metric, firing.fired_value),
            "at": formats.date_format(timezone.localtime(at), "DATETIME_FORMAT"),
            "fired_at": formats.date_format(timezone.localtime(firing.fired_at), "DATETIME_FORMAT"),
            "link": recipient.link,
        }
        subject = render_to_string("analytics/alerts/email/subject.txt", context).strip()
        body = render_to_string("analytics/alerts/email/body.txt", context)
    return EmailMessage(
        subject=subject, body=body, to=[recipient.email], headers={"Content-Language": recipient.language}
    )


def _claim(firing: AlertFiring, event: str, now) -> bool:
    field = "fire_notified_at" if event == FIRED else "resolve_notified_at"
    return AlertFiring.objects.filter(pk=firing.pk, **{f"{field}__isnull": True}).update(**{field: now}) == 1


def _unclaim(firing: AlertFiring, event: str, now) -> None:
    field = "fire_notified_at" if event == FIRED else "resolve_notified_at"
    AlertFiring.objects.filter(pk=firing.pk, **{field: now}).update(**{field: None})


def notice_send(firing: AlertFiring, event: str) -> int:
    """Sends one notice (``fired`` or ``resolved``) of ``firing`` to each recipient, once; returns the e-mails sent."""
    now = timezone.now()
    if not _claim(firing, event, now):
        return 0
    try:
        messages = [_message(firing, event, recipient) for recipient in recipients_for(firing)]
        if messages:
            get_connection().send_messages(messages)
    except (OSError, smtplib.SMTPException):
        _unclaim(firing, event, now)
        logger.warning("Alert %s e-mail of firing %s could not be sent; tried again next run", event, firing.pk)
        return 0
    return len(messages)


def notifications_send() -> int:
    """Every notice not sent yet, firings before resolutions; returns the e-mails sent."""
    pending = AlertFiring.objects.select_related("rule", "rule__tenant")
    sent = 0
    for firing in pending.filter(fire_notified_at__isnull=True).order_by("fired_at", "pk"):
        sent += notice_send(firing, FIRED)
    resolved = pending.filter(resolved_at__isnull=False, resolve_notified_at__isnull=True)
    for firing in resolved.exclude(fire_notified_at__isnull=True).order_by("resolved_at", "pk"):
        sent += notice_send(firing, RESOLVED)
    return sent
