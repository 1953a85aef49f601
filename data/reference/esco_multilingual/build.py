"""Builds this folder from the shared ESCO multilingual copy and O*NET 29.2 (run once; the outputs are committed).

    python data/reference/esco_multilingual/build.py /work/shared/data/esco_multilingual

Writes:
- occupation_labels.csv: conceptUri, language, preferredLabel for ESCO occupations in de, fr and es (English is
  already in ../esco_taxonomy/occupations_en.csv); alternative labels are left out to keep the file small.
- onet_esco_crosswalk.csv: onet_code, esco_uri, matched_on: an O*NET occupation and the ESCO occupation with the same
  English name, matched exactly (case-folded) in this order: the O*NET title made singular = ESCO's preferred label;
  = one of ESCO's alternative labels; an O*NET reported title = ESCO's preferred label; = an alternative label. No fuzzy matching: an O*NET
  occupation without such a match keeps its English title on every page.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONET = HERE.parent / "onet_29_2"
LANGUAGES = ("de", "fr", "es")


def singular(title: str) -> str:
    head, _comma, rest = title.partition(",")
    words = head.split()
    if words:
        last = words[-1]
        if last.endswith("ies"):
            last = last[:-3] + "y"
        elif last.endswith(("ches", "shes", "sses", "xes")):
            last = last[:-2]
        elif last.endswith("s") and not last.endswith("ss"):
            last = last[:-1]
        words[-1] = last
    return " ".join(words).casefold()


def tab_rows(name: str) -> list[dict[str, str]]:
    with (ONET / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def main(source: Path) -> None:
    with (source / "occupations_labels.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (HERE / "occupation_labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["conceptUri", "language", "preferredLabel"])
        for row in rows:
            if row["language"] in LANGUAGES and row["preferredLabel"].strip():
                writer.writerow([row["conceptUri"], row["language"], row["preferredLabel"].strip()])
    preferred: dict[str, str] = {}
    alternative: dict[str, str] = {}
    for row in rows:
        if row["language"] != "en":
            continue
        preferred.setdefault(row["preferredLabel"].strip().casefold(), row["conceptUri"])
        for label in row["altLabels"].split(" | "):
            if label.strip():
                alternative.setdefault(label.strip().casefold(), row["conceptUri"])
    reported: dict[str, list[str]] = {}
    for row in tab_rows("Sample_of_Reported_Titles.txt"):
        reported.setdefault(row["O*NET-SOC Code"], []).append(row["Reported Job Title"].casefold())
    matches = []
    for row in tab_rows("Occupation_Data.txt"):
        code, name = row["O*NET-SOC Code"], singular(row["Title"])
        if name in preferred:
            matches.append((code, preferred[name], "title=preferredLabel"))
        elif name in alternative:
            matches.append((code, alternative[name], "title=altLabel"))
        else:
            titles = reported.get(code, [])
            found = next((title for title in titles if title in preferred), None)
            if found:
                matches.append((code, preferred[found], "reportedTitle=preferredLabel"))
            elif found := next((title for title in titles if title in alternative), None):
                matches.append((code, alternative[found], "reportedTitle=altLabel"))
    with (HERE / "onet_esco_crosswalk.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["onet_code", "esco_uri", "matched_on"])
        writer.writerows(matches)
    print(f"{len(matches)} O*NET occupations matched to ESCO")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
