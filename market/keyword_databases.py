"""Industry keyword databases: for each industry (market/industries.py), the skills, job titles and task
words that matter in it, weighted by how much of the industry's US employment they concern, with synonym groups.

Built by `manage.py build_keyword_databases` (also run by the demo set-up) from the loaded reference data:

- **Occupation shares** of each industry: BLS OEWS national employment by sector (market/industries.py). An SOC
  occupation's share is split evenly between its O*NET occupations (15-1252 → 15-1252.00).
- **Skills**: O*NET technology skills; a skill's weight in an industry is the share of the industry's employment in
  occupations that list it (0.31: occupations holding 31 % of the industry's jobs use it).
- **Titles**: one synonym group per O*NET occupation: its preferred, alternate and reported titles, plus the labels
  of every ESCO occupation whose preferred or alternative label is one of them (European titles and synonyms);
  weighted by the occupation's share.
- **Task words**: words of the O*NET core task statements, weighted by occupation share, kept when an industry uses
  them at least LIFT_MIN times as often as all the industries together: the vocabulary that tells healthcare
  ("patient", "medication") from finance ("loan", "account").
- **Skill synonyms**: the ways CVs write a skill (vendor or "software" dropped, curated abbreviations), the same
  rules as the CV keyword index (tracking/cv/keyword_index.py).

Each build is a new version written in one transaction and made current at its end; the last KEEP_VERSIONS stay.
Reading (`industry_profiles`) is cached in process and follows the current version within PROFILE_TTL_S seconds.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from market.industries import INDUSTRIES, industries_ensure
from market.models import (
    Industry,
    IndustryKeyword,
    IndustryOccupation,
    KeywordDatabase,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    ReferenceDataset,
    SynonymGroup,
    SynonymTerm,
    Taxonomy,
)
from market.readers import read_tab_rows

SOURCE_DATASETS = ("bls_oews_2025", "onet_occupations", "onet_technology_skills", "esco_occupations")
TASK_FILE = ("onet_29_2", "Task_Statements.txt")
SKILL_MIN_WEIGHT = 0.001  # a skill used by occupations holding at least 0.1 % of the industry's jobs
SKILLS_PER_INDUSTRY = 1500
TITLE_MIN_SHARE = 0.0005
TASK_WORDS_PER_INDUSTRY = 150
LIFT_MIN = 1.5
MIN_LINK_VOTES = 3  # the ESCO preferred label, or three labels, in common
KEEP_VERSIONS = 3
PROFILE_TTL_S = 30.0
TASK_STOP_WORDS = frozenset(
    """a an and are as at be by for from in into of on or other such that the their them these this to using use
    with within without as well various may including related e g i e ensure ensuring provide providing perform
    performing maintain maintaining prepare preparing review reviewing work working develop developing determine
    determining identify identifying assist assisting according necessary appropriate new needs activities
    procedures information data records reports report plans systems system""".split()
)
_WORD_RE = re.compile(r"[a-z][a-z\-]{2,}")


class KeywordDatabaseError(RuntimeError):
    """The reference data a build needs is missing (run `manage.py load_reference_data` first)."""


@dataclass(frozen=True)
class BuildSummary:
    version: int
    seconds: float
    counts: dict[str, int]
    per_industry: dict[str, dict[str, int]]


def task_word_stem(word: str) -> str:
    from tracking.cv.keyword_index import word_stem

    return word_stem(word)


def task_words(text: str) -> list[str]:
    """Content words of a task statement or of any text, stemmed; stop words and words under three letters dropped."""
    return [task_word_stem(word) for word in _WORD_RE.findall(text.casefold()) if word not in TASK_STOP_WORDS]


# ---------------------------------------------------------------------------------------------------------------------
# Building (pure parts first)
# ---------------------------------------------------------------------------------------------------------------------


def onet_shares(soc_shares: dict[str, float], onet_by_soc: dict[str, list[str]]) -> dict[str, float]:
    """Pure: SOC occupation shares spread evenly over their O*NET occupations. OEWS publishes some occupations
    combined under a code O*NET does not use (31-1120 home health and personal care aides, 25-9045 teaching
    assistants); those are spread over the O*NET occupations of the same SOC broad group (31-112x), or dropped when
    it has none."""
    by_broad_group: dict[str, list[str]] = defaultdict(list)
    for soc, codes in onet_by_soc.items():
        by_broad_group[soc[:6]].extend(codes)
    shares: dict[str, float] = {}
    for soc, share in soc_shares.items():
        codes = onet_by_soc.get(soc) or by_broad_group.get(soc[:6]) or []
        for code in codes:
            shares[code] = shares.get(code, 0.0) + share / len(codes)
    return shares


def skill_weights(shares: dict[str, float], skills_by_occupation: dict[str, list[str]]) -> dict[str, float]:
    """Pure: each skill's weight = the summed shares of the occupations that list it."""
    weights: dict[str, float] = defaultdict(float)
    for code, share in shares.items():
        for skill in set(skills_by_occupation.get(code, ())):
            weights[skill] += share
    return dict(weights)


def task_word_weights(shares: dict[str, float], tasks_by_occupation: dict[str, list[str]]) -> dict[str, float]:
    """Pure: a word's weight = Σ over occupations of share × (its count in their core tasks / their task count)."""
    weights: dict[str, float] = defaultdict(float)
    for code, share in shares.items():
        tasks = tasks_by_occupation.get(code) or []
        if not tasks:
            continue
        counts = Counter(word for task in tasks for word in set(task_words(task)))
        for word, count in counts.items():
            weights[word] += share * count / len(tasks)
    return dict(weights)


def distinctive_words(per_industry: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Pure: per industry, the words it uses at least LIFT_MIN times as often as the industries' mean, scored by
    weight × log(lift), the top TASK_WORDS_PER_INDUSTRY."""
    industries = len(per_industry) or 1
    mean: dict[str, float] = defaultdict(float)
    for weights in per_industry.values():
        for word, weight in weights.items():
            mean[word] += weight / industries
    result: dict[str, dict[str, float]] = {}
    for code, weights in per_industry.items():
        scored = {}
        for word, weight in weights.items():
            lift = weight / mean[word]
            if lift >= LIFT_MIN:
                scored[word] = weight * math.log(lift)
        top = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:TASK_WORDS_PER_INDUSTRY]
        result[code] = dict(top)
    return result


def esco_links(
    onet_titles: dict[str, set[str]], esco_titles: dict[str, set[str]], esco_preferred: dict[str, str]
) -> dict[str, set[str]]:
    """Pure: O*NET occupation code → the ESCO occupations (URIs) that are the same job. Each ESCO occupation links to
    at most one O*NET occupation: the one sharing most of its normalized titles, its preferred label counting three;
    it needs MIN_LINK_VOTES (its preferred label or three labels in common), and a tie links nothing (O*NET's
    catch-all "All Other" occupations list thousands of titles and would otherwise absorb half of ESCO)."""
    by_title: dict[str, set[str]] = defaultdict(set)
    for code, titles in onet_titles.items():
        for title in titles:
            by_title[title].add(code)
    links: dict[str, set[str]] = defaultdict(set)
    for uri, titles in esco_titles.items():
        votes: Counter = Counter()
        preferred = esco_preferred.get(uri)
        for title in titles:
            for code in by_title.get(title, ()):
                votes[code] += 3 if title == preferred else 1
        ranked = votes.most_common(2)
        if not ranked or ranked[0][1] < MIN_LINK_VOTES or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
            continue
        links[ranked[0][0]].add(uri)
    return dict(links)


def _sources_fingerprint(task_path) -> dict[str, str]:
    fingerprints = dict(ReferenceDataset.objects.filter(name__in=SOURCE_DATASETS).values_list("name", "fingerprint"))
    missing = [name for name in SOURCE_DATASETS if name not in fingerprints]
    if missing:
        raise KeywordDatabaseError(
            _("Load the reference data first (manage.py load_reference_data): missing %(names)s.")
            % {"names": ", ".join(missing)}
        )
    fingerprints["onet_tasks"] = hashlib.sha256(task_path.read_bytes()).hexdigest()
    return fingerprints


def _core_tasks(task_path) -> dict[str, list[str]]:
    tasks: dict[str, list[str]] = defaultdict(list)
    columns = ("O*NET-SOC Code", "Task", "Task Type")
    for row in read_tab_rows(task_path, columns=columns):
        if row.text("Task Type") == "Core":
            tasks[row.text("O*NET-SOC Code")].append(row.text("Task"))
    return dict(tasks)


def keyword_databases_build(*, force: bool = False) -> BuildSummary | None:
    """Builds a new version of every industry's keyword database and makes it current. Returns None without building
    when the current version was built from the same sources (unless `force`)."""
    from market.services import reference_data_dir
    from tracking.cv.keyword_index import SYNONYMS, derived_aliases

    started = time.perf_counter()
    task_path = reference_data_dir().joinpath(*TASK_FILE)
    sources = _sources_fingerprint(task_path)
    current = KeywordDatabase.objects.filter(is_current=True).first()
    if current is not None and current.sources == sources and not force:
        return None
    industries_ensure()

    onet_rows = list(Occupation.objects.filter(taxonomy=Taxonomy.ONET).values_list("id", "code", "title", "soc_code"))
    onet_by_soc: dict[str, list[str]] = defaultdict(list)
    onet_id_to_code, onet_title = {}, {}
    for pk, code, title, soc in onet_rows:
        onet_by_soc[soc].append(code)
        onet_id_to_code[pk] = code
        onet_title[code] = title
    skills_by_occupation: dict[str, list[str]] = defaultdict(list)
    skill_keys, hot_skills = {}, set()
    for occupation_id, name, key, hot in OccupationSkill.objects.filter(skill__taxonomy=Taxonomy.ONET).values_list(
        "occupation_id", "skill__name", "skill__key", "hot_technology"
    ):
        if name:
            skills_by_occupation[onet_id_to_code[occupation_id]].append(name)
            skill_keys[name] = key
            if hot:
                hot_skills.add(name)
    tasks_by_occupation = _core_tasks(task_path)

    titles_by_occupation: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (title, normalized)
    normalized_onet: dict[str, set[str]] = defaultdict(set)
    for occupation_id, title, normalized, _source in OccupationTitle.objects.filter(
        occupation__taxonomy=Taxonomy.ONET
    ).values_list("occupation_id", "title", "normalized_title", "source"):
        code = onet_id_to_code[occupation_id]
        titles_by_occupation[code].append((title, normalized))
        normalized_onet[code].add(normalized)
    esco_labels: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (label, normalized)
    normalized_esco: dict[str, set[str]] = defaultdict(set)
    esco_preferred: dict[str, str] = {}
    for uri, title, normalized, source in OccupationTitle.objects.filter(
        occupation__taxonomy=Taxonomy.ESCO
    ).values_list("occupation__code", "title", "normalized_title", "source"):
        esco_labels[uri].append((title, normalized))
        normalized_esco[uri].add(normalized)
        if source == OccupationTitle.Source.PREFERRED:
            esco_preferred[uri] = normalized
    links = esco_links(normalized_onet, normalized_esco, esco_preferred)

    industries = {industry.code: industry for industry in Industry.objects.all()}
    shares_by_industry: dict[str, dict[str, float]] = {}
    for code in industries:
        soc_shares = dict(
            IndustryOccupation.objects.filter(industry__code=code).values_list("soc_code", "share").iterator()
        )
        shares_by_industry[code] = onet_shares(soc_shares, onet_by_soc)
    words = distinctive_words(
        {code: task_word_weights(shares, tasks_by_occupation) for code, shares in shares_by_industry.items()}
    )
    surface = _surface_forms(tasks_by_occupation)

    with transaction.atomic():
        last = KeywordDatabase.objects.select_for_update().order_by("-version").first()
        database = KeywordDatabase.objects.create(version=(last.version + 1) if last else 1, sources=sources)
        # Titles: a group per O*NET occupation that weighs in any industry.
        wanted_occupations = sorted(
            {
                code
                for shares in shares_by_industry.values()
                for code, share in shares.items()
                if share >= TITLE_MIN_SHARE
            }
        )
        title_groups = SynonymGroup.objects.bulk_create(
            SynonymGroup(database=database, kind=SynonymGroup.Kind.TITLE, canonical=onet_title[code], code=code)
            for code in wanted_occupations
        )
        title_group_by_code = {group.code: group for group in title_groups}
        terms: list[SynonymTerm] = []
        esco_terms = 0
        for code, group in title_group_by_code.items():
            seen: set[str] = set()  # normalized titles: "Registered Nurses" and "registered nurse" are one
            for title, normalized in titles_by_occupation.get(code, ()):
                if normalized not in seen:
                    seen.add(normalized)
                    terms.append(SynonymTerm(group=group, term=title[:255], source=SynonymTerm.Source.ONET))
            for uri in sorted(links.get(code, ())):
                for label, normalized in esco_labels.get(uri, ()):
                    if normalized not in seen:
                        seen.add(normalized)
                        terms.append(SynonymTerm(group=group, term=label[:255], source=SynonymTerm.Source.ESCO))
                        esco_terms += 1
        # Skills: a group per skill that weighs in any industry.
        weights_by_industry = {
            code: _top_skills(skill_weights(shares, skills_by_occupation))
            for code, shares in shares_by_industry.items()
        }
        wanted_skills = sorted({name for weights in weights_by_industry.values() for name in weights})
        skill_groups = SynonymGroup.objects.bulk_create(
            SynonymGroup(database=database, kind=SynonymGroup.Kind.SKILL, canonical=name[:255], code=skill_keys[name])
            for name in wanted_skills
        )
        skill_group_by_name = {group.canonical: group for group in skill_groups}
        vocabulary = {word for name in skill_keys for word in name.split()[1:] if word.isalpha() and word.islower()}
        for name, group in skill_group_by_name.items():
            terms.append(SynonymTerm(group=group, term=name, source=SynonymTerm.Source.ONET))
            for alias in derived_aliases(name, vocabulary):
                terms.append(SynonymTerm(group=group, term=alias[:255], source=SynonymTerm.Source.DERIVED))
            for alias in SYNONYMS.get(name, ()):
                terms.append(SynonymTerm(group=group, term=alias, source=SynonymTerm.Source.CURATED))
        SynonymTerm.objects.bulk_create(terms, batch_size=5000)

        keywords: list[IndustryKeyword] = []
        per_industry: dict[str, dict[str, int]] = {}
        for code, industry in industries.items():
            skills = weights_by_industry[code]
            for name, weight in skills.items():
                keywords.append(
                    IndustryKeyword(
                        database=database,
                        industry=industry,
                        kind=IndustryKeyword.Kind.SKILL,
                        term=name[:255],
                        group=skill_group_by_name[name],
                        weight=weight,
                        hot=name in hot_skills,
                    )
                )
            titles = 0
            for occupation_code, share in shares_by_industry[code].items():
                if occupation_code in title_group_by_code and share >= TITLE_MIN_SHARE:
                    titles += 1
                    keywords.append(
                        IndustryKeyword(
                            database=database,
                            industry=industry,
                            kind=IndustryKeyword.Kind.TITLE,
                            term=onet_title[occupation_code][:255],
                            group=title_group_by_code[occupation_code],
                            weight=share,
                        )
                    )
            for stem, weight in words[code].items():
                keywords.append(
                    IndustryKeyword(
                        database=database,
                        industry=industry,
                        kind=IndustryKeyword.Kind.TASK_WORD,
                        term=surface.get(stem, stem),
                        weight=weight,
                    )
                )
            per_industry[code] = {"skills": len(skills), "titles": titles, "task_words": len(words[code])}
        IndustryKeyword.objects.bulk_create(keywords, batch_size=5000)

        counts = {
            "industries": len(industries),
            "title_groups": len(title_groups),
            "skill_groups": len(skill_groups),
            "synonyms": len(terms),
            "esco_labels": esco_terms,
            "onet_occupations_with_esco": sum(1 for code in title_group_by_code if links.get(code)),
            "keywords": len(keywords),
        }
        database.counts = {"total": counts, "industries": per_industry}
        database.build_seconds = round(time.perf_counter() - started, 2)
        KeywordDatabase.objects.filter(is_current=True).update(is_current=False)
        database.is_current = True
        database.save(update_fields=["counts", "build_seconds", "is_current"])
        for old in KeywordDatabase.objects.order_by("-version")[KEEP_VERSIONS:]:
            old.delete()
    industry_profiles_clear()
    return BuildSummary(database.version, database.build_seconds, counts, per_industry)


def _top_skills(weights: dict[str, float]) -> dict[str, float]:
    kept = [(name, weight) for name, weight in weights.items() if weight >= SKILL_MIN_WEIGHT]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return dict(kept[:SKILLS_PER_INDUSTRY])


def _surface_forms(tasks_by_occupation: dict[str, list[str]]) -> dict[str, str]:
    """The most frequent written form of each stem ("patient" for "patient", not "patients")."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for tasks in tasks_by_occupation.values():
        for task in tasks:
            for word in _WORD_RE.findall(task.casefold()):
                if word not in TASK_STOP_WORDS:
                    forms[task_word_stem(word)][word] += 1
    return {stem: counter.most_common(1)[0][0] for stem, counter in forms.items()}


# ---------------------------------------------------------------------------------------------------------------------
# Reading: one profile per industry, cached in process for the current version
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryProfile:
    """An industry's keyword database as the match and the CV parser use it. Plain data: no ORM."""

    code: str
    version: int
    skills: dict[str, float] = field(default_factory=dict)  # O*NET skill name -> weight
    occupations: dict[str, float] = field(default_factory=dict)  # O*NET code -> share
    task_words: dict[str, float] = field(default_factory=dict)  # stem -> score
    hot: frozenset[str] = frozenset()

    def skill_weight(self, name: str) -> float:
        return self.skills.get(name, 0.0)


_profiles_lock = threading.Lock()
_profiles: dict[str, object] = {"checked": 0.0, "version": None, "profiles": {}}


def industry_profiles() -> dict[str, IndustryProfile]:
    """Every industry's profile from the current keyword database; empty when none has been built."""
    now = time.monotonic()
    with _profiles_lock:
        if now - _profiles["checked"] < PROFILE_TTL_S:
            return _profiles["profiles"]
        current = KeywordDatabase.objects.filter(is_current=True).values_list("pk", "version").first()
        if current is None:
            _profiles.update(checked=now, version=None, profiles={})
            return {}
        if current[1] == _profiles["version"]:
            _profiles["checked"] = now
            return _profiles["profiles"]
        collected: dict[str, dict] = defaultdict(
            lambda: {"skills": {}, "occupations": {}, "task_words": {}, "hot": set()}
        )
        rows = IndustryKeyword.objects.filter(database_id=current[0]).values_list(
            "industry__code", "kind", "term", "group__code", "weight", "hot"
        )
        for industry, kind, term, group_code, weight, hot in rows.iterator(chunk_size=10_000):
            bucket = collected[industry]
            if kind == IndustryKeyword.Kind.SKILL:
                bucket["skills"][term] = weight
                if hot:
                    bucket["hot"].add(term)
            elif kind == IndustryKeyword.Kind.TITLE:
                bucket["occupations"][group_code] = weight
            else:
                bucket["task_words"][task_word_stem(term)] = weight
        profiles = {
            code: IndustryProfile(
                code=code,
                version=current[1],
                skills=data["skills"],
                occupations=data["occupations"],
                task_words=data["task_words"],
                hot=frozenset(data["hot"]),
            )
            for code, data in collected.items()
        }
        _profiles.update(checked=now, version=current[1], profiles=profiles)
        return profiles


def industry_profiles_clear() -> None:
    with _profiles_lock:
        _profiles.update(checked=0.0, version=None, profiles={})


def industry_detect(
    *, text: str, occupation_codes: Iterable[str] = (), profiles: dict[str, IndustryProfile] | None = None
) -> list[tuple[str, float]]:
    """Pure given the profiles: industries ranked by how well a text (a posting, a CV) and its O*NET occupations fit
    them, as shares summing to 1; empty when nothing fits. Each industry scores its task words found in the text and
    the shares of the occupations, each signal normalised across industries, occupations counting double."""
    profiles = industry_profiles() if profiles is None else profiles
    if not profiles:
        return []
    stems = set(task_words(text))
    codes = list(occupation_codes)
    word_scores = {code: sum(p.task_words.get(stem, 0.0) for stem in stems) for code, p in profiles.items()}
    occupation_scores = {code: sum(p.occupations.get(c, 0.0) for c in codes) for code, p in profiles.items()}
    combined: dict[str, float] = defaultdict(float)
    for scores, factor in ((word_scores, 1.0), (occupation_scores, 2.0)):
        total = sum(scores.values())
        if total > 0:
            for code, score in scores.items():
                combined[code] += factor * score / total
    total = sum(combined.values())
    if total <= 0:
        return []
    ranked = sorted(((code, score / total) for code, score in combined.items() if score > 0), key=lambda i: -i[1])
    return [(code, round(share, 4)) for code, share in ranked]


INDUSTRY_ORDER = tuple(definition.code for definition in INDUSTRIES)
