"""Words across the five languages for the match: one concept for "machine learning", "maschinelles Lernen",
"apprentissage automatique", "aprendizaje automático" and "機械学習"; function words of each language; and Japanese
text cut into words. Pure: no ORM, no I/O.

One concept source for the CV and the match: ``skill_concept`` answers from the CV side's concept file
(tracking.cv.concepts, data/reference/skill_concepts/concepts.csv: every label and alias in the five languages) merged
with the small table below (``CONCEPT_FORMS``: inflected forms the file does not list, "maschinellem Lernen", and the
words postings use that are not skills, "forecasting", "nurse", "retail"). A concept is named by its English label,
case-folded ("machine learning"), so the file's concept and the table's are one. ``concept_source_set`` still lets a
test plug in another map.

Japanese is written without spaces. Until a morphological analyser is installed, ``segment`` cuts a line where the
script changes (kanji, hiragana, katakana, Latin) and cuts kanji runs at the words of the table and of
``JA_FUNCTION_WORDS`` (longest first); hiragana runs are particles and endings, kept as their own tokens so that
they are never read as part of a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from tracking.cv.concepts import concepts_load
from tracking.cv.tokens import token_matches

# concept -> the ways postings and CVs write it, in en, de, fr, es and ja.
CONCEPT_FORMS: dict[str, tuple[str, ...]] = {
    "machine learning": (
        "machine learning", "ML", "maschinelles Lernen", "maschinellem Lernen", "maschinellen Lernens",
        "maschinellen Lernen", "apprentissage automatique", "aprendizaje automático", "aprendizaje automatico",
        "機械学習",
    ),
    "deep learning": (
        "deep learning", "apprentissage profond", "aprendizaje profundo", "深層学習", "ディープラーニング",
    ),
    "statistics": (
        "statistics", "statistical", "statistician", "Statistik", "statistische", "statistischen", "statistiques",
        "statistique", "estadística", "estadísticas", "estadístico", "estadistica", "統計学", "統計",
    ),
    "mathematics": (
        "mathematics", "math", "maths", "Mathematik", "mathématiques", "matemáticas", "matematicas", "数学",
    ),
    "computer science": (
        "computer science", "CS", "informatics", "Informatik", "informatique", "informática", "informatica",
        "ciencias de la computación", "情報科学", "情報工学", "計算機科学", "コンピュータサイエンス",
    ),
    "data science": ("data science", "Data Science", "ciencia de datos", "science des données", "データサイエンス"),
    "data scientist": (
        "data scientist", "data scientists", "científico de datos", "científica de datos", "データサイエンティスト",
    ),
    "data analysis": (
        "data analysis", "data analytics", "Datenanalyse", "analyse de données", "análisis de datos", "データ分析",
        "データ解析",
    ),
    "data analyst": ("data analyst", "Datenanalyst", "analyste de données", "analista de datos", "データアナリスト"),
    "forecasting": (
        "forecasting", "forecast", "forecasts", "Prognose", "Prognosen", "Prognosemodelle", "prévision",
        "prévisions", "predicción", "previsión", "予測", "需要予測",
    ),
    "model": ("model", "models", "modelling", "modeling", "Modell", "Modelle", "modèle", "modèles", "modelo",
              "modelos", "モデル"),
    "software engineering": (
        "software engineering", "software development", "Softwareentwicklung", "développement logiciel",
        "desarrollo de software", "ソフトウェア開発",
    ),
    "backend": ("backend", "back-end", "back end", "バックエンド"),
    "retail": ("retail", "Einzelhandel", "commerce de détail", "venta minorista", "小売", "小売業"),
    "economics": ("economics", "Volkswirtschaftslehre", "VWL", "économie", "economía", "経済学"),
    "physics": ("physics", "Physik", "physique", "física", "物理学"),
    "engineering": ("engineering", "Ingenieurwesen", "ingénierie", "ingeniería", "工学"),
    "patient care": ("patient care", "Patientenversorgung", "soins aux patients", "atención al paciente", "患者ケア"),
    "wound care": ("wound care", "Wundversorgung", "Wundmanagement", "soins des plaies", "cuidado de heridas",
                   "創傷ケア"),
    "nursing": ("nursing", "Pflege", "Krankenpflege", "soins infirmiers", "enfermería", "看護"),
    "nurse": ("nurse", "registered nurse", "Pflegefachkraft", "Krankenpfleger", "Gesundheits- und Krankenpfleger",
              "infirmier", "infirmière", "enfermero", "enfermera", "看護師"),
}  # fmt: skip

# Words a requirement can consist of ("A degree is required") but that never are a concept of their own: a degree
# line is judged by its level and subjects, a line of years by the roles (tracking.requirements.FUNCTION_WORDS holds
# the rest).
NEVER_CONCEPT_WORDS = frozenset("degree studium diplôme formation título berufserfahrung".split())
# Japanese words that say how much or how well (and common endings), cut out of kanji runs and never a concept.
JA_FUNCTION_WORDS = (
    "実務経験", "実務", "経験", "知識", "以上", "年", "開発", "利用", "用いた", "歓迎", "必須", "など", "等", "号",
    "能力", "理解", "業務", "スキル", "尚可", "または", "および", "及び", "又は", "としての", "として", "あれば",
    "いずれか", "実績", "使用", "もしくは", "関連", "分野", "学位", "程度", "レベル",
)  # fmt: skip

_SCRIPT_RUN = re.compile(
    r"[\u4e00-\u9fff\u3400-\u4dbf々〆]+|[\u3040-\u309f]+|[\u30a0-\u30ffー]+|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\s]+"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_KANJI = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf々〆]+")


# Forms of the concept file read only as written: an acronym or a one-letter language ("R", "BI", "SAS") is a
# concept, its lower-case spelling an ordinary word. And single words of the file that are ordinary English words
# too ("excel at", "an epic"): the keyword index reads them with their own case rules; here they would be read in any
# sentence.
_ORDINARY_WORDS = frozenset({"excel", "epic", "agile", "triage", "git", "spark", "scrum", "tableau", "pandas"})


def _is_exact_form(form: str) -> bool:
    letters = [char for char in form if char.isalpha()]
    return len(form) <= 2 or (bool(letters) and all(char.isupper() for char in letters) and len(letters) <= 5)


def _merged_forms() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(concept -> forms read in any case, form as written -> concept): the concept file's concepts, named by their
    English label case-folded, with the table's forms added under the same name."""
    merged: dict[str, list[str]] = {}
    exact: dict[str, str] = {}
    for concept in concepts_load():
        name = (concept.labels.get("en") or concept.concept_id).casefold()
        forms = merged.setdefault(name, [])
        for form in concept.written_forms():
            if _is_exact_form(form) and not _CJK.search(form):
                exact.setdefault(form, name)
            elif " " in form or form.casefold() not in _ORDINARY_WORDS:
                forms.append(form)
    for name, forms in CONCEPT_FORMS.items():
        merged.setdefault(name, []).extend((name, *forms))
    return {name: tuple(dict.fromkeys(forms)) for name, forms in merged.items()}, exact


MERGED_FORMS, EXACT_FORMS = _merged_forms()


def _japanese_lexicon() -> tuple[str, ...]:
    words = {form for forms in MERGED_FORMS.values() for form in forms if _CJK.search(form)}
    words |= set(JA_FUNCTION_WORDS)
    words |= {"修士", "学士", "博士", "大学院", "大学", "卒業", "学部", "現在"}
    return tuple(sorted(words, key=len, reverse=True))


JA_LEXICON = _japanese_lexicon()


_LEXICON_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in JA_LEXICON:  # longest first, as JA_LEXICON is sorted
    _LEXICON_BY_FIRST[_word[0]] = (*_LEXICON_BY_FIRST.get(_word[0], ()), _word)


def _kanji_split(run: str) -> list[str]:
    """A kanji run cut at the lexicon's words, longest first from the left; unknown characters stay together. Only
    the words starting with the character at hand are tried, so a long run costs a few comparisons per character."""
    pieces: list[str] = []
    unknown = ""
    position = 0
    while position < len(run):
        candidates = _LEXICON_BY_FIRST.get(run[position], ())
        word = next((word for word in candidates if run.startswith(word, position)), None)
        if word is None:
            unknown += run[position]
            position += 1
            continue
        if unknown:
            pieces.append(unknown)
            unknown = ""
        pieces.append(word)
        position += len(word)
    if unknown:
        pieces.append(unknown)
    return pieces


SEGMENT_CACHE_MAX_CHARS = 300  # lines and phrases repeat across matches; a long text would only fill the cache


def segment(text: str) -> str:
    """The text with a space between Japanese words (see the module docstring); text without Japanese as it is."""
    return _segment_cached(text) if len(text) <= SEGMENT_CACHE_MAX_CHARS else _segment(text)


@lru_cache(maxsize=8192)
def _segment_cached(text: str) -> str:
    return _segment(text)


def _segment(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not _CJK.search(text):
        return text
    pieces: list[str] = []
    for run in _SCRIPT_RUN.findall(text):
        if _KANJI.fullmatch(run):
            pieces.extend(_kanji_split(run))
        elif "\u3040" <= run[0] <= "\u309f":
            pieces.extend(_kanji_split(run))  # "および", "としての" are lexicon words; the rest stay one token
        else:
            pieces.append(run)
    return " ".join(pieces)


def _table_concept(phrase: str) -> str | None:
    written = " ".join(phrase.split())
    return EXACT_FORMS.get(written) or _FORM_TO_CONCEPT.get(_form_key(phrase))


def _form_key(text: str) -> str:
    """A phrase as ``words_concept`` sees it: cut by ``segment``, then into the tokens the match reads (Japanese
    morphemes included: "データサイエンティスト" is "データ サイエンティスト" there), case-folded."""
    return " ".join(match.group(0) for match in token_matches(segment(text))).casefold()


_FORM_TO_CONCEPT: dict[str, str] = {}
for _concept, _forms in MERGED_FORMS.items():
    for _form in _forms:  # not the name: "r", "excel" name concepts but are read only as "R", "Excel"
        _FORM_TO_CONCEPT.setdefault(_form_key(_form), _concept)
_FIRST_WORDS = frozenset(key.split()[0] for key in _FORM_TO_CONCEPT) | frozenset(
    _form_key(form).split()[0] for form in EXACT_FORMS
)
_concept_source: dict[str, Callable[[str], str | None]] = {"lookup": _table_concept}


def concept_source_set(lookup: Callable[[str], str | None] | None) -> None:
    """Plugs in another phrase -> concept function (the CV side's synonym map); None restores the table."""
    _concept_source["lookup"] = lookup or _table_concept


def concept_first_words() -> frozenset[str] | None:
    """The case-folded words a concept phrase can start with, when the table answers (a phrase starting with any other
    word names no concept, so it need not be looked up); None when another map is plugged in."""
    return _FIRST_WORDS if _concept_source["lookup"] is _table_concept else None


def words_concept(words: list[str]) -> str | None:
    """``skill_concept`` of tokens already cut by ``segment`` (the table is looked up without cutting them again)."""
    if _concept_source["lookup"] is _table_concept:
        written = " ".join(words)
        return EXACT_FORMS.get(written) or _FORM_TO_CONCEPT.get(written.casefold())
    return skill_concept(" ".join(words))


def skill_concept(phrase: str) -> str | None:
    """The language-neutral concept a phrase names ("maschinelles Lernen" -> "machine learning"), or None."""
    return _concept_source["lookup"](phrase)


def concept_forms() -> dict[str, tuple[str, ...]]:
    """Every concept with its written forms (the match turns them into stem phrases once per process)."""
    return {concept: (concept, *forms) for concept, forms in MERGED_FORMS.items()}
