"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and single-use recovery codes (a static device).

Devices live beside their user: staff in public, everyone else in their tenant's schema, so these functions work on
the current schema. Enrolment creates an unconfirmed TOTP device; a correct code confirms it, removes any other
TOTP device of the user and issues fresh recovery codes, which are returned once and never shown again. Both kinds of
device back off after wrong codes (django-otp's throttling); the sign-in views also count wrong codes towards the
account's lockout (accounts/lockout.py).
"""

from __future__ import annotations

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

TOTP_DEVICE_NAME = "authenticator app"
RECOVERY_DEVICE_NAME = "recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")


def two_factor_enabled(user: User) -> bool:
    """True when the user signs in with a code: they have a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created on first call: a reload shows the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The enrolment link as an inline SVG QR code, drawn here: no image request, no data: URI, no script."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, light="#fff", title=title)


def two_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the pending device with a code from the app. Returns the new recovery codes, or None for a wrong
    code."""
    with transaction.atomic():
        if device.user_id != user.pk or not device.verify_token(_normalised(token)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_regenerate(user=user)


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replaces the user's recovery codes with TWO_FACTOR_RECOVERY_CODES new ones; the old ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_disable(*, user: User) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code``: six digits go to the authenticator app, anything else is tried as a
    recovery code (used up by this call). None when nothing accepts it, or the device is backing off."""
    code = _normalised(code)
    if not code:
        return None
    model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def _normalised(code: str) -> str:
    """Codes are read as typed or pasted: spaces and dashes ignored, recovery codes in any case."""
    return re.sub(r"[\s-]", "", code or "").lower()[:32]
