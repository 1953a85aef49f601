"""Staff admin for billing (public host): plans (translated), subscriptions (staff grant plans here when Stripe is
not configured), customers, the Stripe event store (read-only) and enterprise contracts."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from billing.models import Contract, Customer, Plan, Subscription, WebhookEvent


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
