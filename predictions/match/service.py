"""The match of an application's pinned CV version against its posting, for the application's owner only."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from market.keyword_databases import industry_profiles
from predictions.match.scoring import SCORER_VERSION, match_score
from tenants.context import require_tenant_schema
from tracking.cv import keywords
from tracking.cv_corrections import cv_parsed
from tracking.models import Application, CVDocument
from tracking.selectors import application_get


def application_match(*, user: User, application_id: int) -> dict | None:
    """The match for the user's application, or None when the user has no application with this id."""
    require_tenant_schema()
    application = application_get(user=user, pk=application_id)
    if application is None:
        return None
    return application_match_for(user=user, application=application)


def application_match_for(*, user: User, application: Application, index: keywords.KeywordIndex | None = None) -> dict:
    """The match for an application already loaded (with ``posting`` and ``cv``), e.g. by the application page.

    Fails closed: another user's application raises ``PermissionError`` rather than being scored. Without a pinned CV
    version the result has no score and says why. `index`: the keyword index, when the caller scores many
    applications and has it at hand (each call of ``keywords.keyword_index()`` checks the reference data's
    fingerprints with a query).
    """
    require_tenant_schema()
    if application.owner_id != user.pk:
        raise PermissionError("application_match_for: the application belongs to another user")
    cv = application.cv
    posting = application.posting
    if cv is None:
        return {
            "score": None,
            "band": None,
            "reason": _("No CV version is pinned to this application, so there is nothing to match."),
            "components": [],
            "changes": [],
            "scorer_version": SCORER_VERSION,
        }
    return match_score(
        cv_readable=cv.status == CVDocument.Status.PARSED,
        cv_text=cv.text,
        cv_parsed=cv_parsed(cv),
        posting_title=posting.title,
        posting_description=posting.description,
        requirements=posting.requirements_current,
        index=index or keywords.keyword_index(),
        industry=industry_profiles().get(posting.industry) if posting.industry else None,
    )
