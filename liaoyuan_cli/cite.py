"""Citations of a record's section in the styles people and reference managers take.

The date is the section's own: an interview is dated "during the session" and only the
report of the group review carries 1月9日; what is inferred (the year) is marked as inferred.
The publication is named only where the source names it; this page calls its paper only 本报
("this paper"), and the citation says so rather than guess.
"""

from __future__ import annotations

import json
import re
from typing import Any

STYLES = ("text", "apa", "chicago", "bibtex", "csl-json")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Context = dict[str, Any]


def render(style: str, ctx: Context, lang: str = "both") -> tuple[str, dict[str, Any]]:
    """The citation text in `style`, and the CSL-JSON item it rests on."""
    item = csl(ctx)
    if style == "csl-json":
        return json.dumps([item], ensure_ascii=False, indent=2), item
    if style == "bibtex":
        return bibtex(ctx), item
    if style == "apa":
        return apa(ctx, lang), item
    if style == "chicago":
        return chicago(ctx, lang), item
    return text(ctx, lang), item


# -- the parts -----------------------------------------------------------------------------------


def _date_parts(section: dict[str, Any]) -> list[int]:
    """[year, month, day] as far as the date gives them, and no further than a part that is not
    one: validation refuses 2024-13, but a citation must never index a month that does not exist."""
    parts = [int(p) for p in re.findall(r"\d+", str(section["date"]["iso"]))[:3]]
    if len(parts) > 1 and not 1 <= parts[1] <= len(MONTHS):
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def date_en(section: dict[str, Any]) -> str:
    """'January 2024 (inferred)', '9 January 2024 (year inferred)'."""
    parts = _date_parts(section)
    inferred = section["date"]["inferred"]
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}" + (" (year inferred)" if inferred else "")
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}" + (" (inferred)" if inferred else "")
    return f"{parts[0]}" + (" (inferred)" if inferred else "")


def _when(ctx: Context) -> str:
    """When the cited words were said or reported, as far as the source says."""
    section = ctx["section"]
    if section["kind"] == "interview":
        said = "during the session, " if section["date"].get("stated") else "at the session (undated), "
        return said + date_en(section)
    return date_en(section)


def _newspaper(ctx: Context, lang: str) -> str:
    """The publication as far as the source names it."""
    article = ctx["article"]
    if article["publication_en"]:
        return str(article["publication_en"])
    stated = article["publication_stated"]
    if stated and lang != "en":
        return f"newspaper not named (the page calls itself {stated}, “this paper”)"
    return "newspaper not named (the page calls itself only “this paper”)"


def _family_given(pinyin: str) -> tuple[str, str]:
    """Chinese names are family name first: 'Chen Bolin' -> ('Chen', 'Bolin')."""
    family, _, given = pinyin.partition(" ")
    return family, given


def curly(text: str, inner: bool = False) -> str:
    """Straight quotes to typographic ones; inside a quotation the marks turn single."""
    opening, closing = ("‘", "’") if inner else ("“", "”")
    out, open_ = [], False
    for ch in text:
        if ch == '"':
            out.append(closing if open_ else opening)
            open_ = not open_
        elif ch == "'":
            out.append("’")
        else:
            out.append(ch)
    result = "".join(out)
    if inner:
        result = result.replace("“", "‘").replace("”", "’")
    return result


def _title(ctx: Context, lang: str) -> str:
    section = ctx["section"]
    en = curly(section["headline_en"], inner=True)
    if lang == "en":
        return f"[{en}]"
    return f"{curly(section['headline_zh'], inner=True)} [{en}]"


def _about(ctx: Context) -> str:
    """Interview with Xing Shugang, Head of Dongfeng County."""
    person = ctx["interviewee"]
    if ctx["section"]["kind"] == "interview" and person:
        return f"Interview with {person['pinyin']}, {person['role_en']}"
    return "News report of the session"


def _authors(ctx: Context, style: str) -> str:
    people = ctx["reporters"]
    if not people:
        return ""
    if style == "apa":
        names = [f"{f}, {g[0]}." if g else f for f, g in (_family_given(p["pinyin"]) for p in people)]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    names = [p["pinyin"] for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _quoted(ctx: Context, lang: str) -> str:
    """The record's words, and whose they are: what may stand in quotation marks."""
    from liaoyuan_cli.vocab import Voice

    record = ctx["record"]
    voice = Voice(record["voice"])
    speaker = ctx["speaker"]
    whose = voice.en + (f" ({speaker['pinyin']})" if speaker else "")
    english = f"“{curly(record['en'], inner=True)}”"
    stop = "" if record["en"].rstrip().endswith((".", "!", "?")) else "."
    if lang == "en":
        return f"Cited words, in translation: {english}{stop} Voice: {whose}."
    return f"Cited words: “{curly(record['quote'], inner=True)}” — {english}{stop} Voice: {whose}."


# -- the styles ----------------------------------------------------------------------------------


def text(ctx: Context, lang: str = "both") -> str:
    """lycli's own line: who wrote it, what, when, where, and the words cited."""
    article = ctx["article"]
    return (
        f"{_authors(ctx, 'text')}. {_title(ctx, lang)}. {_about(ctx)}. {curly(article['session_en'])}, "
        f"{_when(ctx)}; {_newspaper(ctx, lang)}. {_quoted(ctx, lang)}"
    )


def apa(ctx: Context, lang: str = "both") -> str:
    """APA 7: Author, A. (Year, Month Day). Title [Translation]. Publication."""
    parts = _date_parts(ctx["section"])
    inferred = ctx["section"]["date"]["inferred"]
    year = f"[{parts[0]}]" if inferred else str(parts[0])
    when = (
        year
        + (f", {MONTHS[parts[1] - 1]}" if len(parts) > 1 else "")
        + (f" {parts[2]}" if len(parts) > 2 else "")
    )
    return (
        f"{_authors(ctx, 'apa')} ({when}). {_title(ctx, lang)}. [{_about(ctx)}]. [{_newspaper(ctx, lang)}]."
    )


def chicago(ctx: Context, lang: str = "both") -> str:
    """Chicago notes-bibliography: Author. "Title" [Translation]. Publication, Month Day, Year."""
    parts = _date_parts(ctx["section"])
    inferred = ctx["section"]["date"]["inferred"]
    year = f"[{parts[0]}]" if inferred else str(parts[0])
    when = (
        (f"{MONTHS[parts[1] - 1]} " if len(parts) > 1 else "")
        + (f"{parts[2]}, " if len(parts) > 2 else "")
        + year
    )
    section = ctx["section"]
    title = f"[{curly(section['headline_en'], inner=True)}]"
    if lang != "en":
        title = f"“{curly(section['headline_zh'], inner=True)}” {title}"
    newspaper = _newspaper(ctx, lang)
    return (
        f"{_authors(ctx, 'chicago')}. {title}. {_about(ctx)}. {newspaper[0].upper()}{newspaper[1:]}, {when}."
    )


_BIB_SPECIAL = re.compile(r"([&%$#_])")


def _bib(text: str) -> str:
    return _BIB_SPECIAL.sub(
        r"\\\1", text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")
    )


def bibtex(ctx: Context) -> str:
    """A @misc entry: BibTeX has no type for a newspaper page whose paper is not named."""
    record, section, article = ctx["record"], ctx["section"], ctx["article"]
    parts = _date_parts(section)
    authors = " and ".join(", ".join(_family_given(p["pinyin"])) for p in ctx["reporters"])
    fields = [
        ("author", _bib(authors)),
        ("title", "{" + _bib(section["headline_zh"]) + "}"),
        ("year", str(parts[0])),
    ]
    if len(parts) > 1:
        fields.append(("month", MONTHS[parts[1] - 1][:3].lower()))
    note = (
        f"English title: {_bib(curly(section['headline_en']))}. {_bib(_about(ctx))}. "
        f"{_bib(article['session_en'])}, {_bib(_when(ctx))}. {_bib(_newspaper(ctx, 'both'))}."
    )
    fields += [("howpublished", "Newspaper page"), ("note", note), ("language", "chinese")]
    body = ",\n".join(
        f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields
    )
    return f"@misc{{{record['id']},\n{body}\n}}"


def csl(ctx: Context) -> dict[str, Any]:
    """A CSL-JSON item (citation-style-language/schema, csl-data.json)."""
    record, section, article = ctx["record"], ctx["section"], ctx["article"]
    family_given = [_family_given(p["pinyin"]) for p in ctx["reporters"]]
    item: dict[str, Any] = {
        "id": record["id"],
        "type": "article-newspaper",
        "title": section["headline_zh"],
        "author": [{"family": f, "given": g} for f, g in family_given],
        "issued": {"date-parts": [_date_parts(section)]},
        "genre": "Interview" if section["kind"] == "interview" else "News report",
        "event-title": article["session_en"],
        "language": "zh-CN",
        "note": (
            f"English title: {curly(section['headline_en'])}. {_about(ctx)}. Date: {_when(ctx)}. "
            f"{_newspaper(ctx, 'both')[0].upper()}{_newspaper(ctx, 'both')[1:]}."
        ),
    }
    if article["publication_zh"] or article["publication_en"]:
        item["container-title"] = article["publication_zh"] or article["publication_en"]
    return item
