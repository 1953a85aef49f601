from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User, email_normalize


class SignupForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = email_normalize(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class EmailAuthenticationForm(AuthenticationForm):
    def clean_username(self) -> str:
        return email_normalize(self.cleaned_data.get("username", ""))


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "language")
