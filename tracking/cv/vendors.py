"""Vendor prefixes of O*NET product names, learned from the names themselves.

O*NET writes most products with their maker in front ("StataCorp Stata", "Dassault Systemes SolidWorks", "Thomson
Reuters Westlaw", "Unity Technologies Unity"); a CV writes the product alone. A fixed list of vendors
(``keyword_index.VENDORS``) covers the makers of office software. This reads the rest from the list of names:

- a maker that names several products: the words all of its products begin with ("Dassault Systemes" begins
  "Dassault Systemes SolidWorks" and "Dassault Systemes CATIA");
- a maker named after its one product: "StataCorp Stata", "Unity Technologies Unity" (the product's first word is
  part of the maker's first word, or repeats it).

A first word that is an ordinary English word ("Computer aided design", "Scientific ...") is never a maker, and the
product left must begin like a name (capital letter or digit). Pure: no ORM, no files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from wordfreq import zipf_frequency

# Words that end a maker's name: the product starts after them even when the maker has one product.
COMPANY_WORDS = frozenset(
    "systems systemes software technologies technology corporation corp inc labs group international solutions "
    "institute associates company gmbh ag ltd llc services information".split()
)
# A word this frequent in English text (Zipf scale: 3 is once per million words; wordfreq's lists) is an ordinary word
# ("Frontier", "Canopy", "Epic"): a product named by it alone is only read where a name is certain.
ORDINARY_ZIPF = 3.0
MIN_SHARED_PRODUCTS = 2  # a first word must begin this many product names to be read as a maker on that alone


def _name_like(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _common_prefix(token_lists: list[list[str]]) -> list[str]:
    shortest = min(len(tokens) for tokens in token_lists)
    prefix: list[str] = []
    for position in range(shortest - 1):  # at least one word of the product is left
        words = {tokens[position] for tokens in token_lists}
        if len(words) != 1:
            break
        prefix.append(token_lists[0][position])
    return prefix


def vendor_products(names: Iterable[str], ordinary_words: frozenset[str] = frozenset()) -> dict[str, str]:
    """O*NET name -> the product without its maker, for the names whose maker is learned (others are absent)."""
    by_first: dict[str, list[list[str]]] = defaultdict(list)
    for name in dict.fromkeys(names):
        tokens = name.split()
        if len(tokens) >= 2 and _name_like(tokens[0]) and tokens[0].casefold() not in ordinary_words:
            by_first[tokens[0]].append(tokens)
    products: dict[str, str] = {}
    for group in by_first.values():
        shared = _common_prefix(group) if len(group) >= MIN_SHARED_PRODUCTS else []
        for tokens in group:
            vendor_length = max(len(shared), _own_vendor_length(tokens))
            while 0 < vendor_length < len(tokens) - 1 and tokens[vendor_length].casefold() in COMPANY_WORDS:
                vendor_length += 1  # "AMS Services AMS Sagitta": the maker's company word is the maker's
            if 0 < vendor_length < len(tokens) - 1 and tokens[vendor_length] == tokens[0]:
                vendor_length += 1  # ... and its name repeated before the product
            if not vendor_length or vendor_length >= len(tokens):
                continue
            rest = tokens[vendor_length:]
            if not _name_like(rest[0]):
                continue
            products[" ".join(tokens)] = " ".join(rest)
    return products


def _own_vendor_length(tokens: list[str]) -> int:
    """Words of a one-product maker: "StataCorp Stata" -> 1, "Unity Technologies Unity" -> 2, else 0."""
    first = tokens[0].casefold()
    for position in range(1, len(tokens)):
        word = tokens[position].casefold()
        if word in COMPANY_WORDS:
            continue
        named_after = word == first or (len(word) >= 3 and first.startswith(word) and first != word)
        if named_after:
            return position
        if position >= 2 and tokens[position - 1].casefold() in COMPANY_WORDS:
            return position  # "Acme Software Widget": the maker ends at its company word
        return 0
    return 0


@lru_cache(maxsize=50_000)
def common_word(word: str, language: str = "en") -> bool:
    """Whether ``word`` is an ordinary word of ``language`` (frequent in its running text)."""
    return zipf_frequency(word, language) >= ORDINARY_ZIPF
