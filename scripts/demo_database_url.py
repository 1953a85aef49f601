"""Prints the DATABASE_URL of the database `make run` uses (CVPLUS_DATABASE_NAME on the local or embedded PostgreSQL),
for `make prod`, whose production settings require DATABASE_URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cvplus.runtime import discover_database  # noqa: E402


def main() -> None:
    config, _source = discover_database(os.environ.get("CVPLUS_DATABASE_NAME", "cvplus"))
    host = quote(config["HOST"], safe="")  # the embedded server listens on a socket directory
    port = f":{config['PORT']}" if config.get("PORT") else ""
    print(f"postgres://{config['USER']}@{host}{port}/{config['NAME']}")


if __name__ == "__main__":
    main()
