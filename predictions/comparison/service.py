"""How you compare: one application's CV match among comparable applications in this workspace, and the posted or
offered salary within its predicted range. Tenant schema only; the arithmetic is in predictions.comparison.arithmetic
and predictions.comparison.salary.

Comparable applications (``match_cohort_scores``):
- in this tenant's schema only: every query runs on the connection's schema and nothing here enters another one;
  the score cache's keys carry the schema (django_tenants.cache.make_key);
- of other users: the user's own other applications are left out. They are the same candidate, often with the same
  CV, so counting them would rank the user against themselves and let one prolific user reach the minimum alone;
- whose posting names the same O*NET occupation (the first O*NET occupation the keyword index finds in the posting
  title), or, when this posting's title names none, whose normalised title is the same
  (predictions.comparison.arithmetic.title_key);
- that have a match score: a readable CV is pinned and the scorer could judge the posting. At most the
  ``MAX_COHORT`` most recent are ranked.

Nothing of another application leaves this module: callers get the count and this application's percentile only.
Scores are those the owner would see (predictions.match.service.application_match_for on their behalf), cached for
a day under a key made of the CV version, the posting snapshot, the scorer and keyword data fingerprints and the
industry keyword database's version and when the seeker last corrected the version (tracking.cv_corrections; CV
versions and posting snapshots themselves never change), so a cold cohort is scored
once, not on every page view.

Plans: the percentile needs both the match score and the interview and offer probability (the premium prediction
it belongs with: how likely this application is to be picked over the others); salary positions need the salary
range, since they place amounts within it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from billing.entitlements import Entitlement, entitlement_check, feature_missing_text, plan_for
from billing.gating import locked_section
from billing.models import Feature
from market.models import KeywordDatabase, ReferenceDataset
from predictions import service
from predictions.application_panel import salary_range_section
from predictions.comparison.arithmetic import MIN_COMPARABLE, percentile_rank, title_key
from predictions.comparison.salary import amounts_to_place, salary_comparison
from predictions.match.scoring import SCORER_VERSION
from predictions.models import PredictionLog
from tenants.context import require_tenant_schema
from tracking.cv import keywords
from tracking.models import Application, CVDocument, JobPosting

logger = logging.getLogger(__name__)
PERCENTILE_FEATURES = (Feature.MATCH, Feature.INTERVIEW)
SALARY_FEATURE = Feature.SALARY_RANGE
MAX_COHORT = 500
SCORE_CACHE_SECONDS = 24 * 60 * 60
MAX_CACHED_TITLES = 50_000
OCCUPATION = "occupation"
TITLE = "title"


@dataclass(frozen=True)
class Basis:
    """What makes a posting comparable: its O*NET occupation, or its normalised title."""

    kind: str  # OCCUPATION or TITLE
    key: str  # the O*NET-SOC code, or the normalised title
    label: str  # the occupation's title, or the posting title as written (shown for this posting only)

    @property
    def identity(self) -> tuple[str, str]:
        return self.kind, self.key


def posting_basis(title: str, index: keywords.KeywordIndex) -> Basis | None:
    """The posting's basis of comparison; None for a title with no words to compare."""
    for found in keywords.titles_match(text=title, sections=[], index=index):
        if found["taxonomy"] == "onet":
            return Basis(OCCUPATION, found["occupation_code"], found["occupation_title"])
    key = title_key(title)
    return Basis(TITLE, key, title) if key else None


_bases_lock = threading.Lock()
_bases: dict = {"index": None, "by_title": {}}


def _bases_for(titles: Iterable[str], index: keywords.KeywordIndex) -> dict[str, Basis | None]:
    """``posting_basis`` for many titles, remembered in process for the index they were found with (a workspace's
    titles repeat, and matching an unknown title costs about 2 ms)."""
    with _bases_lock:
        if _bases["index"] is not index or len(_bases["by_title"]) > MAX_CACHED_TITLES:
            _bases.update(index=index, by_title={})
        known: dict[str, Basis | None] = _bases["by_title"]
    found = {title: known[title] if title in known else posting_basis(title, index) for title in set(titles)}
    with _bases_lock:
        if _bases["index"] is index:
            _bases["by_title"].update(found)
    return found


def _scorer_fingerprint() -> str:
    """What a cached score depends on beyond its CV and posting: the scorer, the keyword index's data and the
    industry keyword database's version (the match weighs the posting industry's skills)."""
    datasets = dict(
        ReferenceDataset.objects.filter(name__in=keywords.INDEX_DATASETS).values_list("name", "fingerprint")
    )
    industry_version = KeywordDatabase.objects.filter(is_current=True).values_list("version", flat=True).first()
    parts = [SCORER_VERSION, *(datasets.get(name, "") for name in keywords.INDEX_DATASETS), f"kdb{industry_version}"]
    return "|".join(parts)


def _score_key(
    fingerprint: str, cv_id: int, cv_sha256: str, corrected: object, posting_id: int, posting_saved: object
) -> str:
    identity = f"{fingerprint}|{cv_id}|{cv_sha256}|{corrected}|{posting_id}|{posting_saved}"
    return "predictions:comparison:match:" + hashlib.sha256(identity.encode()).hexdigest()


def _scores_compute(application_ids: list[int]) -> dict[int, int | None]:
    """The match each owner sees for these applications (run on the owner's behalf: nothing is shown to them)."""
    from predictions.match.service import application_match_for

    applications = Application.objects.filter(pk__in=application_ids).select_related(
        "posting", "cv", "cv__correction", "owner"
    )
    return {a.pk: application_match_for(user=a.owner, application=a)["score"] for a in applications}


def match_cohort_scores(*, user: User, basis: Basis) -> tuple[list[int], bool]:
    """(the match scores of the comparable applications, whether the cohort was cut to the ``MAX_COHORT`` most
    recent). See the module docstring for what is comparable. Never returns which application scored what."""
    require_tenant_schema()
    others = JobPosting.objects.exclude(owner_id=user.pk)
    titles = others.filter(applications__cv__status=CVDocument.Status.PARSED).values_list("title", flat=True)
    index = keywords.keyword_index()
    bases = _bases_for(titles.order_by().distinct(), index)
    comparable_titles = sorted(title for title, found in bases.items() if found and found.identity == basis.identity)
    if not comparable_titles:
        return [], False
    rows = list(
        Application.objects.filter(posting__title__in=comparable_titles, cv__status=CVDocument.Status.PARSED)
        .exclude(owner_id=user.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", "cv_id", "cv__sha256", "cv__correction__updated_at", "posting_id", "posting__created_at")[
            : MAX_COHORT + 1
        ]
    )
    capped, rows = len(rows) > MAX_COHORT, rows[:MAX_COHORT]
    fingerprint = _scorer_fingerprint()
    keys = {
        pk: _score_key(
            fingerprint, cv_id, sha256, corrected.isoformat() if corrected else "", posting_id, saved.isoformat()
        )
        for pk, cv_id, sha256, corrected, posting_id, saved in rows
    }
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        computed = _scores_compute(missing)
        fresh = {keys[pk]: {"score": score} for pk, score in computed.items()}
        cache.set_many(fresh, timeout=SCORE_CACHE_SECONDS)
        cached.update(fresh)
    scores = [cached[key]["score"] for key in keys.values() if key in cached]
    return [score for score in scores if score is not None], capped


def _basis_text(basis: Basis) -> str:
    if basis.kind == OCCUPATION:
        text = _("Compared with other people's applications in this workspace for the same occupation: %(name)s.")
    else:
        text = _("Compared with other people's applications in this workspace for the same job title: %(name)s.")
    return text % {"name": basis.label}


def _match_part(*, user: User, application: Application, own: dict) -> dict:
    """The percentile part: ``own`` is this application's match (``score`` and, without one, ``reason``)."""
    part: dict = {"available": True, "shown": False, "percentile": None, "comparable_count": None}
    part |= {"minimum_comparable": MIN_COMPARABLE, "score": own.get("score"), "basis": None, "notes": []}
    if own.get("score") is None:
        part["sentence"] = _("This application has no match score, so it cannot be compared with others.")
        return part
    basis = posting_basis(application.posting.title, keywords.keyword_index())
    if basis is None:
        part["sentence"] = _("This posting's title has no words to compare with other postings.")
        return part
    scores, capped = match_cohort_scores(user=user, basis=basis)
    count = len(scores)
    part["basis"] = {"kind": basis.kind, "code": basis.key if basis.kind == OCCUPATION else None, "label": basis.label}
    part["comparable_count"] = count
    part["notes"] = [_basis_text(basis), _("Your own other applications are not counted.")]
    if capped:
        part["notes"].append(_("Only the %(count)s most recent are compared.") % {"count": MAX_COHORT})
    if count < MIN_COMPARABLE:
        part["sentence"] = ngettext(
            "There is %(count)s comparable application so far; a percentile needs at least %(minimum)s.",
            "There are %(count)s comparable applications so far; a percentile needs at least %(minimum)s.",
            count,
        ) % {"count": count, "minimum": MIN_COMPARABLE}
        return part
    part["shown"] = True
    part["percentile"] = percentile_rank(int(own["score"]), scores)
    part["sentence"] = _(
        "Your CV match (%(score)s / 100) is above about %(percentile)s %% of %(count)s comparable applications."
    ) % {"score": own["score"], "percentile": part["percentile"], "count": count}
    return part


def _percentile_locked(entitlement: Entitlement) -> dict:
    section = locked_section(entitlement)
    section["feature"] = _("your match percentile among comparable applications")
    section["message"] = feature_missing_text(entitlement.plan, section["feature"])
    return section


def _guarded(kind: str, gather: Callable[[], dict]) -> dict:
    """A failing part becomes the "not available yet" line, logged; the page and the other part go on."""
    try:
        with transaction.atomic():
            return gather()
    except Exception:  # noqa: BLE001 - any failure becomes the "not available yet" line
        logger.exception("comparison: the %s part failed", kind)
        return {"available": False, "message": _("Not available yet.")}


def _own_match(*, user: User, application: Application, predictions: dict | None, source: str) -> dict:
    if predictions is not None:
        section = predictions["match"]
        if not section.get("available"):
            return {"score": None}
        return section["result"]
    return service.match_serve(user=user, applications=[application], source=source)[0]


def _salary_part(*, user: User, application: Application, predictions: dict | None, source: str) -> dict:
    from predictions.reference import market_reference

    if predictions is not None:
        section = predictions["salary"]
    else:
        section = salary_range_section(user=user, application=application, source=source)
    if section.get("locked") or not section.get("available"):
        return section
    posting = application.posting
    amounts = amounts_to_place(
        salary_min=posting.salary_min,
        salary_max=posting.salary_max,
        salary_currency=posting.salary_currency,
        salary_period=posting.salary_period,
        offer_amount=application.offer_amount,
        offer_currency=application.offer_currency,
    )
    return salary_comparison(result=section["result"], amounts=amounts, fx_per_usd=market_reference().fx_per_usd)


def application_comparison(
    *,
    user: User,
    application: Application,
    predictions: dict[str, dict] | None = None,
    source: str = PredictionLog.Source.PAGE,
) -> dict[str, dict]:
    """{"match": …, "salary": …} for the user's own application. Each part is either locked (``locked``, the plan's
    reason, ``pricing_url``), or not available (``message``), or available:

    - match: ``shown`` (at least ``MIN_COMPARABLE`` comparable applications), ``percentile`` (None unless shown),
      ``comparable_count``, ``score`` (this application's), ``basis`` and a ``sentence``;
    - salary: the range (``p10``, ``p50``, ``p90`` yearly in ``currency``) and ``items``, each amount placed in it.

    ``predictions`` is the page's application_predictions(), whose match and salary are reused rather than served
    again. Raises PermissionError for another user's application (fails closed).
    """
    require_tenant_schema()
    if application.owner_id != user.pk:
        raise PermissionError("application_comparison: the application belongs to another user")
    plan = plan_for(user)
    refused = next(
        (e for e in (entitlement_check(user=user, feature=f, plan=plan) for f in PERCENTILE_FEATURES) if not e.allowed),
        None,
    )
    if refused is not None:
        match = _percentile_locked(refused)
    else:
        match = _guarded(
            "match",
            lambda: _match_part(
                user=user,
                application=application,
                own=_own_match(user=user, application=application, predictions=predictions, source=source),
            ),
        )
    salary_entitlement = entitlement_check(user=user, feature=SALARY_FEATURE, plan=plan)
    if not salary_entitlement.allowed:
        salary = locked_section(salary_entitlement)
    else:
        salary = _guarded(
            "salary",
            lambda: _salary_part(user=user, application=application, predictions=predictions, source=source),
        )
    return {"match": match, "salary": salary}
