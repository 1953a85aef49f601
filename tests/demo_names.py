"""What gives demo data away as test data, for the demo tests (tests/tracking/ and tests/portal/test_demo.py)."""

from __future__ import annotations

import re

# The classic fixture companies, placeholders, two capitals before a legal form ("NB Corp"), a role as a surname.
FIXTURE_NAME = re.compile(
    r"\b[A-Z]{2} (Corp|Inc|Ltd|LLC|GmbH|AG|KK)\b|\b(Acme|Globex|Initech|Hooli|Umbrella|Vandelay|Contoso|Northwind|"
    r"Fabrikam|Wayne Enterprises|Stark Industries|Dunder Mifflin|Foo|Bar|Baz|Test|Dummy|Sample|Lorem)\b|Recruiter$",
    re.IGNORECASE,
)
# Words an English sentence can hardly do without and German or Japanese text never uses.
ENGLISH_WORDS = re.compile(r"\b(the|and|with|your|you|will|please|for|this)\b", re.IGNORECASE)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
