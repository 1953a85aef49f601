"""Forms of the beta programme's seeker side: feedback on a page, the NPS question, an invitation code."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from analytics.beta import invitation_check
from analytics.feedback import comment_sanitise
from analytics.models import Feedback
from analytics.models_beta import COMMENT_MAX_CHARS

RATINGS = [(value, str(value)) for value in range(1, 6)]
SCORES = [(value, str(value)) for value in range(0, 11)]


class FeedbackForm(forms.Form):
    page = forms.ChoiceField(choices=Feedback.Page.choices, widget=forms.HiddenInput)
    feature = forms.ChoiceField(
        label=_("What is it about?"),
        choices=Feedback.Feature.choices,
        error_messages={"invalid_choice": _("Choose the feature the feedback is about.")},
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating (1 = poor, 5 = excellent)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_CHARS}),
        help_text=_("Plain text, up to 2000 characters. Please leave out anything private."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_comment(self) -> str:
        text = comment_sanitise(self.cleaned_data.get("comment", ""))
        if len(text) > COMMENT_MAX_CHARS:
            raise ValidationError(
                _("Keep the comment to %(limit)d characters or fewer (it has %(count)d).")
                % {"limit": COMMENT_MAX_CHARS, "count": len(text)}
            )
        return text


class NpsForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend CVPlus to a friend or colleague?"),
        choices=SCORES,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a score from 0 to 10.")},
    )
    action = forms.ChoiceField(choices=[("answer", "answer"), ("dismiss", "dismiss")], widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "answer" and data.get("score") in (None, ""):
            self.add_error("score", _("Choose a score from 0 to 10, or choose “Not now”."))
        return data


class InvitationCodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Beta invitation code"))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            try:
                invitation_check(value)
            except ValidationError as error:
                raise ValidationError(error.message_dict["invitation_code"]) from None


class BetaJoinForm(forms.Form):
    invitation_code = InvitationCodeField()
