"""Forms of the integrations pages (API tokens, webhooks). They shape input only: portal/tokens.py and
portal/webhooks.py decide what is allowed, and their refusals come back with ``form_errors_from``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.models import ApiToken, WebhookEndpoint
from portal.webhook_targets import URL_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Where the token is used, such as “HR dashboard” or “Salesforce sync”."),
        error_messages={"required": _("Give the token a name that says where it is used, such as “HR dashboard”.")},
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read tokens may only read. Read and write tokens may also assign coaches and cohorts."),
    )


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.example.com/cvplus", "inputmode": "url"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=WebhookEndpoint._meta.get_field("description").max_length,
        help_text=_("Optional: what this endpoint feeds, for your colleagues."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event from the list.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if settings.PORTAL_WEBHOOKS_REQUIRE_HTTPS and not settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE:
            help_text = _("Events are posted here. Use an https:// address reachable on the public internet.")
        else:
            help_text = _("Events are posted here. This server also accepts http:// and addresses on its own machine.")
        self.fields["url"].help_text = help_text
