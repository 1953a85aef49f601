"""Builds skill_vocabulary.csv: the ESCO skill labels CVs and postings write, as an extraction vocabulary (run once;
the output is committed).

    .venv/bin/python data/reference/esco_multilingual/build_skill_vocabulary.py /work/shared/data/esco_multilingual

ESCO names most skills as an activity ("perform root cause analysis", "Touren planen", "planificar rutas"); a CV
writes the thing itself ("root cause analysis", "Tourenplanung"). So only noun phrases are kept, by rules written
once for every label, never per skill:

- Transversal skills are dropped (languages, "interact with others", "meet commitments": not what a recruiter
  searches for, and the evaluation's annotation rules exclude them too).
- English: a label that starts with a verb (a word that starts an O*NET 29.2 task statement: "Perform", "Manage")
  loses the verb when what is left is at least two words and does not start with a function word ("perform root
  cause analysis" -> "root cause analysis"; "manage staff" and "liaise with authorities" are dropped).
- German, French, Spanish: a label is a verb phrase, and dropped, when it ends (German) or starts (French, Spanish)
  with a word that ends or starts the label of a concept whose English label starts with a verb (the infinitives
  ESCO itself uses: "planen", "gérer", "planificar").
- One-word labels are kept only when they are at least ``MIN_WORD_CHARS`` letters and (English) not a word O*NET's
  task statements write in lower case ("pricing", "planning": ordinary words of job text); labels of more than
  ``MAX_WORDS`` words or under four characters are dropped (acronyms are the curated index's job).

Writes one row per concept and language: esco (UUID), name (the English label to show: the first English noun
phrase, else the English preferred label), language, labels (``|``-separated, those kept).

Also writes occupation_alt_labels.csv: esco (occupation UUID), language (de, fr, es), labels (ESCO's alternative
labels, `` | ``-separated, unchanged): the job titles CVs and postings write besides the preferred label
("Disponent", "développeur backend", "ingeniero de calidad").
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TASKS = HERE.parent / "onet_29_2" / "Task_Statements.txt"
OUTPUT = HERE / "skill_vocabulary.csv"
OCCUPATION_OUTPUT = HERE / "occupation_alt_labels.csv"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
URI_PREFIX = "http://data.europa.eu/esco/skill/"
LANGUAGES = ("en", "de", "fr", "es")
MIN_WORD_CHARS = 8
MAX_WORDS = 5
MIN_LABEL_CHARS = 4
FUNCTION_WORDS = frozenset(
    "a an the with to for of on in at by from and or as into about up out that this these those their its "
    "others other oneself yourself own new".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")


def task_words() -> tuple[frozenset[str], frozenset[str]]:
    """(verbs, ordinary words): the first word of each O*NET task statement, and every word they write in lower
    case."""
    verbs: set[str] = set()
    ordinary: set[str] = set()
    with TASKS.open(encoding="utf-8", errors="replace") as handle:
        next(handle)
        for line in handle:
            fields = line.split("\t")
            if len(fields) < 3:
                continue
            words = _WORD_RE.findall(fields[2])
            if words:
                verbs.add(words[0].casefold())
            ordinary.update(word for word in words if word.islower())
    return frozenset(verbs), frozenset(ordinary)


def english_noun_phrase(label: str, verbs: frozenset[str]) -> str:
    words = label.split()
    if words and words[0].casefold() in verbs:
        words = words[1:]
        if len(words) < 2:
            return ""
    # A gerund ("managing the general ledger") or a phrase with function words ("operating of pumps", "leading a
    # team") describes an activity in ESCO's wording, which CVs rarely repeat word for word and which reads wrongly
    # inside other phrases.
    if not words or words[0].casefold().endswith("ing") or any(word.casefold() in FUNCTION_WORDS for word in words):
        return ""
    return " ".join(words)


def keep(label: str, language: str, ordinary: frozenset[str]) -> bool:
    words = label.split()
    if not words or len(words) > MAX_WORDS or len(label) < MIN_LABEL_CHARS:
        return False
    if len(words) == 1:
        word = words[0]
        if len(word) < MIN_WORD_CHARS or not word.replace("-", "").isalpha():
            return False
        if language == "en" and word.casefold() in ordinary:
            return False
    # German writes nouns with a capital: a label ending in a lower-case word ends in its verb ("Daten migrieren").
    return not (language == "de" and len(words) > 1 and words[-1].islower())


def label_key(label: str) -> str:
    """Spellings that differ only in case, hyphens or a plural "s" are one label (the reader stems them alike)."""
    words = label.casefold().replace("-", " ").split()
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def main(source: Path) -> None:
    verbs, ordinary = task_words()
    by_concept: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with (source / "skills_labels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["reuseLevel"] == "transversal" or not row["conceptUri"].startswith(URI_PREFIX):
                continue
            alternatives = [label.strip() for label in row["altLabels"].split(" | ") if label.strip()]
            by_concept[row["conceptUri"]][row["language"]] = [row["preferredLabel"].strip(), *alternatives]
    activity = {uri for uri, labels in by_concept.items() if labels.get("en", [""])[0].split()[:1] and
                labels["en"][0].split()[0].casefold() in verbs}  # fmt: skip
    # The infinitives ESCO writes: German puts the verb last, French and Spanish first.
    foreign_verbs = {
        "de": {labels["de"][0].split()[-1] for uri, labels in by_concept.items() if uri in activity and "de" in labels},
        "fr": {labels["fr"][0].split()[0] for uri, labels in by_concept.items() if uri in activity and "fr" in labels},
        "es": {labels["es"][0].split()[0] for uri, labels in by_concept.items() if uri in activity and "es" in labels},
    }
    rows = []
    for uri in sorted(by_concept):
        labels = by_concept[uri]
        english = labels.get("en", [])
        if not english:
            continue
        kept_by_language: dict[str, list[str]] = {}
        english_kept = [english_noun_phrase(label, verbs) for label in english]
        kept_by_language["en"] = [label for label in english_kept if label and keep(label, "en", ordinary)]
        for language in ("de", "fr", "es"):
            words_at = -1 if language == "de" else 0
            kept_by_language[language] = [
                label
                for label in labels.get(language, [])
                if label.split() and label.split()[words_at] not in foreign_verbs[language]
                and keep(label, language, ordinary)
            ]  # fmt: skip
        name = next((label for label in english_kept if label), english[0])
        for language in LANGUAGES:
            kept = list({label_key(label): label for label in reversed(kept_by_language[language])}.values())[::-1]
            if kept:
                rows.append((uri[len(URI_PREFIX) :], name, language, " | ".join(kept)))
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("esco", "name", "language", "labels"))
        writer.writerows(rows)
    print(f"{len(rows)} rows, {len({row[0] for row in rows})} concepts -> {OUTPUT}")


def occupations(source: Path) -> None:
    rows = []
    with (source / "occupations_labels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["language"] in ("de", "fr", "es") and row["altLabels"].strip():
                rows.append((row["conceptUri"].removeprefix(OCCUPATION_PREFIX), row["language"], row["altLabels"]))
    with OCCUPATION_OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("esco", "language", "labels"))
        writer.writerows(sorted(rows))
    print(f"{len(rows)} occupation rows -> {OCCUPATION_OUTPUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
    occupations(Path(sys.argv[1]))
