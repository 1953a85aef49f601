"""Text normalisation shared by the reference-data loaders and by title matching."""

from __future__ import annotations

import unicodedata


def title_normalize(title: str) -> str:
    """Case-folded, NFKC-normalised, single-spaced title: the key that job titles are matched and deduplicated on."""
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())
