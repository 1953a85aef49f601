"""The labelled evaluation set in data/evaluation/: loading and validation. Pure file reading, no ORM.

Layout (see data/evaluation/SOURCE.md): ``cvs/<id>.txt`` and ``postings/<id>.txt`` hold the documents as written,
``<id>.yaml`` next to each its hand annotation, ``pairs.yaml`` the judged CV × posting pairs and ``skills.yaml`` the
canonical skill labels' other names. Validation returns every problem found (never stops at the first) so one run of
the tests lists them all.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from market.industries import INDUSTRY_CODES

LANGUAGES = ("en", "de", "fr", "es", "ja")
KINDS = ("cv", "posting")
FITS = {"weak": 0, "partial": 1, "strong": 2}
# The minimums for the set.
MIN_CVS = 40
MIN_POSTINGS = 80
MIN_PAIRS = 150
MIN_POSTINGS_PER_OTHER_LANGUAGE = 8
MIN_CVS_PER_OTHER_LANGUAGE = 4
SPLITS = ("all", "tune", "check")


@dataclass(frozen=True)
class Document:
    id: str
    kind: str  # "cv" or "posting"
    language: str
    industry: str | None  # one of INDUSTRY_CODES; None when the document names none (an empty posting)
    text: str
    title: str  # a posting's title field; "" for a CV
    titles: tuple[str, ...]  # job titles as written (a CV's newest first)
    occupation_soc: tuple[str, ...]  # accepted SOC codes ("15-2051") for the document's (first) title
    occupation_isco: tuple[str, ...]  # accepted ISCO-08 unit groups ("2120") for an ESCO occupation
    years_experience: int | None  # CV: dated roles up to EVALUATION_DATE, overlaps once; posting: years asked
    degrees: tuple[dict, ...]
    skills: dict[str, str]  # canonical label -> the surface form as written in the text
    must_have: tuple[str, ...] = ()
    nice_to_have: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    cv: str
    posting: str
    fit: str  # weak / partial / strong
    reason: str

    @property
    def fit_value(self) -> int:
        return FITS[self.fit]


@dataclass
class EvaluationSet:
    documents: dict[str, Document]
    pairs: list[Pair]
    skill_aliases: dict[str, tuple[str, ...]]  # canonical label -> other names (taxonomy names, other languages)
    problems: list[str] = field(default_factory=list)  # found while loading; see evaluation_set_check

    def of_kind(self, kind: str) -> list[Document]:
        return [document for document in self.documents.values() if document.kind == kind]


def _as_tuple(value) -> tuple:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def _document_read(annotation_path: Path, problems: list[str]) -> Document | None:
    text_path = annotation_path.with_suffix(".txt")
    try:
        data = yaml.safe_load(annotation_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        problems.append(f"{annotation_path.name}: not valid YAML ({error})")
        return None
    if not text_path.exists():
        problems.append(f"{annotation_path.name}: no text file {text_path.name} next to it")
        return None
    requirements = data.get("requirements") or {}
    occupation = data.get("occupation") or {}
    try:
        return Document(
            id=str(data["id"]),
            kind=str(data["kind"]),
            language=str(data["language"]),
            industry=data.get("industry"),
            text=text_path.read_text(encoding="utf-8"),
            title=str(data.get("title") or ""),
            titles=tuple(str(title) for title in _as_tuple(data.get("titles"))),
            occupation_soc=tuple(str(code) for code in _as_tuple(occupation.get("soc"))),
            occupation_isco=tuple(str(code) for code in _as_tuple(occupation.get("isco"))),
            years_experience=data.get("years_experience"),
            degrees=tuple(_as_tuple(data.get("degrees"))),
            skills={str(label): str(surface) for label, surface in (data.get("skills") or {}).items()},
            must_have=tuple(str(phrase) for phrase in _as_tuple(requirements.get("must_have"))),
            nice_to_have=tuple(str(phrase) for phrase in _as_tuple(requirements.get("nice_to_have"))),
        )
    except (KeyError, TypeError, AttributeError) as error:
        problems.append(f"{annotation_path.name}: malformed annotation ({error!r})")
        return None


def evaluation_set_load(directory: Path) -> EvaluationSet:
    """Every document, pair and alias under ``directory``; what cannot be read is listed in ``problems``."""
    problems: list[str] = []
    documents: dict[str, Document] = {}
    for folder in ("cvs", "postings"):
        for annotation_path in sorted((directory / folder).glob("*.yaml")):
            document = _document_read(annotation_path, problems)
            if document is None:
                continue
            if document.id != annotation_path.stem:
                problems.append(f"{annotation_path.name}: id {document.id!r} is not the file's name")
            if document.id in documents:
                problems.append(f"{document.id}: annotated twice")
            documents[document.id] = document
    pairs_data = yaml.safe_load((directory / "pairs.yaml").read_text(encoding="utf-8")) or {}
    pairs = [
        Pair(cv=str(row.get("cv")), posting=str(row.get("posting")), fit=str(row.get("fit")), reason=row.get("reason"))
        for row in pairs_data.get("pairs") or []
    ]
    aliases_path = directory / "skills.yaml"
    aliases_data = yaml.safe_load(aliases_path.read_text(encoding="utf-8")) if aliases_path.exists() else {}
    skill_aliases = {
        str(label): tuple(str(name) for name in _as_tuple(names))
        for label, names in ((aliases_data or {}).get("aliases") or {}).items()
    }
    return EvaluationSet(documents=documents, pairs=pairs, skill_aliases=skill_aliases, problems=problems)


def _document_problems(document: Document) -> list[str]:
    problems = []
    where = document.id
    if document.kind not in KINDS:
        problems.append(f"{where}: kind {document.kind!r} is not one of {KINDS}")
    if document.language not in LANGUAGES:
        problems.append(f"{where}: language {document.language!r} is not one of {LANGUAGES}")
    if not document.id.startswith(f"{'cv' if document.kind == 'cv' else 'po'}-{document.language}-"):
        problems.append(f"{where}: the id does not start with its kind and language")
    if document.industry is not None and document.industry not in INDUSTRY_CODES:
        problems.append(f"{where}: industry {document.industry!r} is not a CVPlus industry code")
    if document.kind == "cv" and document.industry is None:
        problems.append(f"{where}: a CV needs an industry")
    if not document.occupation_soc:
        problems.append(f"{where}: no accepted SOC code for the title")
    for code in document.occupation_soc:
        if len(code) < 7 or code[2] != "-" or not code[:2].isdigit():
            problems.append(f"{where}: SOC code {code!r} is not like 15-2051")
    for code in document.occupation_isco:
        if not (code.isdigit() and len(code) == 4):
            problems.append(f"{where}: ISCO code {code!r} is not a four-digit unit group")
    if document.years_experience is not None and not (
        isinstance(document.years_experience, int) and 0 <= document.years_experience <= 50
    ):
        problems.append(f"{where}: years_experience {document.years_experience!r} is not a whole number of years")
    for label, surface in document.skills.items():
        if not label.strip() or not surface.strip():
            problems.append(f"{where}: skill {label!r} has an empty label or surface form")
        elif surface not in document.text:
            problems.append(f"{where}: skill {label!r} is written {surface!r}, which is not in the text")
    if document.kind == "cv":
        if document.must_have or document.nice_to_have:
            problems.append(f"{where}: a CV has no requirements")
        if not document.titles:
            problems.append(f"{where}: a CV needs its job titles")
    else:
        if not document.title:
            problems.append(f"{where}: a posting needs its title")
        for phrase in (*document.must_have, *document.nice_to_have):
            if not phrase.strip():
                problems.append(f"{where}: an empty requirement phrase")
        overlap = set(document.must_have) & set(document.nice_to_have)
        if overlap:
            problems.append(f"{where}: {sorted(overlap)} listed as both must-have and nice-to-have")
    return problems


def evaluation_set_check(dataset: EvaluationSet) -> list[str]:
    """Every way the set falls short of its contract (empty when it is sound): well-formed annotations, the issue's
    minimum counts, every language and industry present, pairs that refer to existing documents of the right kind."""
    problems = list(dataset.problems)
    for document in dataset.documents.values():
        problems.extend(_document_problems(document))
    cvs, postings = dataset.of_kind("cv"), dataset.of_kind("posting")
    if len(cvs) < MIN_CVS:
        problems.append(f"{len(cvs)} CVs, fewer than {MIN_CVS}")
    if len(postings) < MIN_POSTINGS:
        problems.append(f"{len(postings)} postings, fewer than {MIN_POSTINGS}")
    cv_languages = Counter(document.language for document in cvs)
    posting_languages = Counter(document.language for document in postings)
    for language in LANGUAGES:
        if language == "en":
            continue
        if cv_languages[language] < MIN_CVS_PER_OTHER_LANGUAGE:
            problems.append(f"{language}: {cv_languages[language]} CVs, fewer than {MIN_CVS_PER_OTHER_LANGUAGE}")
        if posting_languages[language] < MIN_POSTINGS_PER_OTHER_LANGUAGE:
            problems.append(
                f"{language}: {posting_languages[language]} postings, fewer than {MIN_POSTINGS_PER_OTHER_LANGUAGE}"
            )
    for code in INDUSTRY_CODES:
        if not any(document.industry == code for document in cvs):
            problems.append(f"industry {code}: no CV")
        if not any(document.industry == code for document in postings):
            problems.append(f"industry {code}: no posting")
    if len(dataset.pairs) < MIN_PAIRS:
        problems.append(f"{len(dataset.pairs)} pairs, fewer than {MIN_PAIRS}")
    seen: set[tuple[str, str]] = set()
    for pair in dataset.pairs:
        where = f"pair {pair.cv} × {pair.posting}"
        cv, posting = dataset.documents.get(pair.cv), dataset.documents.get(pair.posting)
        if cv is None or cv.kind != "cv":
            problems.append(f"{where}: {pair.cv!r} is not an annotated CV")
        if posting is None or posting.kind != "posting":
            problems.append(f"{where}: {pair.posting!r} is not an annotated posting")
        if pair.fit not in FITS:
            problems.append(f"{where}: fit {pair.fit!r} is not one of {tuple(FITS)}")
        if not isinstance(pair.reason, str) or not pair.reason.strip() or "\n" in pair.reason:
            problems.append(f"{where}: needs a one-line reason")
        if (pair.cv, pair.posting) in seen:
            problems.append(f"{where}: judged twice")
        seen.add((pair.cv, pair.posting))
    for label, names in dataset.skill_aliases.items():
        if not names:
            problems.append(f"skills.yaml: {label!r} has no other names")
    return problems


def posting_split(dataset: EvaluationSet) -> dict[str, str]:
    """Posting id -> "tune" or "check": within each language the postings sorted by id alternate, the first to
    "tune". Fixed by the ids alone, so the halves never change between runs and no posting is in both."""
    split: dict[str, str] = {}
    for language in LANGUAGES:
        ids = sorted(document.id for document in dataset.of_kind("posting") if document.language == language)
        for position, posting_id in enumerate(ids):
            split[posting_id] = "tune" if position % 2 == 0 else "check"
    return split


def pairs_of_split(dataset: EvaluationSet, split: str) -> list[Pair]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if split == "all":
        return list(dataset.pairs)
    halves = posting_split(dataset)
    return [pair for pair in dataset.pairs if halves.get(pair.posting) == split]


def evaluation_set_fingerprint(directory: Path) -> str:
    """SHA-256 over the set's files (names and bytes), so a report says which version of the set it measured."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".yaml"}:
            digest.update(path.relative_to(directory).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
