"""A CV version checked against the conventions of the seeker's target country (market.cv_rules).

The target is the country asked for, else the candidate profile's country, else the workspace's region (its
default rules, with no country). Reads only: nothing is stored.
"""

from __future__ import annotations

import io
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from market.cv_checks import CVFacts
from market.cv_rules import ConventionsReport, RulePack, conventions_report, cv_rule_pack
from tenants.context import current_tenant, require_tenant_schema
from tracking.cv.extract import MAX_PDF_PAGES, PDF_TYPE
from tracking.models import CandidateProfile, CVDocument

logger = logging.getLogger(__name__)


def cv_page_count(cv: CVDocument) -> int | None:
    """The number of pages of a readable uploaded PDF, read from the stored original; None for any other CV or when
    the file cannot be opened (the length is then estimated from the text)."""
    if cv.content_type != PDF_TYPE or cv.status != CVDocument.Status.PARSED or not cv.file:
        return None
    from pypdf import PdfReader

    try:
        with cv.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")  # the upload was readable, so the empty user password opens it
            pages = len(reader.pages)
    except Exception:  # a missing or damaged file only costs the exact page count
        logger.warning("CV %s: could not count the PDF's pages", cv.pk, exc_info=True)
        return None
    return pages if 0 < pages <= MAX_PDF_PAGES else None


def cv_facts(cv: CVDocument) -> CVFacts | None:
    """What the checks read of a CV version; None when it could not be read."""
    if cv.status != CVDocument.Status.PARSED or not cv.text.strip():
        return None
    return CVFacts(text=cv.text, parsed=cv.parsed or {}, pages=cv_page_count(cv))


def _default_pack(user: User) -> RulePack:
    """The profile's country, else the workspace's region. A profile country we do not know (an old or mistyped
    code) falls back to the region rather than failing the page."""
    profile_country = CandidateProfile.objects.filter(user=user).values_list("country", flat=True).first()
    if profile_country:
        try:
            return cv_rule_pack(country_code=profile_country)
        except ValidationError:
            pass
    return cv_rule_pack(region_code=current_tenant().region)


def cv_conventions(*, user: User, cv: CVDocument | None, country: str = "") -> ConventionsReport:
    """The conventions report for one of the user's CV versions (None: the advice alone), against ``country`` or,
    when it is empty, the default target. The caller has already checked that ``cv`` is the user's.

    ValidationError on "country" when ``country`` is not a known country code.
    """
    require_tenant_schema()
    pack = cv_rule_pack(country_code=country) if country else _default_pack(user)
    facts = cv_facts(cv) if cv is not None else None
    return conventions_report(pack=pack, facts=facts, today=timezone.localdate())
