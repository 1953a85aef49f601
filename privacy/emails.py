"""E-mails about a person's data, in their own language (else their organisation's), with links built from the
tenant's primary domain (tenants.links), never from a request's Host."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from privacy.notice import ERASURE_DEADLINE_HOURS
from tenants.context import current_tenant
from tenants.links import tenant_absolute_url
from tenants.locale import member_language

logger = logging.getLogger(__name__)


def erasure_confirmation_send(*, user: User, by_administrator: bool) -> bool:
    """Tells ``user`` their account is closed and what is erased and kept. Sent once the request is committed; a
    failure to send is logged and never stops the erasure. Returns whether it was sent."""
    tenant = current_tenant()
    with translation.override(member_language(user, tenant)):
        context = {
            "organisation": tenant.name,
            "by_administrator": by_administrator,
            "hours": ERASURE_DEADLINE_HOURS,
            "requested_on": timezone.localdate(),
            "notice_url": tenant_absolute_url(tenant, reverse("privacy:notice")),
        }
        subject = render_to_string("privacy/email/account_erasure_subject.txt", context).strip()
        body = render_to_string("privacy/email/account_erasure.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:  # noqa: BLE001 - the erasure goes on whatever the mail server says
        logger.exception("privacy: the erasure confirmation e-mail could not be sent")
        return False
    return True
