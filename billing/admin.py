"""Staff admin for billing (public host): plans (translated), subscriptions, customers, the Stripe event store
(read-only) and enterprise contracts. Prices are typed in major units and features ticked from a list
(billing/admin_forms.py). Staff grant or revoke a plan for a person chosen in the staff directory (tenants/
admin_staff.py), never by typing an id; grants, revocations, subscription and contract changes are written to the
staff audit log (tenants.StaffAction)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TranslationAdmin

from billing.admin_forms import PLAN_ADMIN_FIELDS, ContractAdminForm, PlanAdminForm, PlanGrantForm
from billing.api_keys import api_key_is_live, api_key_issue, api_key_revoke
from billing.metering import period_start, quota_remaining, usage_days, usage_flush_for_reading, usage_months
from billing.models import (
    ApiKey,
    Contract,
    Customer,
    Licensee,
    PaymentWaitlistEntry,
    Plan,
    Subscription,
    WebhookEvent,
)
from billing.money import price_format
from billing.seats import contract_seats_sync, seats_used_by
from billing.services import plan_grant_by_staff, plan_revoke_by_staff
from billing.stripe_client import billing_configured, webhooks_configured
from tenants.directory import directory_person
from tenants.models import Client, StaffAction
from tenants.staff_actions import staff_action_record


class StripeSetupShown:
    """Shows staff, above the list, whether Stripe is configured on this server and how to configure it
    (billing/templates/admin/billing/_stripe_setup.html): seekers are only told that payments are not available."""

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        stripe_setup = {
            "secret_key": billing_configured(),
            "webhook_secret": webhooks_configured(),
            "plans_without_price": list(
                Plan.objects.filter(is_active=True, kind__in=(Plan.Kind.PREMIUM, Plan.Kind.API), stripe_price_id="")
                .order_by("sort_order")
                .values_list("code", flat=True)
            ),
        }
        return super().changelist_view(request, extra_context={**(extra_context or {}), "stripe_setup": stripe_setup})


@admin.register(Plan)
class PlanAdmin(StripeSetupShown, TranslationAdmin):
    change_list_template = "admin/billing/stripe_setup_change_list.html"
    form = PlanAdminForm
    list_display = ("code", "name", "kind", "interval", "price", "stripe_price_id", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    fields = PLAN_ADMIN_FIELDS

    @admin.display(description=_("price"), ordering="price_minor")
    def price(self, obj: Plan) -> str:
        return price_format(obj.price_minor, obj.currency)


def _person_link(tenant_id: int, user_id: int | None) -> str:
    if user_id is None:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:staff_person", args=[tenant_id, user_id]), user_id)


class DeletionsLogged(admin.ModelAdmin):
    """Each row deleted in admin (one, or many by the bulk action) is written to the staff audit log by
    ``deletion_log`` in the transaction that deletes it."""

    def deletion_log(self, request: HttpRequest, obj) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj) -> None:
        with transaction.atomic():
            self.deletion_log(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        with transaction.atomic():
            for obj in queryset.select_related(*self.list_select_related):
                self.deletion_log(request, obj)
            super().delete_queryset(request, queryset)


@admin.register(Subscription)
class SubscriptionAdmin(StripeSetupShown, DeletionsLogged):
    """A subscription names a person by id inside their tenant's schema: staff choose the person in the staff
    directory (adding here goes there), and the tenant and person of an existing subscription never change."""

    change_list_template = "admin/billing/stripe_setup_change_list.html"
    list_display = ("tenant", "person", "plan", "status", "source", "current_period_end", "granted_until")
    list_filter = ("status", "source", "plan", "tenant")
    search_fields = ("stripe_subscription_id", "=user_id")
    list_select_related = ("tenant", "plan")
    readonly_fields = ("tenant", "person", "stripe_subscription_id", "stripe_updated", "created_at", "updated_at")
    exclude = ("user_id",)

    @admin.display(description=_("person (user id in the tenant)"), ordering="user_id")
    def person(self, obj: Subscription) -> str:
        return _person_link(obj.tenant_id, obj.user_id) if obj.pk else "—"

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context=None) -> HttpResponse:
        self.message_user(request, gettext("Find the person in the staff directory, then grant them a plan."))
        return redirect("admin:staff_directory")

    def get_urls(self) -> list:
        grant = self.admin_site.admin_view(self.grant_view)
        revoke = self.admin_site.admin_view(require_POST(self.revoke_view))
        return [
            path("grant/<int:tenant_id>/<int:user_id>/", grant, name="billing_subscription_grant"),
            path("revoke/<int:tenant_id>/<int:user_id>/", revoke, name="billing_subscription_revoke"),
            *super().get_urls(),
        ]

    def _tenant_and_person(self, request: HttpRequest, tenant_id: int, user_id: int):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        tenant = get_object_or_404(Client, pk=tenant_id)
        person = directory_person(tenant=tenant, user_id=user_id)
        if person is None:
            raise Http404
        return tenant, person

    def grant_view(self, request: HttpRequest, tenant_id: int, user_id: int) -> HttpResponse:
        """The person comes from the staff directory (tenant and user id in the address, shown with their email
        and name); staff choose the plan and an optional end."""
        tenant, person = self._tenant_and_person(request, tenant_id, user_id)
        if request.method == "GET":  # the page shows who they are: a view of the person, like the directory's
            staff_action_record(
                by=request.user,
                action=StaffAction.Action.PERSON_VIEWED,
                tenant=tenant,
                target_user_id=user_id,
                detail={"page": "plan grant"},
            )
        form = PlanGrantForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                plan_grant_by_staff(
                    by=request.user,
                    tenant=tenant,
                    user_id=user_id,
                    plan=form.cleaned_data["plan"],
                    until=form.cleaned_data["until"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                self.message_user(
                    request,
                    gettext("%(person)s in %(tenant)s now has the %(plan)s plan.")
                    % {"person": person.email, "tenant": tenant.name, "plan": form.cleaned_data["plan"].name},
                )
                return redirect("admin:staff_person", tenant.pk, user_id)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Grant or revoke a plan"),
            "opts": self.model._meta,
            "person": person,
            "form": form,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/billing/subscription/grant.html", context, status=status)

    def revoke_view(self, request: HttpRequest, tenant_id: int, user_id: int) -> HttpResponse:
        tenant, person = self._tenant_and_person(request, tenant_id, user_id)
        try:
            plan_revoke_by_staff(by=request.user, tenant=tenant, user_id=user_id)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return redirect("admin:billing_subscription_grant", tenant.pk, user_id)
        self.message_user(
            request,
            gettext("%(person)s in %(tenant)s is back on the Free plan; their data is untouched.")
            % {"person": person.email, "tenant": tenant.name},
        )
        return redirect("admin:staff_person", tenant.pk, user_id)

    def save_model(self, request, obj: Subscription, form, change) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            staff_action_record(
                by=request.user,
                action=StaffAction.Action.SUBSCRIPTION_CHANGED,
                tenant=obj.tenant,
                target_user_id=obj.user_id,
                detail={"fields": list(form.changed_data), "plan": obj.plan.code, "status": obj.status},
            )

    def deletion_log(self, request, subscription: Subscription) -> None:
        staff_action_record(
            by=request.user,
            action=StaffAction.Action.SUBSCRIPTION_DELETED,
            tenant=subscription.tenant,
            target_user_id=subscription.user_id,
            detail={"plan": subscription.plan.code, "source": subscription.source},
        )


@admin.register(PaymentWaitlistEntry)
class PaymentWaitlistEntryAdmin(StripeSetupShown, admin.ModelAdmin):
    """Who asked for a plan that could not be bought here, newest first; staff contact them through the staff
    directory (the person link) and may grant the plan there. Entries are written by seekers only."""

    change_list_template = "admin/billing/stripe_setup_change_list.html"
    list_display = ("created_at", "tenant", "person", "plan")
    list_filter = ("plan", "tenant")
    list_select_related = ("tenant", "plan")
    date_hierarchy = "created_at"

    @admin.display(description=_("person (user id in the tenant)"), ordering="user_id")
    def person(self, obj: PaymentWaitlistEntry) -> str:
        return _person_link(obj.tenant_id, obj.user_id)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


def _contract_detail(contract: Contract, changed: list[str]) -> dict:
    return {
        "fields": changed,
        "seats": contract.seats,
        "price_per_seat_minor": contract.price_per_seat_minor,
        "currency": contract.currency,
        "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat(),
        "features": list(contract.features),
    }


@admin.register(Contract)
class ContractAdmin(DeletionsLogged):
    form = ContractAdminForm
    list_display = ("tenant", "seats", "seats_used", "price_per_seat", "starts_on", "ends_on")
    list_filter = ("currency", "tenant")
    list_select_related = ("tenant",)
    fields = (
        "tenant",
        ("seats", "seats_used"),
        "currency",
        "price_per_seat",
        ("starts_on", "ends_on"),
        "features",
        "customer",
        "stripe_subscription_id",
        "notes",
    )
    readonly_fields = ("seats_used",)

    @admin.display(description=_("seats used"))
    def seats_used(self, obj: Contract) -> str:
        """Counted in the tenant's schema now (active members; the organisation's own staff take no seat)."""
        used = seats_used_by(obj.tenant) if obj.pk else None
        return "—" if used is None else str(used)

    @admin.display(description=_("price per seat a month"), ordering="price_per_seat_minor")
    def price_per_seat(self, obj: Contract) -> str:
        return price_format(obj.price_per_seat_minor, obj.currency)

    def save_model(self, request, obj: Contract, form, change) -> None:
        """Saves the contract and writes it to the staff audit log, then (seats changed, billed through Stripe) sets
        the subscription's quantity."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            staff_action_record(
                by=request.user,
                action=StaffAction.Action.CONTRACT_CHANGED if change else StaffAction.Action.CONTRACT_CREATED,
                tenant=obj.tenant,
                detail=_contract_detail(obj, list(form.changed_data)),
            )
        if change and "seats" in form.changed_data:
            if contract_seats_sync(obj):
                self.message_user(request, gettext("Stripe now bills %(seats)s seats.") % {"seats": obj.seats})
            else:
                message = gettext("Seats saved; this contract is not billed through Stripe, so nothing was sent.")
                self.message_user(request, message, messages.WARNING)

    def deletion_log(self, request, contract: Contract) -> None:
        staff_action_record(
            by=request.user,
            action=StaffAction.Action.CONTRACT_DELETED,
            tenant=contract.tenant,
            detail=_contract_detail(contract, []),
        )


# ---------------------------------------------------------------------------------------------------------------------
# API licensing: licensees, their keys (secrets shown once, via messages) and their usage over time.
# ---------------------------------------------------------------------------------------------------------------------


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("prefix", "name", "is_test", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # keys are issued by the action, which shows the secret once


@admin.register(Licensee)
class LicenseeAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_email", "plan", "is_active", "quota_left", "created_at")
    list_filter = ("is_active", "plan")
    search_fields = ("name", "contact_email", "stripe_customer_id")
    readonly_fields = ("created_at", "contract_terms", "usage_this_month", "quota_left", "usage_over_time")
    # The contract (plan, Stripe customer, its terms) and the usage against it, side by side on one page.
    fieldsets = (
        (None, {"fields": ("name", "contact_email", "is_active", "created_at")}),
        (_("Contract and usage"), {"fields": ("plan", "stripe_customer_id", "contract_terms", "usage_this_month")}),
        (_("Usage over time"), {"fields": ("usage_over_time",)}),
    )
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

    @admin.display(description=_("contract terms"))
    def contract_terms(self, obj: Licensee) -> str:
        if obj.pk is None:
            return "-"
        plan = obj.plan
        quota = plan.api_monthly_quota
        rate = plan.api_rate_per_minute
        return format_html(
            "<ul id='contract-terms'><li>{}</li><li>{}</li><li>{}</li></ul>",
            gettext("%(count)s calls a month") % {"count": quota} if quota is not None else gettext("no monthly quota"),
            gettext("%(count)s requests a minute") % {"count": rate} if rate is not None else gettext("no rate limit"),
            gettext("%(price)s a %(interval)s")
            % {"price": price_format(plan.price_minor, plan.currency), "interval": plan.get_interval_display()},
        )

    @admin.display(description=_("usage this month"))
    def usage_this_month(self, obj: Licensee) -> str:
        if obj.pk is None:
            return "-"
        now = timezone.now()
        this_month = period_start(now.date())
        used = next((u.calls for u in usage_months(obj, months=1) if u.period_start == this_month), 0)
        limit = obj.plan.api_monthly_quota
        keys = list(obj.api_keys.all())
        last_calls = [key.last_used_at for key in keys if key.last_used_at is not None]
        summary = (
            gettext("%(used)s of %(limit)s calls used (%(percent)s%%); %(left)s left.")
            % {"used": used, "limit": limit, "percent": round(100 * used / limit) if limit else 0, "left": limit - used}
            if limit
            else gettext("%(used)s calls; no monthly quota.") % {"used": used}
        )
        last_call = max(last_calls).strftime("%Y-%m-%d %H:%M UTC") if last_calls else gettext("never")
        live = sum(1 for key in keys if api_key_is_live(key, now=now))
        return format_html(
            "<p id='usage-this-month'>{}</p><p>{} {}</p><p>{}</p>",
            summary,
            gettext("Last API call:"),
            last_call,
            ngettext("%(count)d working key", "%(count)d working keys", live) % {"count": live},
        )

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
    list_display = ("prefix", "licensee", "name", "is_test", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("licensee",)
    search_fields = ("prefix", "name", "licensee__name")
    fields = ("licensee", "prefix", "name", "is_test", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = ("licensee", "prefix", "is_test", "created_at", "last_used_at", "expires_at", "revoked_at")
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
