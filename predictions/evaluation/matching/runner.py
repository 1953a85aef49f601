"""Runs CVPlus's current CV reading and match code over the labelled set and aggregates the metrics.

Only public entry points are called, the ones the product calls: ``tracking.cv.reading.cv_parse`` for a CV,
``tracking.cv.keywords.skills_match`` / ``titles_match`` and ``tracking.requirements.requirements_split`` for a
posting, ``tracking.services.posting_industry_detect`` for its industry and ``predictions.match.scoring.match_score``
for a pair (with the industry profile of the detected industry, as a posting saved without one gets). Reads the
reference data (the keyword index, ESCO occupations' ISCO groups) but writes nothing.

The report's keys are stable (``REPORT_VERSION``) so runs before and after a change can be compared key by key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from predictions.evaluation.matching.dataset import (
    LANGUAGES,
    Document,
    EvaluationSet,
    pairs_of_split,
    posting_split,
)
from predictions.evaluation.matching.metrics import (
    Counts,
    counts_sum,
    occupation_correct,
    requirements_compare,
    skills_compare,
    spearman,
)

REPORT_VERSION = 1
# "Present" in a CV is read as this day, so the years of experience annotated by hand stay right whenever the set is
# run (cv_parse itself counts to today; the evaluation recounts the same sections to this date).
EVALUATION_DATE = date(2026, 12, 1)
YEARS_TOLERANCE = 1
NO_INDUSTRY = "none"
# The targets. A metric without one is reported without PASS/MISS.
TARGETS: dict[str, dict[str, float]] = {
    "skills_precision": {"en": 0.85, "other": 0.75},
    "skills_recall": {"en": 0.70, "other": 0.60},
    "requirements_precision": {"en": 0.90, "other": 0.90},
    "industry_accuracy": {"en": 0.85, "other": 0.85},
    "spearman": {"en": 0.6, "other": 0.6},
}


def target_for(metric: str, language: str) -> float | None:
    """The target of ``metric`` for a language row ("all" and industry rows are held to the non-English target)."""
    targets = TARGETS.get(metric)
    if targets is None:
        return None
    return targets["en"] if language == "en" else targets["other"]


@dataclass
class DocumentResult:
    document: Document
    skills: Counts
    skills_found: list[str]
    skills_wrong: list[str]
    skills_missed: list[str]
    occupation: dict | None  # the first occupation read from the document's title(s)
    occupation_correct: bool
    industry: str  # detected, "" when none
    industry_correct: bool
    requirements: Counts = field(default_factory=Counts)
    requirements_predicted: dict = field(default_factory=dict)
    years: int | None = None
    years_correct: bool | None = None


@dataclass
class PairResult:
    cv: str
    posting: str
    fit: str
    fit_value: int
    score: int | None
    cross_language: bool
    posting_language: str
    posting_industry: str


def _isco_groups(codes: Iterable[str]) -> dict[str, str]:
    from market.models import Occupation, Taxonomy

    return dict(
        Occupation.objects.filter(taxonomy=Taxonomy.ESCO, code__in=set(codes)).values_list("code", "isco_group")
    )


def _occupation_judge(document: Document, found: list[dict], isco_of: dict[str, str]) -> tuple[dict | None, bool]:
    if not found:
        return None, False
    first = found[0]
    taxonomy, code = first.get("taxonomy"), first.get("occupation_code")
    right = occupation_correct(
        taxonomy=taxonomy,
        code=code,
        isco_group=isco_of.get(code or ""),
        soc=document.occupation_soc,
        isco=document.occupation_isco,
    )
    summary = {
        "taxonomy": taxonomy,
        "code": code,
        "title": first.get("occupation_title"),
        "as_written": first.get("title_as_written"),
    }
    return summary, right


def _document_result(
    document: Document, dataset: EvaluationSet, *, skill_names: list[str], titles: list[dict], industry: str, **extra
) -> DocumentResult:
    """What is judged alike for CVs and postings: skills, the first occupation and the industry."""
    counts, found, wrong, missed = skills_compare(skill_names, document.skills, dataset.skill_aliases)
    occupation, occupation_right = _occupation_judge(
        document, titles, _isco_groups(title["occupation_code"] for title in titles[:1])
    )
    return DocumentResult(
        document=document,
        skills=counts,
        skills_found=found,
        skills_wrong=wrong,
        skills_missed=missed,
        occupation=occupation,
        occupation_correct=occupation_right,
        industry=industry,
        industry_correct=industry == (document.industry or ""),
        **extra,
    )


def _cv_read(document: Document, dataset: EvaluationSet) -> tuple[DocumentResult, dict]:
    from tracking.cv import sections
    from tracking.cv.reading import cv_parse

    parsed = cv_parse(document.text)
    industries = parsed.get("industries") or []
    years = sections.experience_years(parsed.get("sections") or [], today=EVALUATION_DATE)
    years_right = (
        None
        if document.years_experience is None
        else years is not None and abs(years - document.years_experience) <= YEARS_TOLERANCE
    )
    result = _document_result(
        document,
        dataset,
        skill_names=[skill.get("label") or skill["name"] for skill in parsed.get("skills") or []],
        titles=list(parsed.get("titles") or []),
        industry=industries[0]["code"] if industries else "",
        years=years,
        years_correct=years_right,
    )
    return result, parsed


def _posting_read(document: Document, dataset: EvaluationSet, index) -> DocumentResult:
    from tracking.cv import keywords
    from tracking.requirements import requirements_split
    from tracking.services import posting_industry_detect

    requirements = requirements_split(document.text)
    gold = {"must_have": document.must_have, "nice_to_have": document.nice_to_have}
    return _document_result(
        document,
        dataset,
        skill_names=[
            skill.get("label") or skill["name"] for skill in keywords.skills_match(document.text, index=index)
        ],
        titles=keywords.titles_match(text=document.title, sections=[], index=index),
        industry=posting_industry_detect(title=document.title, description=document.text),
        requirements=requirements_compare(requirements, gold),
        requirements_predicted=requirements,
    )


def _ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _group_metrics(documents: list[DocumentResult], pairs: list[PairResult]) -> dict:
    skills = counts_sum(result.skills for result in documents)
    postings = [result for result in documents if result.document.kind == "posting"]
    cvs = [result for result in documents if result.document.kind == "cv"]
    requirements = counts_sum(result.requirements for result in postings)
    dated = [result for result in cvs if result.years_correct is not None]
    scores = [float(pair.score or 0) for pair in pairs]
    fits = [float(pair.fit_value) for pair in pairs]
    return {
        "documents": len(documents),
        "cvs": len(cvs),
        "postings": len(postings),
        "skills_precision": skills.precision,
        "skills_recall": skills.recall,
        "skills_correct": skills.correct,
        "skills_predicted": skills.predicted,
        "skills_gold": skills.gold,
        "requirements_precision": requirements.precision,
        "requirements_recall": requirements.recall,
        "requirements_correct": requirements.correct,
        "requirements_predicted": requirements.predicted,
        "requirements_gold": requirements.gold,
        "title_accuracy": _ratio(sum(result.occupation_correct for result in documents), len(documents)),
        "title_count": len(documents),
        "industry_accuracy": _ratio(sum(result.industry_correct for result in postings), len(postings)),
        "industry_count": len(postings),
        "cv_industry_accuracy": _ratio(sum(result.industry_correct for result in cvs), len(cvs)),
        "years_accuracy": _ratio(sum(bool(result.years_correct) for result in dated), len(dated)),
        "years_count": len(dated),
        "pairs": len(pairs),
        "pairs_unscored": sum(1 for pair in pairs if pair.score is None),
        "spearman": spearman(scores, fits),
    }


def documents_read_and_match(
    *,
    dataset: EvaluationSet,
    split: str = "all",
    progress: Callable[[str], None] | None = None,
    started: float | None = None,
) -> tuple[dict[str, DocumentResult], list[tuple]]:
    """Every document read as the product reads it, and each pair of ``split`` matched: (results by document id,
    [(pair, match_score's dict)]). The weight tuning (``predictions.evaluation.matching.tuning``) rescores these."""
    from market.keyword_databases import industry_profiles
    from predictions.match.scoring import match_score
    from tracking.cv import keywords

    started = time.monotonic() if started is None else started
    index = keywords.keyword_index()
    profiles = industry_profiles()
    results: dict[str, DocumentResult] = {}
    parsed_cvs: dict[str, dict] = {}
    for document in sorted(dataset.documents.values(), key=lambda item: item.id):
        if document.kind == "cv":
            results[document.id], parsed_cvs[document.id] = _cv_read(document, dataset)
        else:
            results[document.id] = _posting_read(document, dataset, index)
    if progress:
        progress(f"read {len(results)} documents in {time.monotonic() - started:.1f} s")
    matches: list[tuple] = []
    for pair in pairs_of_split(dataset, split):
        cv, posting = dataset.documents[pair.cv], dataset.documents[pair.posting]
        posting_result = results[posting.id]
        match = match_score(
            cv_readable=True,
            cv_text=cv.text,
            cv_parsed=parsed_cvs[cv.id],
            posting_title=posting.title,
            posting_description=posting.text,
            requirements=posting_result.requirements_predicted,
            index=index,
            industry=profiles.get(posting_result.industry) if posting_result.industry else None,
        )
        matches.append((pair, match))
    return results, matches


def matching_evaluate(
    *, dataset: EvaluationSet, split: str = "all", progress: Callable[[str], None] | None = None
) -> dict:
    """The report over ``dataset``: per language, per industry (the document's; a pair counts under its posting's
    language and industry), cross-language pairs, and per document and pair details."""
    from predictions.match.scoring import SCORER_VERSION

    started = time.monotonic()
    results, matches = documents_read_and_match(dataset=dataset, split=split, progress=progress, started=started)
    pair_results: list[PairResult] = []
    for pair, match in matches:
        cv, posting = dataset.documents[pair.cv], dataset.documents[pair.posting]
        pair_results.append(
            PairResult(
                cv=cv.id,
                posting=posting.id,
                fit=pair.fit,
                fit_value=pair.fit_value,
                score=match["score"],
                cross_language=cv.language != posting.language,
                posting_language=posting.language,
                posting_industry=posting.industry or NO_INDUSTRY,
            )
        )
    documents = list(results.values())
    by_language = {
        language: _group_metrics(
            [result for result in documents if result.document.language == language],
            [pair for pair in pair_results if pair.posting_language == language],
        )
        for language in LANGUAGES
    }
    by_language["all"] = _group_metrics(documents, pair_results)
    industries = sorted({result.document.industry or NO_INDUSTRY for result in documents})
    by_industry = {
        industry: _group_metrics(
            [result for result in documents if (result.document.industry or NO_INDUSTRY) == industry],
            [pair for pair in pair_results if pair.posting_industry == industry],
        )
        for industry in industries
    }
    cross = [pair for pair in pair_results if pair.cross_language]
    halves = posting_split(dataset)
    return {
        "report_version": REPORT_VERSION,
        "scorer_version": SCORER_VERSION,
        "split": split,
        "evaluation_date": EVALUATION_DATE.isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "targets": TARGETS,
        "by_language": by_language,
        "by_industry": by_industry,
        "cross_language_pairs": {
            "pairs": len(cross),
            "spearman": spearman([float(pair.score or 0) for pair in cross], [float(pair.fit_value) for pair in cross]),
        },
        "documents": [_document_detail(result) for result in documents],
        "pair_scores": [
            {
                "cv": pair.cv,
                "posting": pair.posting,
                "fit": pair.fit,
                "score": pair.score,
                "split": halves.get(pair.posting),
            }
            for pair in pair_results
        ],
    }


def _document_detail(result: DocumentResult) -> dict:
    document = result.document
    detail = {
        "id": document.id,
        "kind": document.kind,
        "language": document.language,
        "industry": document.industry,
        "industry_detected": result.industry,
        "occupation_detected": result.occupation,
        "occupation_correct": result.occupation_correct,
        "skills_found": result.skills_found,
        "skills_wrong": result.skills_wrong,
        "skills_missed": result.skills_missed,
    }
    if document.kind == "cv":
        detail["years"] = result.years
        detail["years_expected"] = document.years_experience
    else:
        detail["requirements_predicted"] = result.requirements_predicted
        detail["requirements_correct"] = result.requirements.correct
    return detail
