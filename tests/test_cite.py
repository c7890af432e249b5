"""Citations: the section's own date, the publication only as the source names it, whose words,
typographic quotes; BibTeX a parser reads, CSL-JSON valid against its published schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from liaoyuan_cli.api import Knowledge

from .conftest import run_cli

CSL_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "record", ["gaoxin-2024-view-report", "liaoyuan-2024-group-review", "dongfeng-2025-three-focuses"]
)
def test_csl_json_is_valid_against_the_published_schema(store: Any, record: str) -> None:
    result = Knowledge(store).cite(record, "csl-json")
    items = json.loads(result["citation"])
    errors = list(Draft7Validator(CSL_SCHEMA).iter_errors(items))
    assert not errors, [e.message for e in errors[:3]]
    assert items[0] == result["csl"] and items[0]["type"] == "article-newspaper"


def test_bibtex_parses_with_its_date_and_no_invented_journal(store: Any) -> None:
    from pybtex.database import parse_string

    text = Knowledge(store).cite("liaoyuan-2024-group-review", "bibtex")["citation"]
    entry = parse_string(text, "bibtex").entries["liaoyuan-2024-group-review"]
    assert entry.type == "misc"
    assert entry.fields["year"] == "2024" and entry.fields["month"].lower() in ("jan", "january")
    assert "journal" not in entry.fields  # the page names no newspaper: none is made up
    assert "year inferred" in entry.fields["note"]
    assert next(str(p) for p in entry.persons["author"]).startswith(("Ge", "Luo", "Peng", "Qi", "Cai"))


def test_bundled_citation_of_the_interview_is_dated_by_the_session() -> None:
    bib = run_cli("cite", "gaoxin-2023-gdp", "--style", "bibtex").stdout
    from pybtex.database import parse_string

    entry = parse_string(bib, "bibtex").entries["gaoxin-2023-gdp"]
    assert entry.fields["year"] == "2024" and entry.fields["month"] == "January"
    assert "9 January" not in bib and "1月9日" not in bib
    assert "本报" in entry.fields["note"]  # the page's own word for its paper, no guessed name
    apa = run_cli("cite", "gaoxin-2023-gdp", "--style", "apa").stdout
    assert apa.startswith("Chen, B. ([2024, January]).")  # month and year inferred: the page prints no date


def test_bundled_high_tech_zone_interview_is_not_said_to_be_given_at_the_session() -> None:
    """Four interviews say 市九届人大三次会议期间; the High-tech Zone's states no date."""
    for style in ("text", "bibtex", "csl-json"):
        shown = run_cli("cite", "gaoxin-2023-gdp", "--style", style).stdout
        assert "Interview undated" in shown and "at the session" not in shown, style
        assert "during the session" not in shown.lower() and "given during" not in shown.lower(), style
    dongfeng = run_cli("cite", "dongfeng-2023-key-projects").stdout
    assert "Given during the Third Session" in dongfeng
    entity = run_cli("entities", "liaoyuan-npc-9th-3rd-session", "--json").json()["entity"]
    assert "Four of the five interviews" in entity["note_en"] and "every interview" not in entity["note_en"]


@pytest.mark.parametrize("record", ["liaoyuan-2024-group-review", "liaoyuan-2024-zhang-fengdong-assessment"])
def test_bundled_report_is_published_in_january_and_9_january_is_the_events_date(record: str) -> None:
    """1月9日 dates the group review, not the page, which prints no date: no style gives 9
    January as the date of publication; the text names it as the events' date."""
    apa = run_cli("cite", record, "--style", "apa").stdout
    assert "([2024, January])" in apa and "January 9" not in apa and "9 January" not in apa
    chicago = run_cli("cite", record, "--style", "chicago").stdout
    assert chicago.rstrip().endswith("[January 2024].") and "January 9" not in chicago
    item = run_cli("cite", record, "--style", "csl-json").json()[0]
    assert item["issued"] == {"date-parts": [[2024, 1]]}
    assert item["event-date"] == {"date-parts": [[2024, 1, 9]]}
    text = run_cli("cite", record).stdout
    assert "events of 9 January 2024 (year inferred)" in text
    assert "“this paper”), January 2024 (inferred)." in text
    from pybtex.database import parse_string

    entry = parse_string(run_cli("cite", record, "--style", "bibtex").stdout, "bibtex").entries[record]
    assert entry.fields["year"] == "2024" and entry.fields["month"] == "January" and "day" not in entry.fields


def test_text_styles_quote_typographically_and_say_whose_words(store: Any) -> None:
    text = Knowledge(store).cite("gaoxin-2024-view-report", "text")["citation"]
    assert '"' not in text  # straight quotes become typographic ones
    assert "“" in text and "”" in text
    assert "Voice: the speaker's own words" in text or "Voice: the speaker’s own words" in text
    chicago = Knowledge(store).cite("gaoxin-2024-view-report", "chicago")["citation"]
    assert chicago.count("“") == chicago.count("”") and not chicago.endswith(
        ("gaoxin-2024-view-report", "." * 2)
    )
    assert "gaoxin-2024-view-report" not in chicago  # no internal id in a citation


def test_english_only_citations_hold_no_chinese(store: Any) -> None:
    import re

    shown = Knowledge(store).show("gaoxin-2024-view-report")["citation_en"]
    assert not re.search(r"[\u3400-\u9fff]", shown)


# -- BibTeX from hostile text (issue 25, item 4) -----------------------------------------------
# BibTeX counts braces whatever stands before them: a `}` written as `\}` still closes a field,
# so text from the knowledge base could end a field early (pybtex: "'}' expected") or add fields
# and entries of its own. Each text below goes into every field it can reach; a real parser must
# read back one entry with the same fields, each holding the text.

HOSTILE = [
    "Session}",
    "Session{",
    "Session} , note = {injected}, title = {x",
    "x}\n}\n@misc{evil, title = {pwned}}\n@comment{",
    "\\} \\{ \\\\} { { } } }}} {{{",
    "100% & $5 #1 _a_ ~b^ \\textbf{bold} \\",
    '"quoted" @ , = ( )',
]


def _bib_context(text: str) -> dict[str, Any]:
    """A citation's context, every text a reader may have written holding `text`."""
    return {
        "record": {"id": "hostile-record", "voice": "narration", "en": text, "quote": text},
        "article": {
            "session_en": f"{text} session",
            "publication_en": None,
            "publication_stated": None,
            "date": "2024-01",
            "date_inferred": True,
        },
        "section": {
            "kind": "interview",
            "date": {"iso": "2024-01", "inferred": True, "stated": None},
            "headline_zh": f"标题{text}",
            "headline_en": f"Headline {text}",
        },
        "interviewee": {"pinyin": f"Wang {text}", "role_en": f"Head {text}"},
        "reporters": [{"pinyin": f"Li {text}"}],
        "speaker": None,
    }


def _unbib(value: str) -> str:
    """A field as written back to its text: the inverse of cite._bib's escapes."""
    import re

    from liaoyuan_cli.cite import _BIB_ESCAPES

    back = {escaped: char for char, escaped in _BIB_ESCAPES.items()}
    return re.sub(
        "|".join(re.escape(e) for e in sorted(back, key=len, reverse=True)), lambda m: back[m.group()], value
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_bibtex_of_hostile_text_parses_as_one_entry_holding_the_text(text: str) -> None:
    from pybtex.database import parse_string

    from liaoyuan_cli import cite

    bib = cite.bibtex(_bib_context(text))
    data = parse_string(bib, "bibtex")  # raises on a field ended early
    assert list(data.entries) == ["hostile-record"]
    entry = data.entries["hostile-record"]
    assert set(entry.fields) == {"title", "year", "month", "howpublished", "note", "language"}

    def read(field: str) -> str:  # the text of a field, whitespace as BibTeX reads it
        return " ".join(_unbib(entry.fields[field]).split())

    said = " ".join(cite.typographic(text).split())
    assert read("title") == "{" + " ".join(cite.typographic("标题" + text).split()) + "}"
    assert f"{said} session" in read("note") and f"Wang {said}" in read("note")
    [author] = entry.persons["author"]  # one author: a comma or an "and" in the name split nothing
    assert [_unbib(n) for n in author.last_names] == ["Li"]
    given = " ".join(_unbib(" ".join(author.first_names + author.middle_names)).split())
    assert given in (said, "{" + said + "}")
    assert bib.count("{") == bib.count("}")
