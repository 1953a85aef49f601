"""Bearer tokens for the organisation API (issue 13, item 6): created by an administrator, shown once, kept hashed.

A token looks like ``cvo_ab12cd34_<43 random characters>`` (cvplus/secret_tokens.py, the same scheme as licensee
API keys). Its row lives in the organisation's own schema, so a token only ever authenticates on its organisation's
host: on any other host the row does not exist. A token acts as the administrator who created it, and stops working
when it is revoked or when that person is no longer an active administrator.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cvplus.secret_tokens import last_used_record, secret_hash, secret_new, secret_prefix_new
from portal import access
from portal.models import ApiToken
from tenants.context import require_tenant_schema

TOKEN_KIND = "cvo_"  # noqa: S105 - how every token starts, not a secret
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def _require_manager(user: User) -> None:
    if not access.is_enterprise() or not access.can_manage_integrations(user):
        raise Http404


def api_tokens_list(*, viewer: User) -> QuerySet[ApiToken]:
    """Every token of the organisation, newest first, with its creator (administrators only)."""
    _require_manager(viewer)
    return ApiToken.objects.select_related("created_by").order_by("revoked_at", "-created_at")


def api_token_create(*, by: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is returned only here: show it once, never store it."""
    require_tenant_schema()
    _require_manager(by)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name that says where it is used, such as “HR dashboard”.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Keep the name to %(limit)d characters or fewer.") % {"limit": NAME_MAX_LENGTH}
    if scope not in ApiToken.Scope.values:
        errors["scope"] = _("Choose read, or read and write.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prefix = secret_prefix_new(TOKEN_KIND)
        secret = secret_new(prefix)
        token = ApiToken.objects.create(
            name=name, prefix=prefix, token_hash=secret_hash(secret), scope=scope, created_by=by
        )
    return token, secret


def api_token_get(*, viewer: User, pk: int) -> ApiToken:
    """The organisation's token `pk` for an administrator, else ``Http404``."""
    token = api_tokens_list(viewer=viewer).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revokes the token from now on (idempotent: a revoked token keeps its first revocation time)."""
    _require_manager(by)
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The live token whose secret is `raw`, with its creator, in the current schema; None for anything else: a
    malformed, unknown (another organisation's included), revoked token, or one whose creator is no longer an active
    administrator. Records the use at most once a minute."""
    if not raw or not raw.startswith(TOKEN_KIND) or len(raw) > 100:
        return None
    require_tenant_schema()
    # Found by the hash of the whole secret (unique index): a lookup by equality reveals nothing usable, since the
    # caller cannot choose the hash it makes us compare.
    token = ApiToken.objects.select_related("created_by").filter(token_hash=secret_hash(raw)).first()
    if token is None or token.revoked_at is not None:
        return None
    if token.created_by is None or not access.can_manage_integrations(token.created_by):
        return None
    last_used_record(token)
    return token
