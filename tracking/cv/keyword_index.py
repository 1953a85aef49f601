"""The keyword index: skill names and job titles from the market reference data, with word forms and synonyms.

The index is built in process from O*NET technology skill names and O*NET/ESCO occupation titles, cached per set of
reference-data fingerprints (a reload rebuilds it). Matching CV text against it lives in ``keyword_match``; both are
re-exported by ``tracking.cv.keywords``.

Aliases carry a case rule because matching is deliberately conservative: aliases that are also ordinary words
("Excel" in "excel at") need the capitalisation of a name; one- and two-letter names (R, C, Go) need their exact
case and a list context ("Python, R, Go"), never a sentence ("Go to market").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import snowballstemmer

MAX_NGRAM_TOKENS = 4
MAX_TITLE_WORDS = 8
INDEX_DATASETS = ("onet_technology_skills", "onet_occupations", "esco_occupations", "esco_skills")
# Case rules for an alias, checked against the text as written.
ANY_CASE = "any"
CAPITALISED = "capitalised"  # first letter upper case: "Excel", "Jira", not "excel"
UPPER = "upper"  # an acronym written as one: "AWS", "SSIS"
SHORT = "short"  # exact case and a list context: "R", "Go", "C"

# Abbreviations and everyday names -> the O*NET (or, marked esco:, ESCO) name they stand for.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "JavaScript": ("JS", "ECMAScript", "ES6"),
    "TypeScript": ("TS",),
    "Kubernetes": ("k8s", "K8s"),
    "Amazon Web Services AWS software": ("AWS", "Amazon Web Services", "Amazon AWS"),
    "PostgreSQL": ("Postgres", "Postgre", "psql"),
    "Microsoft SQL Server": ("SQL Server", "MS SQL", "MSSQL", "MS SQL Server"),
    "Microsoft Excel": ("MS Excel", "Excel"),
    "Microsoft PowerPoint": ("MS PowerPoint", "PowerPoint"),
    "Microsoft Windows": ("Windows",),
    "Microsoft Azure software": ("Azure", "MS Azure"),
    "Google Cloud software": ("Google Cloud Platform", "GCP", "Google Cloud"),
    "Node.js": ("NodeJS", "Node"),
    "React": ("ReactJS", "React.js"),
    "Vue.js": ("Vue", "VueJS"),
    "Google Angular": ("Angular", "AngularJS"),
    "Go": ("Golang",),
    "C#": ("C sharp", "CSharp"),
    "Microsoft .NET Framework": (".NET", "dotnet", ".NET Framework", ".NET Core"),
    "Atlassian JIRA": ("Jira",),
    "Atlassian Confluence": ("Confluence",),
    "Jenkins CI": ("Jenkins",),
    "IBM Terraform": ("Terraform",),
    "Rust programming language": ("Rust",),
    "Scikit-learn": ("sklearn", "scikit learn"),
    "Hypertext markup language HTML": ("HTML", "HTML5"),
    "Cascading style sheets CSS": ("CSS", "CSS3"),
    "The MathWorks MATLAB": ("MATLAB", "Matlab"),
    "Microsoft Power BI": ("Power BI", "PowerBI"),
    "esco:machine learning": ("ML", "machine learning"),
}
# Names that are also ordinary words: only ever matched in a list context with their exact case.
AMBIGUOUS_NAMES = frozenset({"ada", "dig", "act", "jet", "eko", "ant", "go", "r", "c", "j", "xv"})
# Synonyms that are also ordinary words: "Excel" and "Node" are names, "excel" and "node" are not.
CAPITALISED_SYNONYMS = frozenset({"excel", "windows", "node", "rust", "confluence", "angular", "vue", "powerpoint"})
# Vendors whose products are usually written without them ("Microsoft Excel" -> "Excel").
VENDORS = (
    "Microsoft", "Adobe", "Oracle", "Google", "Apple", "IBM", "Autodesk", "Atlassian", "Apache", "Amazon",
    "Sun Microsystems", "The MathWorks", "Red Hat", "Intuit", "Corel", "Cisco", "SAP", "Salesforce.com",
)  # fmt: skip
# Words that are not a product on their own even when a vendor prefix is dropped ("Microsoft Word" is not "word").
COMMON_WORDS = frozenset(
    "word office access project teams publisher paint edge forms sense notes connect analytics bridge audition "
    "animate story stream live lens photos maps sheets docs slides drive keep sites groups contribute encore money "
    "dynamics server cloud data search reader writer windows mobile studio designer manager system systems suite "
    "platform enterprise express premium professional business one works builder center experience".split()
)
TITLE_STOP_WORDS = frozenset("of and the for in at & de des du la le et und der die das y del en to a an".split())
SENIORITY_WORDS = frozenset(
    "senior sr junior jr lead principal staff chief head intern trainee associate assistant i ii iii iv".split()
)


_TOKEN_RE = re.compile(r"(?:(?<![\w.])\.)?[^\W_](?:[\w+#.]*[\w+#])?")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
_PARENTHETICAL_RE = re.compile(r"\s*\(([^)]*)\)\s*")
_stemmer = snowballstemmer.stemmer("english")
_stem_lock = threading.Lock()


@lru_cache(maxsize=200_000)
def word_stem(token: str) -> str:
    if not token.isalpha():
        return token  # C++, C#, .net, node.js, 3d are kept as written
    with _stem_lock:  # snowballstemmer objects are not thread-safe
        return _stemmer.stemWord(token)


def token_matches(text: str) -> list[re.Match]:
    """The tokens of ``text`` with their positions: words, and names such as "C++", "C#", ".NET", "node.js"."""
    return list(_TOKEN_RE.finditer(text))


def phrase_key(text: str) -> str:
    """The lookup key: NFKC, case-folded, tokens stemmed and single-spaced."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(word_stem(match.group(0)) for match in token_matches(normalized))


@dataclass(frozen=True)
class SkillRef:
    name: str
    key: str
    taxonomy: str


@dataclass(frozen=True)
class Alias:
    skill: SkillRef
    written: str  # the alias as the reference data or synonym table writes it
    case_rule: str
    priority: int  # lower wins when two skills claim the same key: 0 full name, 1 synonym, 2 derived


@dataclass(frozen=True)
class TitleRef:
    occupation_code: str
    occupation_title: str
    taxonomy: str
    tokens: tuple[str, ...]  # content tokens (stop words dropped)
    text: str  # normalized title, tokens joined


@dataclass
class KeywordIndex:
    aliases: dict[str, Alias] = field(default_factory=dict)
    titles_exact: dict[str, TitleRef] = field(default_factory=dict)
    titles: list[TitleRef] = field(default_factory=list)
    title_postings: dict[str, list[int]] = field(default_factory=dict)
    _title_arrays: tuple[np.ndarray, dict[str, np.ndarray]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def title_candidates(self, content: tuple[str, ...] | list[str]) -> list[int]:
        """Positions (ascending) of the titles that share all but at most one of their tokens with ``content`` and
        are within one token of its length: the fuzzy title lookup's candidates.

        Counted with numpy: common words ("operator", "manager") each head thousands of titles, and counting them in
        a Python loop cost ~30 ms per lookup.
        """
        arrays = self._title_arrays
        if arrays is None:  # built once per index; two threads building it at once build the same thing
            sizes = np.fromiter((len(ref.tokens) for ref in self.titles), dtype=np.int32, count=len(self.titles))
            postings = {token: np.asarray(found, dtype=np.int32) for token, found in self.title_postings.items()}
            arrays = self._title_arrays = (sizes, postings)
        sizes, postings = arrays
        shared = [postings[token] for token in set(content) if token in postings]
        if not shared:
            return []
        positions, counts = np.unique(np.concatenate(shared), return_counts=True)
        lengths = sizes[positions]
        keep = (counts >= lengths - 1) & (np.abs(lengths - len(content)) <= 1)
        return positions[keep].tolist()


# ---------------------------------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------------------------------
def _case_rule(written: str, *, derived: bool, curated: bool = False) -> str:
    bare = written.strip()
    if bare.casefold() in AMBIGUOUS_NAMES:
        return SHORT
    if curated:
        if _ACRONYM_RE.match(bare):
            return UPPER  # "ML", "JS": curated abbreviations, unambiguous when written in capitals
        return CAPITALISED if bare.casefold() in CAPITALISED_SYNONYMS else ANY_CASE
    if len(bare) <= 2 and bare.isalpha():
        return SHORT
    if _ACRONYM_RE.match(bare) and derived:
        return UPPER
    if derived and " " not in bare:
        return CAPITALISED
    return ANY_CASE


def _derived_aliases(name: str, lowercase_vocabulary: set[str]) -> list[str]:
    """Shorter ways a CV writes an O*NET name: without "(feature)" or "software", without the vendor, or the trailing
    acronym alone ("Amazon Web Services AWS software" -> "Amazon Web Services AWS", "Amazon Web Services", "AWS")."""
    aliases: list[str] = []
    base = name
    parenthetical = _PARENTHETICAL_RE.search(base)
    if parenthetical:
        inner = parenthetical.group(1).strip()
        base = _PARENTHETICAL_RE.sub(" ", base).strip()
        if _ACRONYM_RE.match(inner):
            base = f"{base} {inner}"
        aliases.append(base)
    words = base.split()
    if len(words) >= 2 and words[-1].casefold() == "software":
        stripped = words[:-1]
        # "Web browser software" -> "web browser"; but "Accounting software" is not "accounting".
        if len(stripped) >= 2 or stripped[0].casefold() not in lowercase_vocabulary | COMMON_WORDS:
            words = stripped
            aliases.append(" ".join(words))
    if len(words) >= 2 and _ACRONYM_RE.match(words[-1]):
        acronym, expansion = words[-1], words[:-1]
        letters = [char for char in acronym.casefold() if char.isalpha()]
        initials = {word[0].casefold() for word in expansion}
        if letters and letters[0] in initials and _is_subsequence(letters, "".join(expansion).casefold()):
            aliases.append(acronym)
            if len(expansion) >= 2:
                aliases.append(" ".join(expansion))
    for vendor in VENDORS:
        prefix = vendor + " "
        for candidate in list(aliases) + [" ".join(words)]:
            if candidate.startswith(prefix):
                rest = candidate[len(prefix) :].strip()
                if " " in rest or (rest and rest.casefold() not in lowercase_vocabulary | COMMON_WORDS):
                    aliases.append(rest)
    return [alias for alias in dict.fromkeys(aliases) if alias and alias != name]


def _is_subsequence(needle: list[str], haystack: str) -> bool:
    position = 0
    for char in needle:
        position = haystack.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def _alias_add(
    index: KeywordIndex, written: str, skill: SkillRef, *, priority: int, derived: bool, curated: bool = False
) -> None:
    key = phrase_key(written)
    if not key or key.count(" ") >= MAX_NGRAM_TOKENS:
        return
    current = index.aliases.get(key)
    candidate = Alias(
        skill=skill, written=written, case_rule=_case_rule(written, derived=derived, curated=curated), priority=priority
    )
    if current is None or (priority, len(skill.name), skill.name) < (
        current.priority,
        len(current.skill.name),
        current.skill.name,
    ):
        index.aliases[key] = candidate


def title_tokens(title: str) -> tuple[str, ...]:
    normalized = unicodedata.normalize("NFKC", title).casefold()
    return tuple(match.group(0) for match in token_matches(normalized))


# Reported titles ("Sample of Reported Titles", what incumbents call their job) are the most specific O*NET source:
# "Data Engineer" is reported for Database Architects but only an alternate title of Statisticians.
TITLE_SOURCE_PRIORITY = {"preferred": 0, "reported": 1, "alternate": 2, "esco_alt": 3}


def keyword_index_build(
    *,
    onet_skills: Iterable[tuple[str, str]],
    titles: Iterable[tuple[str, str, str, str, str]],
    esco_skills: Iterable[tuple[str, str, str]] = (),
) -> KeywordIndex:
    """Pure: ``onet_skills`` as (name, key); ``titles`` as (title, source, occupation code, occupation title,
    taxonomy); ``esco_skills`` as (label, key, description) for the few ESCO concepts the synonym table names."""
    index = KeywordIndex()
    onet = [(name, key) for name, key in onet_skills if name]
    lowercase_vocabulary = {
        word for name, _skill_key in onet for word in name.split()[1:] if word.isalpha() and word.islower()
    }
    by_name: dict[str, SkillRef] = {}
    for name, key in onet:
        skill = SkillRef(name=name, key=key, taxonomy="onet")
        by_name[name] = skill
        _alias_add(index, name, skill, priority=0, derived=False)
    for name, _skill_key in onet:
        for alias in _derived_aliases(name, lowercase_vocabulary):
            _alias_add(index, alias, by_name[name], priority=2, derived=True)
    for label, key, _description in esco_skills:
        by_name[f"esco:{label}"] = SkillRef(name=label, key=key, taxonomy="esco")
    for canonical, synonyms in SYNONYMS.items():
        skill = by_name.get(canonical)
        if skill is None:
            continue
        for synonym in synonyms:
            _alias_add(index, synonym, skill, priority=1, derived=True, curated=True)

    ranked = sorted(titles, key=lambda row: (TITLE_SOURCE_PRIORITY.get(row[1], 9), row[4] != "onet", row[2]))
    for title, _source, code, occupation_title, taxonomy in ranked:
        tokens = title_tokens(title)
        if not tokens:
            continue
        text = " ".join(tokens)
        content = tuple(token for token in tokens if token not in TITLE_STOP_WORDS)
        if text in index.titles_exact or not content or len(content) > MAX_TITLE_WORDS:
            continue
        ref = TitleRef(code, occupation_title, taxonomy, content, text)
        index.titles_exact[text] = ref
        position = len(index.titles)
        index.titles.append(ref)
        for token in set(content):
            index.title_postings.setdefault(token, []).append(position)
    return index


# ---------------------------------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------------------------------
_cache_lock = threading.Lock()
_cache: dict[tuple, KeywordIndex] = {}


def keyword_index() -> KeywordIndex:
    """The index for the reference data as loaded now; rebuilt when a data set's fingerprint changes."""
    from market.models import OccupationTitle, ReferenceDataset, Skill, Taxonomy

    fingerprints = dict(ReferenceDataset.objects.filter(name__in=INDEX_DATASETS).values_list("name", "fingerprint"))
    cache_key = tuple(fingerprints.get(name, "") for name in INDEX_DATASETS)
    with _cache_lock:
        if cache_key in _cache:
            return _cache[cache_key]
        esco_labels = [canonical.removeprefix("esco:") for canonical in SYNONYMS if canonical.startswith("esco:")]
        esco_rows = []
        for label in esco_labels:
            row = (
                Skill.objects.filter(taxonomy=Taxonomy.ESCO, description__istartswith=label + " ")
                .values_list("key", "description")
                .first()
            )
            if row:
                esco_rows.append((label, row[0], row[1]))
        index = keyword_index_build(
            onet_skills=Skill.objects.filter(taxonomy=Taxonomy.ONET).values_list("name", "key").iterator(),
            titles=OccupationTitle.objects.values_list(
                "title", "source", "occupation__code", "occupation__title", "occupation__taxonomy"
            ).iterator(chunk_size=10_000),
            esco_skills=esco_rows,
        )
        _cache.clear()
        _cache[cache_key] = index
        return index


def keyword_index_clear() -> None:
    """Forget the cached index (tests that create market rows without a new fingerprint call this)."""
    with _cache_lock:
        _cache.clear()


def derived_aliases(name: str, lowercase_vocabulary: set[str]) -> list[str]:
    """The shorter ways a CV writes an O*NET skill name (public for the industry keyword databases)."""
    return _derived_aliases(name, lowercase_vocabulary)
