"""Sign-in lockout on every host, built on django-axes: per account and, separately, per IP address.

Accounts are named so that the same e-mail in two tenants is two accounts: ``"<schema>:<email>"`` for users (staff
are ``"public:<email>"``) and ``"licensee-key:<key prefix>"`` for the licensee key sign-in, which has no Django user
and records its attempts through :func:`attempt_refused` / :func:`attempt_failed` / :func:`attempt_succeeded` (axes'
handler API). The two-factor code step uses the same three with the user's account name.

Axes keeps its ``AccessAttempt`` rows in the public schema only (a shared app); on a tenant host the connection's
search path (``<tenant>, public``) reaches them. An account locks after ``LOGIN_FAILURES_PER_ACCOUNT`` failures, an
address after ``LOGIN_FAILURES_PER_IP`` (more: offices and universities share one address), each for
``LOGIN_LOCKOUT_MINUTES`` after the failure that locked it. Failures during a lockout are not counted, so the time
left shown stays true. Staff unlock in admin (accounts/admin_lockout.py) or with ``manage.py axes_reset_username``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts.models import email_normalize

LICENSEE_ACCOUNT_PREFIX = "licensee-key:"
ACCOUNT_CREDENTIAL = "cvplus_account"  # a credentials entry naming an account already qualified by the caller
_ACCOUNT_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length


def user_account(email: str, *, schema: str | None = None) -> str:
    """``"<schema>:<email>"`` for the current (or given) schema; hashed when it would not fit axes' column."""
    schema = schema or connection.schema_name
    name = f"{schema}:{email_normalize(email)}"
    if len(name) > _ACCOUNT_MAX_LENGTH:
        name = f"{schema}:sha256:{hashlib.sha256(email_normalize(email).encode()).hexdigest()}"
    return name


def licensee_account(raw_key: str) -> str:
    """The key's prefix (``cvp_live_ab12cd34``): its public part, so guesses at one licensee's key share a count."""
    from billing.api_keys import PREFIX_LENGTH

    return LICENSEE_ACCOUNT_PREFIX + raw_key.strip()[:PREFIX_LENGTH]


def account_name(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account a sign-in attempt is for."""
    credentials = credentials or {}
    if credentials.get(ACCOUNT_CREDENTIAL):
        return credentials[ACCOUNT_CREDENTIAL]
    raw = credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return user_account(raw) if raw else None


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE, and the API throttles' identity: DRF's NUM_PROXIES rule with TRUSTED_PROXY_COUNT."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUSTED_PROXY_COUNT and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        candidate = addresses[-min(settings.TRUSTED_PROXY_COUNT, len(addresses))]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits (account and IP address) and a reset that forgets only the signed-in
    account's failures from this address: axes' own reset would also clear the address's failures against other
    accounts, so signing in to one's own account between guesses would lift the per-address limit."""

    def _failures_and_limits(self, request: HttpRequest, credentials: dict | None) -> list[tuple[list, int]]:
        """[(the account's recent attempts, its limit), (the address's recent attempts, its limit)]."""
        by_account, by_ip = self.get_user_attempts(request, credentials)  # in AXES_LOCKOUT_PARAMETERS' order
        return [
            (list(by_account.values_list("attempt_time", "failures_since_start")), settings.LOGIN_FAILURES_PER_ACCOUNT),
            (list(by_ip.values_list("attempt_time", "failures_since_start")), settings.LOGIN_FAILURES_PER_IP),
        ]

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Axes compares one number with one limit (AXES_FAILURE_LIMIT, the account's): the address's count is scaled
        so that it reaches that limit exactly when it reaches LOGIN_FAILURES_PER_IP."""
        (account_rows, _), (ip_rows, ip_limit) = self._failures_and_limits(request, credentials)
        by_account = sum(failures for _, failures in account_rows)
        by_ip = sum(failures for _, failures in ip_rows)
        return max(by_account, by_ip * settings.LOGIN_FAILURES_PER_ACCOUNT // ip_limit)

    def unlock_at(self, request: HttpRequest, credentials: dict | None = None) -> datetime | None:
        """When the lockout on this request's account or address ends, or None when neither is locked. Attempts
        leave the count a cool-off after their last failure, oldest first."""
        cool_off = get_cool_off(request) or timedelta(0)
        ends = []
        for rows, limit in self._failures_and_limits(request, credentials):
            total = sum(failures for _, failures in rows)
            end = None
            for attempt_time, failures in sorted(rows):
                if total < limit:
                    break
                total -= failures
                end = attempt_time + cool_off
            if end is not None:
                ends.append(end)
        return max(ends, default=None)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=user_account(user.get_username()), ip_address=request.axes_ip_address
        ).delete()


def _handler() -> LockoutHandler:
    return AxesProxyHandler.get_implementation()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a 429 page in the request's language with the time left, and Retry-After."""
    AxesProxyHandler.update_request(request)
    unlock_at = _handler().unlock_at(request, credentials) or timezone.now() + get_cool_off(request)
    seconds_left = max(1, math.ceil((unlock_at - timezone.now()).total_seconds()))
    response = TemplateResponse(
        request,
        "accounts/locked_out.html",
        {"minutes_left": math.ceil(seconds_left / 60), "unlock_at": unlock_at, "retry_path": request.path},
        status=429,
    )
    response["Retry-After"] = str(seconds_left)
    return response.render()


def attempt_refused(request: HttpRequest, *, account: str) -> HttpResponse | None:
    """The lockout page when the account or this address is locked, else None. Call before checking the secret."""
    credentials = {ACCOUNT_CREDENTIAL: account}
    if not settings.AXES_ENABLED or AxesProxyHandler.is_allowed(request, credentials):
        return None
    return lockout_response(request, None, credentials)


def attempt_failed(request: HttpRequest, *, account: str) -> None:
    """Counts a failed attempt. The failure that reaches a limit marks the request, and axes' middleware answers it
    with the lockout page whatever the view returned."""
    AxesProxyHandler.user_login_failed(sender=__name__, credentials={ACCOUNT_CREDENTIAL: account}, request=request)


def attempt_succeeded(request: HttpRequest, *, account: str) -> None:
    """Forgets this account's failures from this address (as a successful sign-in of a user does)."""
    AxesProxyHandler.update_request(request)
    AccessAttempt.objects.filter(username=account, ip_address=request.axes_ip_address).delete()


def attempts_forget(email: str) -> int:
    """Erasure: deletes the sign-in attempts recorded against this account of the current schema (they name its
    address). Attempts by address alone stay: they name no one."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    name = user_account(email)
    return sum(
        model.objects.filter(username=name).delete()[0] for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def attempts_expired_delete(*, now: datetime | None = None) -> int:
    """Deletes failed sign-in attempts older than the lockout they could count toward (the privacy notice promises
    it): axes itself only forgets them when the same account or address tries again. Runs in public, where they are."""
    from axes.models import AccessAttempt, AccessFailureLog

    cutoff = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
        + (AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0])
    )
