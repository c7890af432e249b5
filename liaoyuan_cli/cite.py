"""Citations of a record's section in the styles people and reference managers take.

Two dates, never confused: the page's (its article's date block: published, as stated or
inferred), which APA, Chicago, BibTeX and CSL-JSON's `issued` give; and the section's, which
says when the words were said or the events happened (an interview "during the session", the
group review's 1月9日), given in the text and notes and as CSL-JSON's `event-date`, never as
the date of publication. What is inferred is marked as inferred. The publication is named only
where the source names it; this page calls its paper only 本报 ("this paper"), and the citation
says so rather than guess. Typography (docs/citing.md): the styles people read and BibTeX set
typographic marks, CSL-JSON keeps the data's own.
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


def _parts(iso: object) -> list[int]:
    """[year, month, day] as far as the date gives them, and no further than a part that is not
    one: validation refuses 2024-13, but a citation must never index a month that does not exist."""
    parts = [int(p) for p in re.findall(r"\d+", str(iso))[:3]]
    if len(parts) > 1 and not 1 <= parts[1] <= len(MONTHS):
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def _date_parts(section: dict[str, Any]) -> list[int]:
    """The section's date: when its words were said or its events happened."""
    return _parts(section["date"]["iso"])


def _published(ctx: Context) -> tuple[list[int], bool]:
    """The page's date (its article's), as far as it is given, and whether it is inferred."""
    article = ctx["article"]
    return _parts(article["date"]), bool(article["date_inferred"])


def _en(parts: list[int], inferred: bool) -> str:
    """'January 2024 (inferred)', '9 January 2024 (year inferred)': a day and month that are
    given are read as stated (1月9日), so only the year of a full date is inferred."""
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}" + (" (year inferred)" if inferred else "")
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}" + (" (inferred)" if inferred else "")
    return f"{parts[0]}" + (" (inferred)" if inferred else "")


def date_en(section: dict[str, Any]) -> str:
    """A section's date in words: '9 January 2024 (year inferred)'."""
    return _en(_date_parts(section), section["date"]["inferred"])


def published_en(ctx: Context) -> str:
    """The page's date in words: 'January 2024 (inferred)'."""
    return _en(*_published(ctx))


def _occasion(ctx: Context) -> str:
    """When the cited words were said or the reported events happened, as far as the section
    says: never the page's date. An interview says it was given during the session, or nothing;
    a report dated to the day (1月9日) is the date of its events."""
    section, session = ctx["section"], ctx["article"]["session_en"]
    if section["kind"] == "interview":
        if section["date"].get("stated"):
            return f"Given during the {session}"
        return f"Interview undated, on the page reporting the {session}"
    own, page = _date_parts(section), _published(ctx)[0]
    if len(own) == 3:
        return f"{session}, events of {date_en(section)}"
    return session if own == page else f"{session}, {date_en(section)}"


def _month_day(parts: list[int]) -> list[str]:
    """['January 9'], ['January'] or [] as the date gives them."""
    return [" ".join([MONTHS[parts[1] - 1], *map(str, parts[2:3])])] if len(parts) > 1 else []


def _apa_date(parts: list[int], inferred: bool) -> str:
    """APA's date: '[2024, January]' inferred whole, '[2024], January 9' with only the year
    inferred (a day and month that are given are stated), '2024, January 9' stated."""
    if inferred and len(parts) == 3:
        return f"[{parts[0]}], {_month_day(parts)[0]}"
    shown = ", ".join([str(parts[0]), *_month_day(parts)])
    return f"[{shown}]" if inferred else shown


def _chicago_date(parts: list[int], inferred: bool) -> str:
    """Chicago's date: '[January 2024]' inferred whole, 'January 9, [2024]' with only the
    year inferred, 'January 9, 2024' stated."""
    year = str(parts[0])
    if len(parts) == 3:
        return f"{_month_day(parts)[0]}, " + (f"[{year}]" if inferred else year)
    shown = " ".join([*_month_day(parts), year])
    return f"[{shown}]" if inferred else shown


def _newspaper(ctx: Context, lang: str) -> str:
    """The publication as far as the source names it (straight quotes: the styles set them)."""
    article = ctx["article"]
    if article["publication_en"]:
        return str(article["publication_en"])
    if ctx.get("publication"):  # where the user says the page appeared (--publication)
        return str(ctx["publication"])
    stated = article["publication_stated"]
    if stated and lang != "en":
        return f'newspaper not named (the page calls itself {stated}, "this paper")'
    return 'newspaper not named (the page calls itself only "this paper")'


def _named_paper(ctx: Context) -> bool:
    """Whether the publication is named (by the article, or by the user), not described."""
    return bool(ctx["article"]["publication_en"] or ctx.get("publication"))


def _family_given(pinyin: str) -> tuple[str, str]:
    """Chinese names are family name first: 'Chen Bolin' -> ('Chen', 'Bolin')."""
    family, _, given = pinyin.partition(" ")
    return family, given


def _capital(text: str) -> str:
    """The first letter upper case, where a part opens a sentence."""
    return text[:1].upper() + text[1:]


# -- typography ----------------------------------------------------------------------------------
# The data's English is typed with straight quotes and apostrophes (People's, the "Five New
# Breakthroughs"); its Chinese prints typographic ones (实现“五个新突破”). The styles people read
# (text, APA, Chicago) and BibTeX set every mark typographically, and turn double marks single
# only inside a quotation of their own; CSL-JSON is data and keeps the data's characters.

# After these a straight mark opens a quotation; before these it closes one.
_OPENS_AFTER = frozenset(" \t\n([{<“‘—–/\u3000（【《「『")
_CLOSES_BEFORE = frozenset(" \t\n.,;:!?)]}>…”’—–/\u3000，。；：！？）】》」』、")
_TERMINAL = (".", "!", "?", "…", "。", "！", "？")


def typographic(text: str, inner: bool = False) -> str:
    """Straight quotes and apostrophes to typographic ones (Xi'an -> Xi’an, "x" -> “x”); `inner`
    for words that stand inside a quotation, where double marks turn single and single double."""
    out: list[str] = []
    double_open = False
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == '"':
            if not before or before in _OPENS_AFTER:
                double_open = True
            elif not after or after in _CLOSES_BEFORE:
                double_open = False
            else:  # between two letters, as Chinese has it: the marks alternate
                double_open = not double_open
            out.append("“" if double_open else "”")
        elif ch == "'":
            opens = (not before or before in _OPENS_AFTER) and after.strip() != "" and not after.isdigit()
            out.append("‘" if opens else "’")  # an apostrophe is a closing single mark
        else:
            out.append(ch)
    result = "".join(out)
    return _flip(result) if inner else result


def _flip(text: str) -> str:
    """Double marks to single and single to double, for a quotation within a quotation; an
    apostrophe (’ before a Latin letter, or with no ‘ open) stays what it is."""
    out: list[str] = []
    singles = 0
    for i, ch in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "“":
            out.append("‘")
        elif ch == "”":
            out.append("’")
        elif ch == "‘":
            singles += 1
            out.append("“")
        elif ch == "’" and singles and not (after.isascii() and after.isalpha()):
            singles -= 1
            out.append("”")
        else:
            out.append(ch)
    return "".join(out)


def _mark(part: str, mark: str, american: bool = False) -> str:
    """`part` followed by `mark` (a period or a comma), but none after a part that ends a sentence
    of its own (8.5%. or “Why?”), so never "..". American style (APA, Chicago) sets the mark
    inside a closing quotation mark; lycli's own line sets it where the sense puts it."""
    part = part.rstrip()
    closing = '”"' + ("’" if "‘" in part else "")  # a ’ with no ‘ before it is an apostrophe
    core = part.rstrip(closing)
    if not part or core.endswith(_TERMINAL):
        return part
    if american and core != part:
        return core + mark + part[len(core) :]
    return part + mark


def _end(part: str, american: bool = False) -> str:
    """A part of a citation closed by its period."""
    return _mark(part, ".", american)


def _sentences(*parts: str, american: bool = False) -> str:
    """Parts joined as sentences, each closed by its period; an empty part is left out."""
    return " ".join(_end(p, american) for p in parts if p.strip())


def _title(ctx: Context, lang: str, quoted: bool = False) -> str:
    """The headline as printed, with its translation in brackets; the translation alone in
    lycli's own English line (`text` under --lang en). APA and Chicago keep the original title
    beside the translation in every language, as both styles ask. Only a style that sets the
    title in quotation marks (Chicago) turns the headline's own double marks single."""
    section = ctx["section"]
    en = f"[{typographic(section['headline_en'].strip())}]"
    if lang == "en":
        return en
    zh = typographic(section["headline_zh"].strip(), inner=quoted)
    return f"“{zh}” {en}" if quoted else f"{zh} {en}"


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
    if len(names) == 1:
        return names[0]
    serial = "," if style == "chicago" and len(names) > 2 else ""  # Chicago's serial comma
    return ", ".join(names[:-1]) + f"{serial} and " + names[-1]


def _quoted(ctx: Context, lang: str) -> str:
    """The record's words, and whose they are: what may stand in quotation marks."""
    from liaoyuan_cli.vocab import Voice

    record = ctx["record"]
    voice = Voice(record["voice"])
    speaker = ctx["speaker"]
    whose = voice.en + (f" ({speaker['pinyin']})" if speaker else "")
    english = f"“{typographic(record['en'].strip(), inner=True)}”"
    if lang == "en":
        words = f"Cited words, in translation: {english}"
    else:
        words = f"Cited words: “{typographic(record['quote'].strip(), inner=True)}” — {english}"
    return _sentences(words, f"Voice: {typographic(whose)}")


# -- the styles ----------------------------------------------------------------------------------


def text(ctx: Context, lang: str = "both") -> str:
    """lycli's own line: who wrote it, what, when, where, and the words cited."""
    where = f"{_occasion(ctx)}; {_newspaper(ctx, lang)}, {published_en(ctx)}"
    head = _sentences(
        typographic(_authors(ctx, "text")), _title(ctx, lang), typographic(_about(ctx)), typographic(where)
    )
    return f"{head} {_quoted(ctx, lang)}"


def apa(ctx: Context, lang: str = "both") -> str:
    """APA 7: Author, A. (Year, Month Day). Title [Translation]. [Description]. Publication.
    The date is the page's, never that of the events it reports. APA sets no title in
    quotation marks, so the headline keeps its own."""
    when = _apa_date(*_published(ctx))
    about = f"[{typographic(_about(ctx))}]"
    newspaper = _capital(typographic(_newspaper(ctx, lang)))
    if not _named_paper(ctx):  # a description, not a name: in brackets, as APA sets one
        newspaper = f"[{newspaper}]"
    authors = typographic(_authors(ctx, "apa"))
    if not authors:  # APA: with no author, the title takes the author's place
        return _sentences(_title(ctx, "both"), f"({when})", about, newspaper, american=True)
    return f"{authors} ({when}). " + _sentences(_title(ctx, "both"), about, newspaper, american=True)


def chicago(ctx: Context, lang: str = "both") -> str:
    """Chicago notes-bibliography: Author. "Title" [Translation]. Publication, Month Day, Year:
    the page's date, never that of the events it reports."""
    when = _chicago_date(*_published(ctx))
    newspaper = _capital(typographic(_newspaper(ctx, lang)))
    return _sentences(
        typographic(_authors(ctx, "chicago")),
        _title(ctx, "both", quoted=True),
        typographic(_about(ctx)),
        f"{_mark(newspaper, ',', american=True)} {when}",
        american=True,
    )


# LaTeX's special characters, each escaped in one pass (so the braces of \textbackslash{} stay
# braces), ~ and ^ included: a ~ in a field would otherwise print as a non-breaking space. A
# brace of the text is a command, never \{ or \}: BibTeX counts braces whatever stands before
# them, so one } in a session's name would end its field there and what followed would be read
# as fields or entries of its own. Every brace written is one of a balanced pair.
_BIB_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&",
    "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_BIB_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIB_ESCAPES))


def _bib(text: str) -> str:
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES[m.group()], text)


def _bib_name(part: str) -> str:
    """A part of a name (family or given) in BibTeX's author list, where a comma or the word
    "and" would split it: such a part is braced whole, so that it stays one part of one name."""
    written = _bib(typographic(part))
    return f"{{{written}}}" if re.search(r",|\band\b", part, re.IGNORECASE) else written


def bibtex(ctx: Context) -> str:
    """A @misc entry: BibTeX has no type for a newspaper page whose paper is not named. The entry
    is UTF-8 (its title is Chinese), so its marks are the typographic ones, like the title's."""
    record, section = ctx["record"], ctx["section"]
    parts = _published(ctx)[0]
    authors = " and ".join(
        ", ".join(_bib_name(part) for part in _family_given(p["pinyin"])) for p in ctx["reporters"]
    )
    fields = [("author", authors)] if authors else []
    fields += [
        ("title", "{" + _bib(typographic(section["headline_zh"].strip())) + "}"),
        ("year", str(parts[0])),
    ]
    if len(parts) > 1:
        fields.append(("month", MONTHS[parts[1] - 1][:3].lower()))
    note = _sentences(
        f"English title: {section['headline_en'].strip()}",
        _about(ctx),
        _occasion(ctx),
        _capital(f"{_newspaper(ctx, 'both')}, {published_en(ctx)}"),
    )
    fields += [("howpublished", "Newspaper page"), ("note", _bib(typographic(note))), ("language", "chinese")]
    body = ",\n".join(
        f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields
    )
    return f"@misc{{{record['id']},\n{body}\n}}"


def csl(ctx: Context) -> dict[str, Any]:
    """A CSL-JSON item (citation-style-language/schema, csl-data.json). It is data: its fields keep
    the data's own characters (straight marks in English, as typed), and so does its note."""
    record, section, article = ctx["record"], ctx["section"], ctx["article"]
    family_given = [_family_given(p["pinyin"]) for p in ctx["reporters"]]
    item: dict[str, Any] = {
        "id": record["id"],
        "type": "article-newspaper",
        "title": section["headline_zh"],
        "author": [{"family": f, "given": g} for f, g in family_given],
        "issued": {"date-parts": [_published(ctx)[0]]},
        "genre": "Interview" if section["kind"] == "interview" else "News report",
        "event-title": article["session_en"],
        "language": "zh-CN",
        "note": _sentences(
            f"English title: {section['headline_en'].strip()}",
            _about(ctx),
            _occasion(ctx),
            _capital(f"{_newspaper(ctx, 'both')}, {published_en(ctx)}"),
        ),
    }
    own = _date_parts(section)
    if own != item["issued"]["date-parts"][0]:  # the events' date, where it says more than the page's
        item["event-date"] = {"date-parts": [own]}
    paper = article["publication_zh"] or article["publication_en"] or ctx.get("publication")
    if paper:
        item["container-title"] = paper
    return item


# -- a bibliography ------------------------------------------------------------------------------


def bibliography(
    style: str, contexts: list[Context], lang: str = "both"
) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The citations of several records as one bibliography in `style`, and each record's own
    (its citation and CSL-JSON item), in the order given.

    APA and Chicago cite a section, so the records of one section make one entry; their
    bibliography is in alphabetical order, as both styles list references. lycli's `text` line
    carries each record's words, so each record has its own, in the order asked. BibTeX has an
    entry per record (its key is the record's id), CSL-JSON one array of every item."""
    entries = [render(style, ctx, lang) for ctx in contexts]
    if style == "csl-json":
        text = json.dumps([item for _, item in entries], ensure_ascii=False, indent=2)
    elif style == "bibtex":
        text = "\n\n".join(dict.fromkeys(t for t, _ in entries))
    else:
        unique = list(dict.fromkeys(t for t, _ in entries))
        if style in ("apa", "chicago"):
            unique.sort(key=_alphabetical)
        text = "\n".join(unique)
    return text, entries


def _alphabetical(entry: str) -> str:
    """A reference's place in an alphabetical list: its words, case and opening marks aside."""
    return entry.lstrip("“‘\"'[(").casefold()
