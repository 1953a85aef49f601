"""Portal pages for invitations: the administrator's list, one invitation, a CSV file with its preview, resending
and withdrawing (administrators only, else 404); and the public page an invitation's link opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from billing.seats import SEAT_LIMIT
from portal import access, invitations
from portal.forms_members import InvitationCsvForm, InvitationForm, JoinForm
from portal.invitations import InvitationDraft, InvitationLinkInvalid
from portal.invitations_csv import MAX_INVITATION_BYTES, InvitationCsvError, invitation_csv_read, invitation_csv_text
from portal.models import Invitation, OrganisationSettings
from portal.views.members import attempt

manager_view = access.portal_view(access.can_manage_members)


@require_GET
@manager_view
def invitation_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    listed = Invitation.objects.select_related("cohort", "coach", "invited_by")[:500]
    rows = [
        (invitation, invitations.invitation_state(invitation, now=now), invitations.role_label(invitation.role))
        for invitation in listed
    ]
    context = {
        "pending": [row for row in rows if row[1] == "pending"],
        "others": [row for row in rows if row[1] != "pending"],
        "valid_days": OrganisationSettings.current().invitation_valid_days,
        **invitations.seats_summary(),
    }
    return render(request, "portal/members/invitations.html", context)


def _sent_message(request: HttpRequest, rows: list[invitations.InvitationRow]) -> None:
    sent = sum(1 for row in rows if row.ok)
    if sent:
        messages.success(
            request, ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent) % {"count": sent}
        )


@require_http_methods(["GET", "POST"])
@manager_view
def invitation_new(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = InvitationDraft(
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            cohort=data["cohort"].name if data["cohort"] else "",
            coach=data["coach"].email if data["coach"] else "",
            language=data["language"],
        )
        (row,) = invitations.invitations_send(by=request.user, drafts=[draft])
        if row.ok:
            _sent_message(request, [row])
            return redirect("portal:invitations")
        for error in row.errors:
            form.add_error(None, error)
    context = {"form": form, **invitations.seats_summary()}
    return render(request, "portal/members/invitation_new.html", context, status=400 if form.errors else 200)


def _preview(request: HttpRequest, text: str, *, sent: bool) -> HttpResponse:
    """Reads the file's text and shows each row as fine or not with its reasons; with ``sent``, sends the fine ones
    first (each checked again) and shows what happened to every row."""
    try:
        read = invitation_csv_read(text)
    except InvitationCsvError as error:
        context = {"form": InvitationCsvForm(), "file_error": error.message}
        return render(request, "portal/members/invitation_csv.html", context, status=400)
    if sent:
        rows = invitations.invitations_send(by=request.user, drafts=read.drafts)
        _sent_message(request, rows)
    else:
        rows = invitations.invitation_rows_check(read.drafts)
    context = {
        "rows": rows,
        "sent": sent,
        "ok_count": sum(1 for row in rows if row.ok),
        "error_count": sum(1 for row in rows if not row.ok),
        "ignored_columns": read.ignored_columns,
        "csv_text": text,
        **invitations.seats_summary(),
    }
    return render(request, "portal/members/invitation_preview.html", context)


@require_http_methods(["GET", "POST"])
@manager_view
def invitation_csv(request: HttpRequest) -> HttpResponse:
    form = InvitationCsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            return _preview(
                request, invitation_csv_text(form.cleaned_data["file"].read(MAX_INVITATION_BYTES + 1)), sent=False
            )
        except InvitationCsvError as error:
            form.add_error("file", error.message)
    return render(request, "portal/members/invitation_csv.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@manager_view
def invitation_csv_confirm(request: HttpRequest) -> HttpResponse:
    """Sends the previewed file's valid rows (the file's text comes back from the preview page and is read and
    checked again: what changed meanwhile is reported, never sent)."""
    return _preview(request, request.POST.get("csv_text", ""), sent=True)


@require_POST
@manager_view
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitations.invitation_get(by=request.user, pk=pk)
    attempt(
        request,
        lambda: invitations.invitation_resend(by=request.user, invitation=invitation),
        _("A new link was sent to %(email)s; the old one no longer works.") % {"email": invitation.email},
    )
    return redirect("portal:invitations")


@require_POST
@manager_view
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitations.invitation_get(by=request.user, pk=pk)
    attempt(
        request,
        lambda: invitations.invitation_withdraw(by=request.user, invitation=invitation),
        _("The invitation to %(email)s is withdrawn; its link no longer works.") % {"email": invitation.email},
    )
    return redirect("portal:invitations")


# ---------------------------------------------------------------------------------------------------------------------
# The link
# ---------------------------------------------------------------------------------------------------------------------
def _speak_the_invitees_language(request: HttpRequest, invitation: Invitation) -> None:
    """The page speaks the language the email was written in, unless the visitor chose one (the switcher's cookie)."""
    if invitation.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language


def _link_invalid(request: HttpRequest, error: InvitationLinkInvalid) -> HttpResponse:
    return render(request, "portal/members/join_invalid.html", {"reason": error.reason}, status=error.status)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link. GET shows the organisation, the role and the sharing choices (and changes nothing: mail
    scanners open links); POST creates the account, signs the person in and takes them to their start page."""
    try:
        invitation = invitations.invitation_for_token(token)
    except InvitationLinkInvalid as error:
        return _link_invalid(request, error)
    _speak_the_invitees_language(request, invitation)
    defaults = OrganisationSettings.current()
    sharing = invitation.role == User.Role.MEMBER
    initial = {
        "full_name": invitation.full_name,
        "share_applications": defaults.default_share_applications,
        "share_cv": defaults.default_share_cv,
        "share_notes": defaults.default_share_notes,
    }
    form = JoinForm(request.POST or None, initial=initial, sharing=sharing)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        share = access.Shared(data["share_applications"], data["share_cv"], data["share_notes"]) if sharing else None
        try:
            user = invitations.invitation_accept(
                token=token,
                full_name=data["full_name"],
                password=data["password1"],
                share=share,
                notice_version=data["notice_version"],
            )
        except InvitationLinkInvalid as error:
            return _link_invalid(request, error)
        except ValidationError as error:
            form.add_error(None, error)
            status = 409 if getattr(error, "code", None) == SEAT_LIMIT else 400
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(organisation)s. Your account is ready.") % {"organisation": request.tenant.name},
            )
            return redirect("home")
    elif form.errors:
        status = 400
    context = {
        "invitation": invitation,
        "role_label": invitations.role_label(invitation.role),
        "form": form,
        "sharing": sharing,
        "coaches_see_all": defaults.coaches_see_all_members,
    }
    return render(request, "portal/members/join.html", context, status=status)
