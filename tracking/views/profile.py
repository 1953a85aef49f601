"""The seeker's profile page: country, years of experience, experience level and the currency for salaries, which
the salary estimate reads (tracking/profile.py). A user only ever reads and writes their own profile: the page takes
no id."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracking import services
from tracking.forms import ProfileForm, form_errors_from
from tracking.models import CandidateProfile
from tracking.profile import experience_years_for

PROFILE_PAGE_FIELDS = ("country", "years_experience", "experience_level", "preferred_currency")


@login_required
@require_http_methods(["GET", "POST"])
def profile_page(request: HttpRequest) -> HttpResponse:
    profile = CandidateProfile.objects.filter(user=request.user).first()
    initial = {name: getattr(profile, name) for name in PROFILE_PAGE_FIELDS} if profile else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user, **{name: form.cleaned_data[name] for name in PROFILE_PAGE_FIELDS}
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("tracking:profile")
    cv_years = (
        experience_years_for(request.user, profile=profile)
        if profile is None or profile.years_experience is None
        else None
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "tracking/profile.html", {"form": form, "cv_years": cv_years}, status=status)
