"""The beta programme on tenant hosts, under /app/insights/: feedback on a page (sent from the control on the main
pages, analytics/templatetags/beta_feedback.py), the person's own feedback and staff's replies, the NPS question, and
joining the beta with an invitation code (from the account page). Every form works without JavaScript: it posts, and
the person is sent back to the page they were on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from analytics.beta import beta_member_of, invitation_redeem
from analytics.feedback import feedback_of_person, feedback_submit, nps_record
from analytics.forms_beta import BetaJoinForm, FeedbackForm, NpsForm


def _back(request: HttpRequest, target: str, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback` (never another site: the form's value is the
    visitor's)."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


def _errors_add(form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_POST
def feedback_send(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            feedback_submit(
                tenant=request.tenant,
                user_id=request.user.pk,
                page=data["page"],
                feature=data["feature"],
                rating=data["rating"],
                comment=data["comment"],
            )
        except ValidationError as error:
            _errors_add(form, error)
        else:
            messages.success(request, _("Thank you: your feedback was sent to the CVPlus team."))
            return redirect(_back(request, data.get("next", ""), reverse("insights:feedback_mine")))
    return render(request, "analytics/feedback_form.html", {"form": form}, status=400)


@login_required
@require_GET
def feedback_mine(request: HttpRequest) -> HttpResponse:
    feedback = feedback_of_person(tenant=request.tenant, user_id=request.user.pk)[:100]
    return render(request, "analytics/feedback_mine.html", {"feedback": feedback})


@login_required
@require_GET
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the person's own feedback items; anyone else's is a 404 that says nothing about it."""
    item = get_object_or_404(feedback_of_person(tenant=request.tenant, user_id=request.user.pk), pk=pk)
    return render(request, "analytics/feedback_detail.html", {"item": item})


@login_required
@require_POST
def nps_answer(request: HttpRequest) -> HttpResponse:
    form = NpsForm(request.POST)
    if not form.is_valid():
        return render(request, "analytics/nps_form.html", {"nps_form": form}, status=400)
    dismissed = form.cleaned_data["action"] == "dismiss"
    score = None if dismissed else form.cleaned_data["score"]
    if nps_record(tenant=request.tenant, user=request.user, score=score) is not None and not dismissed:
        messages.success(request, _("Thank you for your answer."))
    return redirect(_back(request, form.cleaned_data.get("next", ""), reverse("tracking:board")))


@login_required
@require_POST
def beta_join(request: HttpRequest) -> HttpResponse:
    form = BetaJoinForm(request.POST)
    if form.is_valid():
        try:
            invitation_redeem(code=form.cleaned_data["invitation_code"], tenant=request.tenant, user_id=request.user.pk)
        except ValidationError as error:
            _errors_add(form, error)
        else:
            messages.success(request, _("Welcome to the CVPlus beta programme."))
            return redirect("accounts:account")
    member = beta_member_of(tenant=request.tenant, user_id=request.user.pk)
    return render(request, "analytics/beta_join.html", {"beta_form": form, "beta_member": member}, status=400)
