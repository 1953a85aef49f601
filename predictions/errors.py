"""Every error type of predictions, in one base module that imports nothing of the kinds: a kind raises them, the
serving and training layers above catch them, and neither has to import the other to do so.

A missing or broken module is not one of them: an ImportError stops the process at start-up (the kinds are imported
normally, through predictions/kinds.py), so it can never be answered as "no model yet".
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class ModelUnavailable(Exception):
    """No usable model of this kind: no champion, or no loadable artifact. The API answers 503, the application page
    "not available yet"."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

    @property
    def message(self) -> str:
        return _("This prediction is not available yet: no trained model is ready. Please try again later.")


class NoSalaryModel(LookupError):
    """No champion salary model: run `manage.py train salary --promote`."""


class NoTimeToHireModel(LookupError):
    """No champion time-to-hire model: run `manage.py train time_to_hire --promote`."""


class SalaryInputError(ValueError):
    """A malformed salary request; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class TrainingDataMissing(RuntimeError):
    """The kind has no rows to train on."""


class InsufficientOutcomes(TrainingDataMissing, ValueError):
    """Fewer labelled interview outcomes than the model's minimum, or only one class."""


class TrainingRequestInvalid(ValueError):
    """A training request names an unknown kind or scope; the message names the field."""
