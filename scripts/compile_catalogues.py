"""Compiles locale/*/LC_MESSAGES/*.po into .mo files with polib, so set-up needs no system gettext tools."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    compiled = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        compiled += 1
        print(f"{po_path.relative_to(ROOT)}: {catalogue.percent_translated()}% translated")
    print(f"{compiled} catalogues compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
