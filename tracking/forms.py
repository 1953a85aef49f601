"""Forms for the seeker's pages. They shape input only: the services in tracking/services.py decide what is allowed,
and their ValidationErrors come back onto these forms with ``form_errors_from``."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.gating import EntitlementRequired, locked_section
from cvplus.text_limits import MAX_CV_TEXT_CHARS, MAX_DESCRIPTION_CHARS, ReadLengthValidator
from market.industries import industry_choices
from tracking.cv.concepts import skill_label
from tracking.models import Application, CVDocument, JobPosting, Stage
from tracking.services import ALLOWED_MOVES, MAX_YEARS_EXPERIENCE

CV_UPLOAD_ACCEPT = ".pdf,.docx,.txt"


# Service arguments whose form field has another name.
FIELD_ALIASES = {"at": "on", "due_at": "due_on"}


def form_errors_from(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's refusal next to the field it names, or at the top when the form has no such field. A plan's
    refusal also sets ``form.plan_locked`` (billing.gating.locked_section), so the page shows where to upgrade."""
    if isinstance(error, EntitlementRequired):
        form.plan_locked = locked_section(error.entitlement)
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = FIELD_ALIASES.get(field, field)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def moment_from_date(day: date | None, *, now: datetime | None = None) -> datetime | None:
    """A day chosen by the user as an aware moment: today means now; an earlier day means noon of that day."""
    if day is None:
        return None
    now = now or timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


class DateInput(forms.DateInput):
    input_type = "date"


class CVVersionChoiceField(forms.ModelChoiceField):
    """Names each CV version in the reader's language ("Version 2"); the model's ``__str__`` is for admin and logs."""

    def label_from_instance(self, obj: CVDocument) -> str:
        if obj.status == CVDocument.Status.UNREADABLE:
            return _("Version %(version)s (could not be read)") % {"version": obj.version}
        return _("Version %(version)s") % {"version": obj.version}


class PostingForm(forms.Form):
    """The posting as the user saw it, and optionally how they applied to it."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200)
    url = forms.URLField(label=_("Link to the posting"), max_length=1000, required=False, assume_scheme="https")
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    country = forms.CharField(
        label=_("Country code"), max_length=2, required=False, help_text=_("Two letters, such as US or DE.")
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=JobPosting.EmploymentType.choices, initial="full_time", required=False
    )
    remote = forms.ChoiceField(label=_("Where"), choices=JobPosting.Remote.choices, initial="on_site", required=False)
    industry = forms.ChoiceField(
        label=_("Industry"),
        choices=[("", _("Detect it from the posting"))] + industry_choices(),
        required=False,
        help_text=_("Advice and the match use the industry's skills and titles."),
    )
    salary_min = forms.DecimalField(label=_("Salary from"), required=False, min_value=0, decimal_places=2)
    salary_max = forms.DecimalField(label=_("Salary to"), required=False, min_value=0, decimal_places=2)
    salary_currency = forms.CharField(
        label=_("Currency"), max_length=3, required=False, help_text=_("Three letters, such as USD or EUR.")
    )
    salary_period = forms.ChoiceField(
        label=_("Salary period"),
        choices=[("", _("as posted"))] + list(JobPosting.SalaryPeriod.choices),
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        validators=[ReadLengthValidator(MAX_DESCRIPTION_CHARS)],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste the whole posting: requirements are split into must-have and nice-to-have from it."),
    )
    cv = CVVersionChoiceField(
        label=_("CV version sent"), queryset=CVDocument.objects.none(), required=False, empty_label=_("None yet")
    )
    channel = forms.ChoiceField(
        label=_("How you applied"), choices=Application.Channel.choices, initial="job_board", required=False
    )

    posting_fields = (
        "title",
        "company",
        "url",
        "location",
        "country",
        "employment_type",
        "remote",
        "industry",
        "salary_min",
        "salary_max",
        "salary_currency",
        "salary_period",
        "description",
    )

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cv"].queryset = CVDocument.objects.filter(owner=owner)

    def posting_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.posting_fields}
        data["employment_type"] = data["employment_type"] or JobPosting.EmploymentType.FULL_TIME
        data["remote"] = data["remote"] or JobPosting.Remote.ON_SITE
        for name in self.posting_fields:
            if data[name] is None and name not in ("salary_min", "salary_max"):
                data[name] = ""
        return data


class ApplicationForm(forms.Form):
    posting = forms.ModelChoiceField(label=_("Job posting"), queryset=JobPosting.objects.none())
    cv = CVVersionChoiceField(
        label=_("CV version sent"), queryset=CVDocument.objects.none(), required=False, empty_label=_("None yet")
    )
    channel = forms.ChoiceField(label=_("How you applied"), choices=Application.Channel.choices, initial="job_board")
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(Stage.SAVED, Stage.SAVED.label), (Stage.APPLIED, Stage.APPLIED.label)],
        initial=Stage.APPLIED,
    )
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput, help_text=_("Leave empty for today."))

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posting"].queryset = JobPosting.objects.filter(owner=owner)
        self.fields["cv"].queryset = CVDocument.objects.filter(owner=owner)


class MoveForm(forms.Form):
    """The stages offered are the allowed next stages from ALLOWED_MOVES; the service checks again on save."""

    to_stage = forms.ChoiceField(label=_("Move to"))
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput, help_text=_("Leave empty for today."))
    offer_amount = forms.DecimalField(label=_("Offer amount"), required=False, min_value=0, decimal_places=2)
    offer_currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, application: Application, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"move-{application.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = stage_choices_after(application.stage)

    def clean_on(self) -> date | None:
        day = self.cleaned_data.get("on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


def stage_choices_after(stage: str) -> list[tuple[str, str]]:
    """Allowed next stages in pipeline order (interviewing again means the next round)."""
    allowed = ALLOWED_MOVES.get(stage, frozenset())
    choices = []
    for value, label in Stage.choices:
        if value in allowed:
            if value == Stage.INTERVIEWING and stage == Stage.INTERVIEWING:
                label = _("Next interview round")
            choices.append((value, label))
    return choices


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=100, required=False, help_text=_("e.g. recruiter, referrer"))
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)

    def due_at(self) -> datetime | None:
        day = self.cleaned_data.get("due_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(9, 0)))


class CVUploadForm(forms.Form):
    file = forms.FileField(label=_("CV file"), widget=forms.ClearableFileInput(attrs={"accept": CV_UPLOAD_ACCEPT}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        megabytes = settings.CV_MAX_UPLOAD_BYTES / (1024 * 1024)
        self.fields["file"].help_text = _("PDF, Word (DOCX) or plain text, up to %(size)s MB.") % {
            "size": f"{megabytes:g}"
        }


class CVPasteForm(forms.Form):
    text = forms.CharField(
        label=_("CV text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paste the text of your CV."),
        max_length=MAX_CV_TEXT_CHARS,
        validators=[ReadLengthValidator(MAX_CV_TEXT_CHARS)],
    )


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Snooze for"),
        coerce=int,
        choices=[(1, _("1 day")), (3, _("3 days")), (7, _("7 days"))],
    )


class BoardQueryForm(forms.Form):
    """The board's query string: ``?show=<stage>`` lists all of one column."""

    show = forms.ChoiceField(choices=Stage.choices, required=False)


class ApplicationNewQueryForm(forms.Form):
    """``?posting=<id>`` preselects one of the user's postings."""

    posting = forms.IntegerField(required=False, min_value=1)


# Profile --------------------------------------------------------------------------------------------------------------
EXPERIENCE_LEVEL_LABELS = {
    "EN": _("Entry level or junior"),
    "MI": _("Mid-level"),
    "SE": _("Senior, lead or principal"),
    "EX": _("Executive or director"),
}


def _country_choices() -> list[tuple[str, str]]:
    """Countries by their name in the active language (CLDR names, market reference data)."""
    from market.models import Country

    names = [(iso2, str(name)) for iso2, name in Country.objects.values_list("iso2", "name")]
    return sorted(names, key=lambda item: item[1].casefold())


def _currency_choices() -> list[tuple[str, str]]:
    from market.models import Currency

    return [(code, f"{code} · {name}") for code, name in Currency.objects.values_list("code", "name")]


class ProfileForm(forms.Form):
    """What the salary estimate reads about the seeker. Each field may stay empty: the estimate then reads the
    posting (its title's seniority word, its currency) or the CV (years of experience), and says so."""

    country = forms.ChoiceField(
        label=_("Your country"),
        required=False,
        error_messages={"invalid_choice": _("Choose your country from the list.")},
        help_text=_("Where you live or look for work: used when a posting names no country."),
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"),
        required=False,
        min_value=0,
        max_value=MAX_YEARS_EXPERIENCE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter your years of experience as a whole number, such as 6."),
            "min_value": _("Years of experience cannot be negative."),
            "max_value": _("Enter at most %(limit_value)s years of experience."),
        },
    )
    experience_level = forms.ChoiceField(
        label=_("Experience level"),
        required=False,
        choices=[("", _("Read it from each posting's title"))] + list(EXPERIENCE_LEVEL_LABELS.items()),
        error_messages={"invalid_choice": _("Choose an experience level from the list.")},
        help_text=_("When set, salary estimates use your level rather than the posting's title or your years."),
    )
    preferred_currency = forms.ChoiceField(
        label=_("Show salaries in"),
        required=False,
        error_messages={"invalid_choice": _("Choose a currency for salaries from the list.")},
        help_text=_("Converted at the salary survey's yearly rate where one is known; otherwise shown in US dollars."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Not set"))] + _country_choices()
        self.fields["preferred_currency"].choices = [("", _("The posting's currency"))] + _currency_choices()


class CVCorrectionForm(forms.Form):
    """What the seeker corrects on one read CV version (tracking.cv_corrections.cv_correction_save checks it). The
    removal boxes list every skill read from the version, so a removed one stays listed, ticked, to be restored."""

    skills_removed = forms.MultipleChoiceField(
        label=_("Skills we got wrong"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick a skill to remove it; untick it to bring it back."),
    )
    skills_added = forms.CharField(
        label=_("Skills we missed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separate them with commas or new lines, e.g. “IV therapy, wound care”."),
    )
    title = forms.CharField(
        label=_("Your job title"),
        required=False,
        help_text=_("Replaces the title we read first; leave empty to keep what we read."),
    )
    years_experience = forms.CharField(
        label=_("Years of experience"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 60, "inputmode": "numeric"}),
        help_text=_("Leave empty to keep the years counted from your CV's dates."),
    )

    def __init__(self, *args, cv: CVDocument, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        skills = [
            skill for skill in (cv.parsed or {}).get("skills") or [] if isinstance(skill, dict) and skill.get("key")
        ]
        self.fields["skills_removed"].choices = [
            (str(skill["key"]), skill_label(skill) or str(skill["key"])) for skill in skills
        ]
