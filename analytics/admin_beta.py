"""The beta programme in staff admin (public host): invitation codes (created here), the cohort (read-only), the
feedback to triage (status, tags, a reply e-mailed to the person) and the NPS answers (read-only), and the programme's
page at /admin/analytics/feedback/programme/ (analytics/beta_staff.py), linked from the admin index."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.beta import CODE_PATTERN, invitation_code_normalize
from analytics.beta_staff import (
    TARGET_BETA_USERS,
    TARGET_RATING,
    cohort_figures,
    feedback_reply,
    feedback_to_triage,
    nps_figures,
    rating_overall,
    ratings_by_feature_and_week,
)
from analytics.models import BetaInvitation, BetaMember, Feedback, NpsResponse
from market.admin_base import ReadOnlyAdmin


class BetaInvitationForm(forms.ModelForm):
    class Meta:
        model = BetaInvitation
        fields = ["code", "max_uses", "expires_at", "note"]

    def clean_code(self) -> str:
        code = invitation_code_normalize(self.cleaned_data["code"])
        if not CODE_PATTERN.match(code):
            raise ValidationError(_("Use 3 to 40 letters, digits and dashes, starting with a letter or digit."))
        return code


@admin.register(BetaInvitation)
class BetaInvitationAdmin(admin.ModelAdmin):
    form = BetaInvitationForm
    list_display = ("code", "note", "uses", "max_uses", "expires_at", "state", "created_at")
    search_fields = ("code", "note")
    readonly_fields = ("uses", "created_at")

    @admin.display(description=gettext_lazy("state"))
    def state(self, invitation: BetaInvitation) -> str:
        if invitation.expires_at is not None and invitation.expires_at <= timezone.now():
            return _("expired")
        if invitation.uses >= invitation.max_uses:
            return _("used up")
        return _("usable")


@admin.register(BetaMember)
class BetaMemberAdmin(ReadOnlyAdmin):
    list_display = ("tenant", "user_id", "invitation", "enrolled_at")
    list_select_related = ("tenant", "invitation")
    list_filter = ("tenant",)


@admin.register(NpsResponse)
class NpsResponseAdmin(ReadOnlyAdmin):
    list_display = ("asked_at", "tenant", "user_id", "score")
    list_select_related = ("tenant",)


class FeedbackAdminForm(forms.ModelForm):
    reply_message = forms.CharField(
        label=gettext_lazy("Reply by e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Sent to the person in their language when you save, and recorded below."),
    )

    class Meta:
        model = Feedback
        fields = ["status", "tags"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    form = FeedbackAdminForm
    list_display = ("created_at", "tenant", "feature", "page", "rating", "comment_start", "status", "tags", "replied")
    list_select_related = ("tenant",)
    list_filter = ("status", "feature", "page", "rating", "tenant")
    list_editable = ("status",)  # triage a page of feedback at once; tags and replies in the change form
    search_fields = ("comment", "tags")
    date_hierarchy = "created_at"
    readonly_fields = (
        "tenant",
        "user_id",
        "page",
        "feature",
        "rating",
        "comment",
        "created_at",
        "reply",
        "replied_at",
        "replied_by",
    )
    fieldsets = (
        (None, {"fields": ("tenant", "user_id", "created_at", "page", "feature", "rating", "comment")}),
        (gettext_lazy("Triage"), {"fields": ("status", "tags", "reply_message")}),
        (gettext_lazy("Reply sent"), {"fields": ("reply", "replied_at", "replied_by")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # feedback comes from the people who give it

    @admin.display(description=gettext_lazy("comment"))
    def comment_start(self, feedback: Feedback) -> str:
        return feedback.comment[:80] + ("…" if len(feedback.comment) > 80 else "")

    @admin.display(description=gettext_lazy("replied"), boolean=True)
    def replied(self, feedback: Feedback) -> bool:
        return feedback.replied_at is not None

    def save_model(self, request: HttpRequest, obj: Feedback, form: FeedbackAdminForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        message = form.cleaned_data.get("reply_message", "").strip()
        if not message:
            return
        try:
            feedback_reply(feedback=obj, message=message, by=request.user.email)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The reply was e-mailed and recorded."))

    def get_urls(self) -> list:
        programme = self.admin_site.admin_view(self.programme_view)
        return [path("programme/", programme, name="analytics_beta_programme"), *super().get_urls()]

    def programme_view(self, request: HttpRequest) -> HttpResponse:
        """Average rating per feature and week against the seed's 4.5/5, NPS, the cohort's size and activity against
        its planned 100, and the newest comments nobody has triaged."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        mondays, features = ratings_by_feature_and_week()
        average, ratings = rating_overall(since=timezone.now() - timedelta(days=7 * len(mondays)))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Beta programme"),
            "opts": self.model._meta,
            "mondays": mondays,
            "features": features,
            "average": average,
            "ratings": ratings,
            "target_rating": TARGET_RATING,
            "meets_target": average is not None and average > TARGET_RATING,
            "nps": nps_figures(),
            "cohort": cohort_figures(),
            "target_users": TARGET_BETA_USERS,
            "to_triage": feedback_to_triage(),
        }
        return TemplateResponse(request, "admin/analytics/beta_programme.html", context)
