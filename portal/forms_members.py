"""Forms of the portal's member pages: invitations, the invitation's acceptance, people, cohorts, settings, sharing.
They read input; the services in portal/invitations.py, portal/people.py and portal/membership.py decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordMixin
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.forms import PrivacyConsentFields
from accounts.models import User
from portal.invitations import INVITABLE_ROLES
from portal.models import Cohort, Membership, OrganisationSettings
from portal.people import INVITATION_VALID_DAYS, KEEP, SETTINGS_FIELDS, coaches_active

NONE = "none"


def _person_label(person: User) -> str:
    return person.full_name or person.email


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=pgettext_lazy("organisation role", "Role"),
        choices=[(role, capfirst(User.Role(role).label)) for role in INVITABLE_ROLES],
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.all(), required=False, empty_label=_("No cohort")
    )
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=User.objects.none(), required=False, empty_label=_("No coach")
    )
    language = forms.ChoiceField(
        label=_("Language of the email"),
        required=False,
        help_text=_("Empty: the organisation's language. The person can change it later."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches_active()
        self.fields["coach"].label_from_instance = _person_label
        self.fields["language"].choices = [("", _("The organisation's language")), *settings.LANGUAGES]
        self.fields["cohort"].help_text = _("Members only.")
        self.fields["coach"].help_text = _("Members only.")


class InvitationCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, name, role, cohort, coach, language (only email is required). Commas or semicolons, "
            "UTF-8. At most 1,000 people."
        ),
    )


SHARE_FIELDS = ("share_applications", "share_cv", "share_notes")


class JoinForm(SetPasswordMixin, PrivacyConsentFields):
    """Accepting an invitation: name, password, what a member shares with their coach (members only), the privacy
    notice."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, sharing: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if sharing:
            self.fields.update(forms.fields_for_model(Membership, fields=SHARE_FIELDS))
        self.order_fields(["full_name", "password1", "password2", *SHARE_FIELDS, "consent"])

    def clean(self) -> dict:
        cleaned = super().clean()
        self.validate_passwords()
        return cleaned


ID_OR_NONE = RegexValidator(r"^(none|[0-9]{1,9})$", _("Choose from the list."))


class PeopleFilterForm(forms.Form):
    """The people list's query string. A value it cannot read is a 400 naming the parameter, never a 500."""

    q = forms.CharField(required=False, max_length=100)
    role = forms.ChoiceField(required=False, choices=[("", ""), *User.Role.choices])
    status = forms.ChoiceField(required=False, choices=[("", ""), *Membership.Status.choices])
    cohort = forms.CharField(required=False, validators=[ID_OR_NONE])
    coach = forms.CharField(required=False, validators=[ID_OR_NONE])


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=pgettext_lazy("organisation role", "Role"),
        choices=[(value, capfirst(label)) for value, label in User.Role.choices],
    )


class AssignForm(forms.Form):
    """A coach and a cohort for one member, or for several at once (``bulk``: "keep" leaves each as it is)."""

    coach = forms.ChoiceField(label=_("Coach"), required=False)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)

    def __init__(self, *args, bulk: bool = False, coaches=None, cohorts=None, **kwargs) -> None:
        """``coaches`` and ``cohorts``: the page's lists, when it has read them already."""
        super().__init__(*args, **kwargs)
        self.coaches = {str(coach.pk): coach for coach in (coaches if coaches is not None else coaches_active())}
        self.cohorts = {str(cohort.pk): cohort for cohort in (cohorts if cohorts is not None else Cohort.objects.all())}
        keep = [("", _("Keep as it is"))] if bulk else []
        self.fields["coach"].choices = [
            *keep,
            (NONE, _("No coach")),
            *[(pk, _person_label(coach)) for pk, coach in self.coaches.items()],
        ]
        self.fields["cohort"].choices = [
            *keep,
            (NONE, _("No cohort")),
            *[(pk, cohort.name) for pk, cohort in self.cohorts.items()],
        ]

    def _choice(self, name: str, found: dict):
        value = self.cleaned_data.get(name) or ""
        if value == "":
            return KEEP
        return None if value == NONE else found[value]

    def choices(self) -> dict:
        """``coach`` and ``cohort`` for portal.people.memberships_assign."""
        return {"coach": self._choice("coach", self.coaches), "cohort": self._choice("cohort", self.cohorts)}


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name", "kind", "starts_on")
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self) -> None:
        """A name used already (in any case) is refused by portal.people, with the name."""


class OrganisationSettingsForm(forms.ModelForm):
    invitation_valid_days = forms.IntegerField(
        label=capfirst(OrganisationSettings._meta.get_field("invitation_valid_days").verbose_name),
        min_value=INVITATION_VALID_DAYS[0],
        max_value=INVITATION_VALID_DAYS[1],
    )

    class Meta:
        model = OrganisationSettings
        fields = SETTINGS_FIELDS


class SharingForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("share_applications", "share_cv", "share_notes")
