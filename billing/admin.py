"""Staff admin for billing (public host): plans (translated), subscriptions (staff grant plans here when Stripe is
not configured), customers, the Stripe event store (read-only) and enterprise contracts."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from billing.api_keys import api_key_issue, api_key_revoke
from billing.metering import quota_remaining, usage_days, usage_flush_for_reading, usage_months
from billing.models import ApiKey, Contract, Customer, Licensee, Plan, Subscription, WebhookEvent


@admin.register(Plan)
class PlanAdmin(TranslationAdmin):
    list_display = ("code", "name", "kind", "interval", "price_minor", "currency", "stripe_price_id", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("tenant", "user_id", "plan", "status", "source", "current_period_end", "granted_until")
    list_filter = ("status", "source", "plan")
    search_fields = ("stripe_subscription_id", "user_id")
    readonly_fields = ("stripe_subscription_id", "stripe_updated", "created_at", "updated_at")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("stripe_customer_id", "tenant", "user_id", "email", "created_at")
    search_fields = ("stripe_customer_id", "email")


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "created", "outcome", "received_at", "processed_at")
    list_filter = ("outcome", "type")
    search_fields = ("event_id",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("tenant", "seats", "price_per_seat_minor", "currency", "starts_on", "ends_on")
    list_filter = ("currency",)

    def save_model(self, request, obj, form, change) -> None:
        """Saves the contract, then (seats changed, billed through Stripe) sets the subscription's quantity."""
        super().save_model(request, obj, form, change)
        if change and "seats" in form.changed_data:
            from django.contrib import messages
            from django.utils.translation import gettext as _

            from billing.seats import contract_seats_sync

            if contract_seats_sync(obj):
                self.message_user(request, _("Stripe now bills %(seats)s seats.") % {"seats": obj.seats})
            else:
                message = _("Seats saved; this contract is not billed through Stripe, so nothing was sent.")
                self.message_user(request, message, messages.WARNING)


# ---------------------------------------------------------------------------------------------------------------------
# API licensing: licensees, their keys (secrets shown once, via messages) and their usage over time.
# ---------------------------------------------------------------------------------------------------------------------


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("prefix", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # keys are issued by the action, which shows the secret once


@admin.register(Licensee)
class LicenseeAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_email", "plan", "is_active", "quota_left", "created_at")
    list_filter = ("is_active", "plan")
    search_fields = ("name", "contact_email", "stripe_customer_id")
    readonly_fields = ("created_at", "quota_left", "usage_over_time")
    inlines = (ApiKeyInline,)
    actions = ("issue_key", "revoke_keys")

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        usage_flush_for_reading()  # the counts shown include the last seconds' calls (when Redis answers)
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        usage_flush_for_reading()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("calls left this month"))
    def quota_left(self, obj: Licensee) -> str:
        if obj.pk is None:
            return "-"
        remaining = quota_remaining(obj)
        return gettext("unlimited") if remaining is None else str(remaining)

    @admin.display(description=_("usage over time"))
    def usage_over_time(self, obj: Licensee) -> str:
        if obj.pk is None:
            return "-"
        months = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((f"{u.period_start:%Y-%m}", u.calls, u.reported_calls) for u in usage_months(obj)),
        )
        days = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((d.day.isoformat(), d.calls) for d in usage_days(obj))
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
            "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("month"),
            gettext("calls"),
            gettext("reported to Stripe"),
            months,
            gettext("day"),
            gettext("calls"),
            days,
        )

    @admin.action(description=_("Issue a new API key (shown once)"))
    def issue_key(self, request, queryset) -> None:
        for licensee in queryset:
            key, secret = api_key_issue(licensee=licensee, name=gettext("issued in admin"))
            self.message_user(
                request,
                gettext(
                    "New key for %(licensee)s: %(secret)s (copy it now: it is not stored and cannot be shown again)"
                )
                % {"licensee": licensee.name, "secret": secret},
                messages.WARNING,
            )

    @admin.action(description=_("Revoke all keys of the selected licensees"))
    def revoke_keys(self, request, queryset) -> None:
        keys = ApiKey.objects.filter(licensee__in=queryset, revoked_at__isnull=True)
        count = 0
        for key in keys:
            api_key_revoke(key=key)
            count += 1
        self.message_user(
            request, ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count}
        )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "licensee", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("licensee",)
    search_fields = ("prefix", "name", "licensee__name")
    fields = ("licensee", "prefix", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("licensee", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request) -> bool:
        return False  # issued from the licensee's page, so the secret is shown once and never stored

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset) -> None:
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            api_key_revoke(key=key)
        self.message_user(
            request, ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys)) % {"count": len(keys)}
        )
