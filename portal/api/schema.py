"""drf-spectacular hooks (cvplus/settings/base.py): the organisation API appears in the tenant API's schema and docs
on enterprise hosts only, described there with its bearer token and its webhooks (how to verify a signature)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from portal import access
from portal.api.base import ORGANISATION_TAG

ORGANISATION_PATH = "/api/v1/org/"

VERIFY_EXAMPLE = """```python
import hashlib, hmac, time

def cvplus_signature_valid(body: bytes, header: str, secret: str, tolerance_s: int = 300) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    signed = parts["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) <= tolerance_s
    return fresh and hmac.compare_digest(expected, parts["v1"])
```"""


def organisation_paths_on_enterprise_hosts_only(endpoints: list[tuple]) -> list[tuple]:
    """Drops /api/v1/org/ from the schema served on a consumer host (where those paths answer 404). Without a tenant
    (``manage.py spectacular``) every path stays."""
    if connection.schema_name == get_public_schema_name() or access.is_enterprise():
        return endpoints
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(ORGANISATION_PATH)]


def organisation_api_described(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Adds the organisation API's and its webhooks' description when the schema holds the organisation API."""
    if not any(path.startswith(ORGANISATION_PATH) for path in result.get("paths", {})):
        return result
    sections = [
        result["info"].get("description", ""),
        "## " + _("Organisation API"),
        _(
            "The endpoints under /api/v1/org/ serve an organisation's administrators, coaches and analysts on the "
            "organisation's own host. Send an API token that an administrator created under Programme → API tokens "
            "as “Authorization: Bearer cvo_…”, or call them from a signed-in session. A token acts as the "
            "administrator who created it; a read token may only read. Anything the caller may not reach (another "
            "organisation's data, a member who is not theirs, applications a member does not share) answers 404."
        ),
        "## " + _("Webhooks"),
        _(
            "Administrators add webhook endpoints under Programme → Webhooks and choose their events: member.joined, "
            "application.stage_changed (each time an application enters a stage, including when it is created) and "
            "offer.accepted. Application events are sent only for members who share their applications. Each event "
            "is a POST with a JSON body {“id”, “type”, “created”, “data”} and the headers CVPlus-Event, "
            "CVPlus-Delivery and CVPlus-Signature."
        ),
        _(
            "Any 2xx answer within 5 seconds counts as delivered; redirects are not followed. Otherwise the delivery "
            "is tried again after about 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours, then marked as failed. "
            "The delivery log shows every attempt and can replay a delivery: a replay carries the same event id, so "
            "use the id to skip events you have already handled."
        ),
        "### " + _("Verifying a signature"),
        _(
            "CVPlus-Signature looks like t=1767225600,v1=5257a869…. Compute the HMAC-SHA256 of the timestamp t, a "
            "full stop and the raw request body exactly as received, keyed with the endpoint's signing secret "
            "(whsec_…), as lowercase hexadecimal; compare it with v1 in constant time; and refuse a timestamp more "
            "than five minutes away from your clock, so that a captured request cannot be replayed later. For "
            "example:"
        ),
        VERIFY_EXAMPLE,
    ]
    result["info"]["description"] = "\n\n".join(section for section in sections if section)
    tags = result.setdefault("tags", [])
    tags.append({"name": ORGANISATION_TAG, "description": _("The organisation API (enterprise hosts).")})
    return result
