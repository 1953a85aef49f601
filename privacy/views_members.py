"""Administrators of an enterprise tenant export and erase their members' data. Anyone else, on any other tenant,
gets a 404; so does a member the administrator does not manage (another administrator, or one being erased)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from privacy import erasure_requests, selectors
from privacy.forms import PasswordConfirmForm
from privacy.views import export_response


def _administrator(request: HttpRequest) -> User:
    if not selectors.administrator_can_manage(user=request.user):
        raise Http404
    return request.user


def _member(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(selectors.members_manageable(administrator=_administrator(request)), pk=pk)


@login_required
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/members.html",
        {"members": selectors.members_manageable(administrator=_administrator(request))},
    )


@login_required
@require_GET
def member_export(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return export_response(user=member, by=request.user, name=f"member-{member.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        erasure_requests.account_erasure_request(user=member, by=request.user)
        messages.success(
            request,
            _("%(name)s's account is closed; their data is erased within 24 hours.") % {"name": member.get_full_name()},
        )
        return redirect("privacy:members")
    context = {"form": form, "preview": selectors.account_erasure_preview(user=member), "subject": member}
    return render(request, "privacy/erase_account.html", context, status=400 if form.errors else 200)
