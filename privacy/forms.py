from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class PasswordConfirmForm(forms.Form):
    """A destructive action is confirmed with the password of whoever does it."""

    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Nothing was erased."))
        return password


class TenantEraseForm(PasswordConfirmForm):
    """Staff erase a tenant by typing its schema name (no slip of the mouse erases the wrong one) and their password."""

    schema_name = forms.CharField(label=_("Type the tenant's schema name"), max_length=63)

    field_order = ["schema_name", "password"]

    def __init__(self, *args, user: User, expected_schema: str, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.expected_schema = expected_schema

    def clean_schema_name(self) -> str:
        typed = self.cleaned_data["schema_name"].strip()
        if typed != self.expected_schema:
            raise forms.ValidationError(_("This is not the schema name of this tenant. Nothing was erased."))
        return typed
