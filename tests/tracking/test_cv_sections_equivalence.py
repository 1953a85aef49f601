"""``cv_sections_split`` finds headings by position (the regex engine skips to letters in C) instead of judging
every line in Python. It must split exactly as the plain reading line by line does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracking.cv.sections import MAX_HEADING_LINE_CHARS, cv_sections_split, heading_kind


def sections_line_by_line(text: str) -> list[dict]:
    """The reference: every line of ``str.splitlines`` judged in turn."""
    sections: list[dict] = []
    current: dict = {"kind": "header", "heading": "", "lines": [], "start_line": 1}
    for number, line in enumerate(text.splitlines(), start=1):
        kind = heading_kind(line) if len(line) <= MAX_HEADING_LINE_CHARS else None
        if kind is None:
            current["lines"].append(line)
            continue
        sections.append(current)
        current = {"kind": kind, "heading": line.strip(), "lines": [], "start_line": number}
    sections.append(current)
    result = []
    for section in sections:
        body = "\n".join(section["lines"]).strip()
        if section["kind"] == "header" and not body:
            continue
        result.append(
            {"kind": section["kind"], "heading": section["heading"], "text": body, "start_line": section["start_line"]}
        )
    return result


HEADINGS = ["Skills", "WORK EXPERIENCE:", "## Berufserfahrung", "Formation", "職務経歴", "学歴・職歴", "Skills & Tools",
            "Ｓｋｉｌｌｓ", "  Education  ", "Idiomas", "Expérience professionnelle"]  # fmt: skip
LINES = st.one_of(
    st.sampled_from(HEADINGS),
    st.text(alphabet="abcXYZ éü職歴 -:•0123\t", max_size=30),
    st.sampled_from(["", " ", "Led a team of 5", "2019 – Present", "jane@example.com", "Skills" + " " * 120]),
)
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0c"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(LINES, BREAKS), max_size=25), st.booleans())
def test_it_splits_as_reading_line_by_line_does(lines: list[tuple[str, str]], trailing_break: bool) -> None:
    text = "".join(line + brk for line, brk in lines)
    if not trailing_break and lines:
        text = text[: -len(lines[-1][1])]

    assert cv_sections_split(text) == sections_line_by_line(text)


def test_it_numbers_heading_lines_as_splitlines_does() -> None:
    text = "Jane Doe\r\njane@example.com\r\n\r\nSkills\rPython\u2028Experience\nAnalyst, 2019 - 2024"

    assert [(s["kind"], s["start_line"], s["text"]) for s in cv_sections_split(text)] == [
        ("header", 1, "Jane Doe\njane@example.com"),
        ("skills", 4, "Python"),
        ("experience", 6, "Analyst, 2019 - 2024"),
    ]
