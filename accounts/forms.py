from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User, email_normalize
from analytics.forms_beta import InvitationCodeField
from privacy.notice import NOTICE_VERSION
from tenants.context import current_tenant
from tenants.links import tenant_absolute_url, tenant_primary_domain
from tenants.locale import member_language


class PrivacyConsentFields(forms.Form):
    """The privacy-notice consent every new account gives, with the version of the notice shown: on sign-up here and
    when an invitation to an organisation's portal is accepted (portal/forms_members.py)."""

    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that CVPlus keeps my data as it describes."),
        error_messages={"required": _("To create an account, accept the privacy notice.")},
    )
    notice_version = forms.CharField(widget=forms.HiddenInput, initial=NOTICE_VERSION)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("privacy:notice"),
            _("Read the privacy notice"),
        )

    def clean_notice_version(self) -> str:
        if self.cleaned_data["notice_version"] != NOTICE_VERSION:
            raise forms.ValidationError(_("The privacy notice has changed since this page was opened: read it again."))
        return NOTICE_VERSION


class SignupForm(PrivacyConsentFields, BaseUserCreationForm):
    """Never says whether the address is registered: no uniqueness check here (accounts/signup.py decides, and
    answers both cases alike). An invitation code, when given, is checked here and spent when the address is
    confirmed (accounts/signup.py)."""

    invitation_code = InvitationCodeField(
        required=False, help_text=_("Optional: a code from the CVPlus team enrols you in the beta programme.")
    )
    field_order = ["email", "full_name", "password1", "password2", "invitation_code", "consent"]

    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data["email"])

    def validate_unique(self) -> None:
        """The model's unique address is left to the sign-up service, which must not reveal it."""


class EmailAuthenticationForm(AuthenticationForm):
    def clean_username(self) -> str:
        return email_normalize(self.cleaned_data.get("username", ""))


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "language")


class PasswordResetForm(DjangoPasswordResetForm):
    """Writes each reset email in its recipient's language (their own, else their organisation's), never in the
    language of whoever filled in the form, with a link on the tenant's primary domain: never the request's Host,
    which whoever fills in the form chooses (tenants/links.py)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        tenant = current_tenant()
        path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        context = {**context, "domain": tenant_primary_domain(tenant), "reset_url": tenant_absolute_url(tenant, path)}
        with translation.override(member_language(context["user"])):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
            )
