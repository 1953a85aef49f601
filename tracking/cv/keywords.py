"""Skills and job titles in CV text, matched against the market reference data with word forms and synonyms.

The public face of two modules, so callers keep one import (``from tracking.cv import keywords``):
``keyword_index`` builds and caches the index from the reference data, ``keyword_match`` finds skills and titles in
text with it.
"""

from __future__ import annotations

from tracking.cv.keyword_index import (
    AMBIGUOUS_NAMES,
    ANY_CASE,
    CAPITALISED,
    CAPITALISED_SYNONYMS,
    COMMON_WORDS,
    INDEX_DATASETS,
    MAX_NGRAM_TOKENS,
    MAX_TITLE_WORDS,
    SENIORITY_WORDS,
    SHORT,
    SYNONYMS,
    TITLE_SOURCE_PRIORITY,
    TITLE_STOP_WORDS,
    UPPER,
    VENDORS,
    Alias,
    KeywordIndex,
    SkillRef,
    TitleRef,
    keyword_index,
    keyword_index_build,
    keyword_index_clear,
    phrase_key,
    title_tokens,
    token_matches,
    word_stem,
)
from tracking.cv.keyword_match import (
    BULLETS,
    HEADLINE_LINES,
    TITLE_MIN_SCORE,
    TITLE_TOKEN_MIN_SCORE,
    skills_match,
    text_languages,
    titles_match,
)

__all__ = [
    "AMBIGUOUS_NAMES",
    "ANY_CASE",
    "BULLETS",
    "CAPITALISED",
    "CAPITALISED_SYNONYMS",
    "COMMON_WORDS",
    "HEADLINE_LINES",
    "INDEX_DATASETS",
    "MAX_NGRAM_TOKENS",
    "MAX_TITLE_WORDS",
    "SENIORITY_WORDS",
    "SHORT",
    "SYNONYMS",
    "TITLE_MIN_SCORE",
    "TITLE_SOURCE_PRIORITY",
    "TITLE_STOP_WORDS",
    "TITLE_TOKEN_MIN_SCORE",
    "UPPER",
    "VENDORS",
    "Alias",
    "KeywordIndex",
    "SkillRef",
    "TitleRef",
    "keyword_index",
    "keyword_index_build",
    "keyword_index_clear",
    "phrase_key",
    "skills_match",
    "text_languages",
    "title_tokens",
    "titles_match",
    "token_matches",
    "word_stem",
]
