"""The keyword index: skill names and job titles from the market reference data, with word forms and synonyms.

The index is built in process from O*NET technology skill names and O*NET/ESCO occupation titles, cached per set of
reference-data fingerprints (a reload rebuilds it). Matching CV text against it lives in ``keyword_match``; both are
re-exported by ``tracking.cv.keywords``.

Aliases carry a case rule because matching is deliberately conservative: aliases that are also ordinary words
("Excel" in "excel at") need the capitalisation of a name; one- and two-letter names (R, C, Go) need their exact
case and a list context ("Python, R, Go"), never a sentence ("Go to market").
"""

from __future__ import annotations

import csv
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer

from tracking.cv.concepts import CONCEPTS_PATH, Concept, concepts_load, display_label, japanese_titles
from tracking.cv.skill_vocabulary import vocabulary_load
from tracking.cv.tokens import MIN_HEAD_CHARS, MIN_MODIFIER_CHARS, token_matches
from tracking.cv.vendors import common_word, vendor_products

MAX_NGRAM_TOKENS = 6  # Japanese labels are cut into short morphemes: "自然 言語 処理" is three
MAX_TITLE_WORDS = 8
INDEX_DATASETS = ("onet_technology_skills", "onet_occupations", "esco_occupations", "esco_skills", "esco_labels")
# Case rules for an alias, checked against the text as written.
ANY_CASE = "any"
CAPITALISED = "capitalised"  # first letter upper case: "Excel", "Jira", not "excel"
UPPER = "upper"  # an acronym written as one: "AWS", "SSIS"
SHORT = "short"  # exact case and a list context: "R", "Go", "C"

# Abbreviations and everyday names -> the O*NET name they stand for. Skills written in several languages or spelt
# several ways in O*NET are concepts (tracking/cv/concepts.py); both are merged into SYNONYMS below.
_LEGACY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Microsoft SQL Server": ("SQL Server", "MS SQL", "MSSQL", "MS SQL Server"),
    "Microsoft PowerPoint": ("MS PowerPoint", "PowerPoint"),
    "Microsoft Windows": ("Windows",),
    "Node.js": ("NodeJS", "Node"),
    "React": ("ReactJS", "React.js"),
    "Vue.js": ("Vue", "VueJS"),
    "Google Angular": ("Angular", "AngularJS"),
    "Go": ("Golang",),
    "Microsoft .NET Framework": (".NET", "dotnet", ".NET Framework", ".NET Core"),
    "Atlassian JIRA": ("Jira",),
    "Atlassian Confluence": ("Confluence",),
    "Jenkins CI": ("Jenkins",),
    "IBM Terraform": ("Terraform",),
    "Rust programming language": ("Rust",),
}


def _synonyms() -> dict[str, tuple[str, ...]]:
    """Canonical name -> other written forms: the legacy table, then each concept under its first O*NET name (or
    "esco:" and its English label), so that ``predictions.match.requirements`` groups them as one phrase set."""
    merged = dict(_LEGACY_SYNONYMS)
    for concept in concepts_load():
        canonical = concept.onet_names[0] if concept.onet_names else "esco:" + concept.labels.get("en", "")
        merged[canonical] = tuple(form for form in (*concept.onet_names[1:], *concept.written_forms()) if form)
    return merged


SYNONYMS: dict[str, tuple[str, ...]] = _synonyms()
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
# Nouns of CVs that O*NET's tasks happen not to use but that name products with a vendor dropped ("Adobe Presenter").
EXTRA_ORDINARY_WORDS = frozenset("presenter presenters".split())
TITLE_STOP_WORDS = frozenset("of and the for in at & de des du la le et und der die das y del en to a an".split())
SENIORITY_WORDS = frozenset(
    "senior sr junior jr lead principal staff chief head intern trainee associate assistant i ii iii iv".split()
)


_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}$")
MAX_ACRONYM_ANY_CASE = 4  # "UNIX" is often "Unix"; a longer all-capitals name ("REDUCE") is a word otherwise
_PARENTHETICAL_RE = re.compile(r"\s*\(([^)]*)\)\s*")
_stemmer = snowballstemmer.stemmer("english")
_stem_lock = threading.Lock()


@lru_cache(maxsize=200_000)
def word_stem(token: str) -> str:
    if not token.isalpha() or not token.isascii():
        return token  # C++, C#, .net, node.js, 3d are kept as written
    with _stem_lock:  # snowballstemmer objects are not thread-safe
        return _stemmer.stemWord(token)


def phrase_key(text: str) -> str:
    """The lookup key: NFKC, case-folded, tokens stemmed and single-spaced."""
    normalized = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(word_stem(match.group(0)) for match in token_matches(normalized))


@dataclass(frozen=True)
class SkillRef:
    name: str  # as the reference data writes it (industry weights and career paths are keyed by it)
    key: str
    taxonomy: str
    label: str = ""  # the English name to show: the concept's, or the name without O*NET's decoration
    concept: str = ""  # concept id (tracking/cv/concepts.py), "" for a skill that is not one


@dataclass(frozen=True)
class Alias:
    skill: SkillRef
    written: str  # the alias as the reference data or synonym table writes it
    case_rule: str
    priority: int  # lower wins when two skills claim the same key: 0 full name, 1 synonym, 2 derived
    forms: frozenset[str] = frozenset()  # the case-folded written forms of this skill under this key

    def __post_init__(self) -> None:
        if not self.forms:
            object.__setattr__(self, "forms", frozenset({unicodedata.normalize("NFKC", self.written).casefold()}))


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
    title_alternatives: dict[str, list[TitleRef]] = field(default_factory=dict)  # normalized title -> occupations
    compound_heads: set[str] = field(default_factory=set)  # one-word labels found at the end of German compounds
    alias_lengths: dict[str, int] = field(default_factory=dict)  # first stem of an alias -> its longest alias, tokens
    # ESCO skill URI -> the curated concept's skill that follows it; None turns the ESCO vocabulary off (tests of the
    # index alone build it so).
    esco_refs: dict[str, SkillRef] | None = None
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
def _case_rule(
    written: str, *, derived: bool, curated: bool = False, ordinary_words: frozenset[str] = frozenset()
) -> str:
    bare = written.strip()
    if bare.casefold() in AMBIGUOUS_NAMES:
        return SHORT
    if not curated and " " not in bare and bare.casefold() in ordinary_words:
        return SHORT  # "REDUCE", "Compass": a product named by a word of ordinary text is only read in a list
    if not curated and bare.isalpha() and bare.isupper() and len(bare) > MAX_ACRONYM_ANY_CASE:
        return UPPER  # an all-capitals name is a name only when written so
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


def _derived_aliases(
    name: str,
    lowercase_vocabulary: set[str],
    ordinary_words: frozenset[str] = frozenset(),
    product: str = "",
) -> list[str]:
    """Shorter ways a CV writes an O*NET name: without "(feature)" or "software", without the vendor, or the trailing
    acronym alone ("Amazon Web Services AWS software" -> "Amazon Web Services AWS", "Amazon Web Services", "AWS"),
    or ``product``, the name without a maker learned from the names (``tracking.cv.vendors``: "StataCorp Stata" ->
    "Stata").

    Never a phrase of ordinary words: "Statistical analysis software" is not "statistical analysis" (an activity a
    CV describes), and "Adobe Presenter" is not "Presenter"."""
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
        # The acronym spans the whole expansion: its last letter is in the last word ("Creative Solutions UltraTax
        # CS" is no "CS" for UltraTax: those are the maker's initials).
        spans = bool(letters) and letters[-1] in expansion[-1].casefold()
        if spans and letters[0] in initials and _is_subsequence(letters, "".join(expansion).casefold()):
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
    if product and (" " in product or product.casefold() not in lowercase_vocabulary | COMMON_WORDS):
        aliases.append(product)
        aliases.extend(alias for alias in _derived_aliases(product, lowercase_vocabulary, ordinary_words))
    return [
        alias
        for alias in dict.fromkeys(aliases)
        if alias and alias != name and not _ordinary_phrase(alias, ordinary_words)
    ]


def _ordinary_phrase(alias: str, ordinary_words: frozenset[str]) -> bool:
    words = alias.split()
    return bool(ordinary_words) and all(word.casefold() in ordinary_words for word in words)


def _is_subsequence(needle: list[str], haystack: str) -> bool:
    position = 0
    for char in needle:
        position = haystack.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def _alias_add(
    index: KeywordIndex,
    written: str,
    skill: SkillRef,
    *,
    priority: int,
    derived: bool,
    curated: bool = False,
    ordinary_words: frozenset[str] = frozenset(),
    rule: str | None = None,
) -> None:
    key = phrase_key(written)
    if not key or key.count(" ") >= MAX_NGRAM_TOKENS:
        return
    first, length = key.split(" ", 1)[0], key.count(" ") + 1
    index.alias_lengths[first] = max(length, index.alias_lengths.get(first, 0))
    current = index.aliases.get(key)
    rule = rule or _case_rule(written, derived=derived, curated=curated, ordinary_words=ordinary_words)
    candidate = Alias(skill=skill, written=written, case_rule=rule, priority=priority)
    if current is not None and current.skill == skill:
        # Another spelling of the same skill ("telemetry", "Telemetrie"): both are read; a concept's own case rule
        # wins over the one O*NET's spelling implies.
        keep = candidate if curated else current
        index.aliases[key] = Alias(
            skill=skill,
            written=keep.written,
            case_rule=keep.case_rule,
            priority=min(priority, current.priority),
            forms=current.forms | candidate.forms,
        )
        return
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


def _learned_products(onet: list[tuple[str, str]], ordinary_words: frozenset[str]) -> dict[str, str]:
    """O*NET name -> product without its maker, for makers outside the fixed ``VENDORS`` (those keep their derived
    aliases and their labels: "Microsoft Excel" is how CVs write Excel too)."""
    learned = vendor_products((name for name, _key in onet), ordinary_words)
    return {
        name: product
        for name, product in learned.items()
        if not name.startswith(tuple(vendor + " " for vendor in VENDORS))
        and not _ordinary_phrase(product, ordinary_words)
    }


def _skill_refs(
    onet: list[tuple[str, str]],
    esco_skills: Iterable[tuple[str, str, str]],
    concepts: Iterable[Concept],
    products: dict[str, str] | None = None,
) -> tuple[dict[str, SkillRef], list[tuple[Concept, SkillRef]]]:
    """The skill each O*NET name (and "esco:" label) stands for, with the names a concept collapses redirected to the
    concept's one skill; and each concept with its skill. A name with a learned maker shows its product alone."""
    products = products or {}
    by_name: dict[str, SkillRef] = {
        name: SkillRef(name=name, key=key, taxonomy="onet", label=display_label(products.get(name) or name))
        for name, key in onet
    }
    for label, key, _description in esco_skills:
        by_name[f"esco:{label}"] = SkillRef(name=label, key=key, taxonomy="esco", label=label)
    resolved: list[tuple[Concept, SkillRef]] = []
    for concept in concepts:
        label = concept.labels.get("en") or concept.concept_id
        known = [by_name[name] for name in concept.onet_names if name in by_name]
        if known:
            name, key, taxonomy = known[0].name, known[0].key, "onet"
        elif concept.esco_uri:
            name, key, taxonomy = label, concept.esco_uri, "esco"
        else:
            name, key, taxonomy = label, concept.concept_id, "cvplus"
        skill = SkillRef(name=name, key=key, taxonomy=taxonomy, label=label, concept=concept.concept_id)
        for name in concept.onet_names:
            by_name[name] = skill
        by_name[f"esco:{label}"] = skill
        resolved.append((concept, skill))
    return by_name, resolved


def keyword_index_build(
    *,
    onet_skills: Iterable[tuple[str, str]],
    titles: Iterable[tuple[str, str, str, str, str]],
    esco_skills: Iterable[tuple[str, str, str]] = (),
    concepts: Iterable[Concept] | None = None,
    ordinary_words: frozenset[str] = frozenset(),
    esco_vocabulary: bool = False,
) -> KeywordIndex:
    """Pure: ``onet_skills`` as (name, key); ``titles`` as (title, source, occupation code, occupation title,
    taxonomy); ``esco_skills`` as (label, key, description) for the few ESCO concepts the synonym table names;
    ``concepts`` default to the shipped concept file; ``ordinary_words`` are English words of ordinary text (O*NET's
    task statements): a product name that is one of them ("REDUCE", "Presenter") is only read in a list;
    ``esco_vocabulary`` also reads ESCO's skill labels (``tracking.cv.skill_vocabulary``) in ``skills_match``."""
    index = KeywordIndex()
    onet = [(name, key) for name, key in onet_skills if name]
    lowercase_vocabulary = {
        word for name, _skill_key in onet for word in name.split()[1:] if word.isalpha() and word.islower()
    }
    products = _learned_products(onet, ordinary_words)
    by_name, resolved = _skill_refs(
        onet, esco_skills, concepts_load() if concepts is None else concepts, products=products
    )
    for name, _skill_key in onet:
        _alias_add(index, name, by_name[name], priority=0, derived=False, ordinary_words=ordinary_words)
    for name, _skill_key in onet:
        for alias in _derived_aliases(name, lowercase_vocabulary, ordinary_words, products.get(name, "")):
            # A product named by an ordinary word alone ("SunGard Frontier") is read only as a name in a list.
            rule = SHORT if " " not in alias and alias == products.get(name) and common_word(alias) else None
            _alias_add(index, alias, by_name[name], priority=2, derived=True, ordinary_words=ordinary_words, rule=rule)
    for concept, skill in resolved:
        for written in concept.written_forms():
            _alias_add(index, written, skill, priority=1, derived=True, curated=True)
            if " " not in written and written.isalpha() and len(written) >= MIN_HEAD_CHARS + MIN_MODIFIER_CHARS:
                index.compound_heads.add(phrase_key(written))
    for canonical, synonyms in _LEGACY_SYNONYMS.items():
        skill = by_name.get(canonical)
        if skill is None:
            continue
        for synonym in synonyms:
            _alias_add(index, synonym, skill, priority=1, derived=True, curated=True)
    if esco_vocabulary:
        index.esco_refs = {concept.esco_uri: skill for concept, skill in resolved if concept.esco_uri}
    _titles_add(index, titles)
    return index


def _titles_add(index: KeywordIndex, titles: Iterable[tuple[str, str, str, str, str]]) -> None:
    ranked = sorted(titles, key=lambda row: (TITLE_SOURCE_PRIORITY.get(row[1], 9), row[4] != "onet", row[2]))
    for title, _source, code, occupation_title, taxonomy in ranked:
        tokens = title_tokens(title)
        if not tokens:
            continue
        text = " ".join(tokens)
        content = tuple(token for token in tokens if token not in TITLE_STOP_WORDS)
        if not content or len(content) > MAX_TITLE_WORDS:
            continue
        ref = TitleRef(code, occupation_title, taxonomy, content, text)
        if text in index.titles_exact:
            # The same title for several occupations ("Research Assistant" is an O*NET title of six): kept, so the
            # CV's other words can choose between them (keyword_match).
            first = index.titles_exact[text]
            if (first.taxonomy, first.occupation_code) != (taxonomy, code) and taxonomy == first.taxonomy:
                alternatives = index.title_alternatives.setdefault(text, [first])
                if all(other.occupation_code != code for other in alternatives):
                    alternatives.append(ref)
            continue
        index.titles_exact[text] = ref
        position = len(index.titles)
        index.titles.append(ref)
        for token in set(content):
            index.title_postings.setdefault(token, []).append(position)


# ---------------------------------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------------------------------
_cache_lock = threading.Lock()
_cache: dict[tuple, KeywordIndex] = {}


def keyword_index() -> KeywordIndex:
    """The index for the reference data as loaded now; rebuilt when a data set's fingerprint changes."""
    from market.models import Occupation, OccupationTitle, ReferenceDataset, Skill, Taxonomy

    fingerprints = dict(ReferenceDataset.objects.filter(name__in=INDEX_DATASETS).values_list("name", "fingerprint"))
    cache_key = tuple(fingerprints.get(name, "") for name in INDEX_DATASETS)
    with _cache_lock:
        if cache_key in _cache:
            return _cache[cache_key]
        crosswalk = japanese_titles()
        codes = {code for _title, code in crosswalk}
        onet_titles = dict(
            Occupation.objects.filter(taxonomy=Taxonomy.ONET, code__in=codes).values_list("code", "title")
        )
        japanese = [
            (title, "alternate", code, onet_titles[code], "onet") for title, code in crosswalk if code in onet_titles
        ]
        titles = OccupationTitle.objects.values_list(
            "title", "source", "occupation__code", "occupation__title", "occupation__taxonomy"
        ).iterator(chunk_size=10_000)
        index = keyword_index_build(
            onet_skills=Skill.objects.filter(taxonomy=Taxonomy.ONET).values_list("name", "key").iterator(),
            titles=itertools.chain(titles, japanese, _translated_titles()),
            ordinary_words=ordinary_words_load(),
            esco_vocabulary=True,
        )
        vocabulary_load()  # ~2.5 s of stemming, paid with the index rather than by the first CV a worker reads
        _cache.clear()
        _cache[cache_key] = index
        return index


def _translated_titles() -> Iterator[tuple[str, str, str, str, str]]:
    """ESCO's German, French and Spanish occupation labels as titles of their occupations (an O*NET occupation's
    through the crosswalk, ranked first), each gendered form ("Datenwissenschaftler/Datenwissenschaftlerin") apart."""
    from market.models import Occupation

    rows = Occupation.objects.values_list("label_de", "label_fr", "label_es", "code", "title", "taxonomy")
    esco_titles: dict[str, str] = {}
    for *labels, code, title, taxonomy in rows.iterator(chunk_size=5_000):
        if taxonomy == "esco":
            esco_titles[code] = title
        for label in labels:
            for form in (label or "").split("/"):
                if form.strip() and form.strip() != title:
                    yield form.strip(), "esco_alt", code, title, taxonomy
    for code, labels in esco_alternative_labels():
        title = esco_titles.get(code)
        if title is not None:
            for label in labels:
                yield label, "esco_alt", code, title, "esco"


OCCUPATION_ALT_LABELS = CONCEPTS_PATH.parents[1] / "esco_multilingual" / "occupation_alt_labels.csv"
ESCO_OCCUPATION_URI = "http://data.europa.eu/esco/occupation/"


def esco_alternative_labels(path: Path = OCCUPATION_ALT_LABELS) -> Iterator[tuple[str, list[str]]]:
    """(ESCO occupation URI, its German, French or Spanish alternative labels): the other titles people write for
    it ("Disponent", "développeur backend"). Nothing when the file is missing."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                labels = [label.strip() for label in row["labels"].split(" | ") if label.strip()]
                yield ESCO_OCCUPATION_URI + row["esco"], labels
    except FileNotFoundError:
        return


TASK_STATEMENTS = ("onet_29_2", "Task_Statements.txt")
_WORD_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def ordinary_words_load() -> frozenset[str]:
    """Words of ordinary English text: those O*NET's task statements write in lower case, and each statement's first
    word (a verb: "Reduce", "Present"). Capitalised words inside a statement are left out: they are names. Empty
    when the file is missing (the index then falls back to its case rules alone)."""
    from market.services import reference_data_dir

    path = reference_data_dir().joinpath(*TASK_STATEMENTS)
    words: set[str] = set(COMMON_WORDS) | EXTRA_ORDINARY_WORDS
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            next(handle, None)
            for line in handle:
                fields = line.split("\t")
                if len(fields) < 3:
                    continue
                for position, word in enumerate(_WORD_RE.findall(fields[2])):
                    if position == 0 or word.islower():
                        words.add(word.casefold())
    except FileNotFoundError:
        return frozenset()
    return frozenset(words)


def keyword_index_clear() -> None:
    """Forget the cached index (tests that create market rows without a new fingerprint call this)."""
    with _cache_lock:
        _cache.clear()


def derived_aliases(
    name: str, lowercase_vocabulary: set[str], ordinary_words: frozenset[str] = frozenset()
) -> list[str]:
    """The shorter ways a CV writes an O*NET skill name (public for the industry keyword databases)."""
    return _derived_aliases(name, lowercase_vocabulary, ordinary_words)
