"""Citation typography: one kind of apostrophe and quotation mark in a citation, a headline as
printed unless the style sets it in quotation marks, one period where one belongs, and the
American styles' period and comma inside a closing quotation mark (docs/citing.md)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from liaoyuan_cli import cite, queries
from liaoyuan_cli.api import Knowledge

from .conftest import fixture_cli, run_cli

HUMAN = ("text", "apa", "chicago")
HAN = re.compile(r"[\u3400-\u9fff]")


def _ctx(store: Any, record_id: str) -> dict[str, Any]:
    """A citation's context, to change in a test without touching the knowledge base."""
    return copy.deepcopy(queries._context(store, store.record(record_id)))


def _every_citation(store: Any) -> list[tuple[str, str, str, str]]:
    """(record, style, lang, citation) for every record of the fixture in every style."""
    out = []
    for record_id in store.record_ids():
        ctx = queries._context(store, store.record(record_id))
        for style in cite.STYLES:
            for lang in ("both", "en") if style in HUMAN else ("both",):
                out.append((record_id, style, lang, cite.render(style, ctx, lang)[0]))
    return out


# -- 1. one kind of apostrophe and quotation mark ------------------------------------------------


def test_the_bundled_interview_sets_one_apostrophe_in_every_readable_style() -> None:
    """The report: People's (the interviewee's role) stood beside People’s (the session)."""
    for style in (*HUMAN, "bibtex"):
        shown = run_cli("cite", "gaoxin-2023-gdp", "--style", style).stdout
        assert "People’s Congress" in shown and "People's" not in shown, style


def test_readable_styles_and_bibtex_hold_no_straight_mark(store: Any) -> None:
    for record_id, style, lang, text in _every_citation(store):
        if style == "csl-json":
            continue
        body = text if style != "bibtex" else "".join(re.findall(r"= \{(.*)\},?$", text, re.M))
        assert "'" not in body and '"' not in body, (record_id, style, lang, body)


def test_csl_json_keeps_the_datas_own_characters_consistently(store: Any) -> None:
    ctx = _ctx(store, "gaoxin-2023-gdp")
    item = json.loads(cite.render("csl-json", ctx)[0])[0]
    assert item["title"] == ctx["section"]["headline_zh"]  # 聚力“三个坚持”…, as printed
    assert item["event-title"] == ctx["article"]["session_en"]  # People's, as typed
    # The note is English put together from the data: straight marks throughout, as the data has them.
    assert '"Three Persistences"' in item["note"] and "People's Congress" in item["note"]
    assert not re.search("[‘’“”]", item["note"]), item["note"]
    assert '本报, "this paper"' in item["note"]


def test_a_pinyin_apostrophe_is_typographic_too(store: Any) -> None:
    ctx = _ctx(store, "gaoxin-2024-view-report")
    ctx["reporters"][0] = {**ctx["reporters"][0], "pinyin": "Xi'an Li"}
    for style in HUMAN:
        assert "Xi’an" in cite.render(style, ctx)[0]
    assert "Xi’an" in cite.render("bibtex", ctx)[0]
    assert "Xi'an" in cite.render("csl-json", ctx)[1]["author"][0]["family"]


# -- 2. a headline as printed, unless the style quotes it ----------------------------------------


@pytest.mark.parametrize("style", ["text", "apa"])
def test_a_headline_not_in_quotation_marks_keeps_its_own(store: Any, style: str) -> None:
    """Text and APA do not quote a title: 聚力“三个坚持” stays as printed, and so does its translation."""
    shown = Knowledge(store).cite("gaoxin-2024-view-report", style)["citation"]
    assert "聚力“三个坚持” 加快建设创新型高新区 [Pooling strength on the “Three Persistences”" in shown
    assert "‘三个坚持’" not in shown and "‘Three Persistences’" not in shown


def test_chicago_turns_the_quoted_headlines_own_marks_single_and_only_those(store: Any) -> None:
    shown = Knowledge(store).cite("gaoxin-2024-view-report", "chicago")["citation"]
    # The headline stands in Chicago's quotation marks; its translation, in brackets, does not.
    assert "“聚力‘三个坚持’ 加快建设创新型高新区” [Pooling strength on the “Three Persistences”" in shown
    en = cite.render("chicago", _ctx(store, "gaoxin-2024-view-report"), "en")[0]
    assert "[Pooling strength on the “Three Persistences” to speed up" in en


def test_words_cited_in_quotation_marks_turn_their_own_marks_single(store: Any) -> None:
    ctx = _ctx(store, "gaoxin-2024-view-report")
    ctx["record"]["quote"] = "聚力“三个坚持”"
    ctx["record"]["en"] = 'Pool strength on the "Three Persistences".'
    shown = cite.render("text", ctx)[0]
    assert "Cited words: “聚力‘三个坚持’” — “Pool strength on the ‘Three Persistences’.” Voice:" in shown


# -- 3. what an editor would catch ---------------------------------------------------------------


def test_no_doubled_period_or_space_and_a_final_period(store: Any) -> None:
    for record_id, style, lang, text in _every_citation(store):
        where = (record_id, style, lang)
        body = json.loads(text)[0]["note"] if style == "csl-json" else text
        if style == "bibtex":
            body = "".join(re.findall(r"note = \{(.*)\},?$", text, re.M))
        assert not re.search(r"(?<!\.)\.\.(?!\.)", body), where
        assert "  " not in body and " ." not in body and " ," not in body, where
        if style in HUMAN:
            assert body.endswith("."), where


def test_a_sentence_opens_with_a_capital(store: Any) -> None:
    """BibTeX's note and APA's bracketed description began 'newspaper not named'."""
    bib = Knowledge(store).cite("gaoxin-2023-gdp", "bibtex")["citation"]
    assert ". Newspaper not named" in bib and ". newspaper" not in bib
    apa = Knowledge(store).cite("gaoxin-2023-gdp", "apa")["citation"]
    assert apa.endswith("[Newspaper not named (the page calls itself 本报, “this paper”)].")


def test_a_part_that_ends_with_a_period_gets_no_second_one(store: Any) -> None:
    ctx = _ctx(store, "gaoxin-2024-view-report")
    ctx["interviewee"] = {**ctx["interviewee"], "role_en": "Director of Liaoyuan Hydrogen Co."}
    for style in cite.STYLES:
        shown = cite.render(style, ctx)[0]
        assert "Co.." not in shown, style
        assert ("Co.]. " if style == "apa" else "Co. ") in shown, style


def test_chicago_and_apa_set_period_and_comma_inside_a_closing_quotation_mark(store: Any) -> None:
    ctx = _ctx(store, "gaoxin-2024-view-report")
    ctx["interviewee"] = {**ctx["interviewee"], "role_en": 'Director of the "Smart Park"'}
    ctx["article"] = {**ctx["article"], "publication_en": 'The "Liaoyuan Daily"'}
    chicago = cite.render("chicago", ctx)[0]
    assert "Director of the “Smart Park.” The “Liaoyuan Daily,” [January 2024]." in chicago
    # lycli's own line, dated the British way, punctuates by sense: outside.
    text = cite.render("text", ctx)[0]
    assert "Director of the “Smart Park”. " in text
    assert "; The “Liaoyuan Daily”, January 2024 (inferred). Cited words" in text


def test_chicago_lists_three_or_more_authors_with_the_serial_comma(store: Any) -> None:
    ctx = _ctx(store, "liaoyuan-2024-group-review")
    luo, qi = ctx["reporters"]
    ctx["reporters"] = [luo, qi, {**luo, "pinyin": "Ge Xiaodong"}]
    assert cite.render("chicago", ctx)[0].startswith("Luo Peishan, Qi Dongyang, and Ge Xiaodong. “")
    assert cite.render("text", ctx)[0].startswith("Luo Peishan, Qi Dongyang and Ge Xiaodong. ")
    assert cite.render("apa", ctx)[0].startswith("Luo, P., Qi, D., & Ge, X. ([2024, January]). ")
    two = Knowledge(store).cite("liaoyuan-2024-group-review", "chicago")["citation"]
    assert two.startswith("Luo Peishan and Qi Dongyang. ")


def test_bibtex_escapes_latex_specials_once(store: Any) -> None:
    r"""A \ became \textbackslash\{\} (its own braces escaped); a ~ printed as a non-breaking space."""
    from pybtex.database import parse_string  # type: ignore[import-untyped]

    ctx = _ctx(store, "gaoxin-2024-view-report")
    ctx["section"]["headline_en"] = "A\\B {c} ~50% of d^2"
    bib = cite.render("bibtex", ctx)[0]
    note = parse_string(bib, "bibtex").entries["gaoxin-2024-view-report"].fields["note"]
    braced = "\\textbraceleft{}c\\textbraceright{}"  # a brace of the text is never \{: BibTeX counts those
    assert f"A\\textbackslash{{}}B {braced} \\textasciitilde{{}}50\\% of d\\textasciicircum{{}}2." in note


def test_english_only_citations_hold_no_chinese_but_the_original_title(store: Any) -> None:
    """--lang en: lycli's own line holds no Chinese; APA and Chicago hold the headline as
    printed (beside its translation), and no other Chinese."""
    for record_id, style, lang, text in _every_citation(store):
        if lang != "en":
            continue
        if style == "text":
            assert not HAN.search(text), (record_id, style)
            continue
        headline = store.sections()[store.record(record_id)["section"]]["headline_zh"]
        assert "".join(HAN.findall(text)) == "".join(HAN.findall(headline)), (record_id, style)


def test_the_cli_prints_what_the_query_gives() -> None:
    shown = fixture_cli("cite", "gaoxin-2024-view-report", "--style", "apa", "--json").json()["citation"]
    assert "聚力“三个坚持”" in shown and "People’s" in shown and "'" not in shown


@pytest.mark.parametrize(
    ("typed", "set_", "inner"),
    [
        ("Xi'an's pledges", "Xi’an’s pledges", "Xi’an’s pledges"),
        ("the deputies' pledges", "the deputies’ pledges", "the deputies’ pledges"),
        ('the "Five" and the "Six"', "the “Five” and the “Six”", "the ‘Five’ and the ‘Six’"),
        ('实现"五个新突破" 加快', "实现“五个新突破” 加快", "实现‘五个新突破’ 加快"),
        ("聚力“三个坚持”", "聚力“三个坚持”", "聚力‘三个坚持’"),
        ("the '90s", "the ’90s", "the ’90s"),
        ("say 'yes' now", "say ‘yes’ now", "say “yes” now"),
        ("\"a 'b' c\"", "“a ‘b’ c”", "‘a “b” c’"),
    ],
)
def test_typographic_marks(typed: str, set_: str, inner: str) -> None:
    assert cite.typographic(typed) == set_
    assert cite.typographic(typed, inner=True) == inner
