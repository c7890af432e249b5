"""The command table: every command declared once, with its options, query, results and examples.

The Typer app (cli.py), the fast path (launch.py), TAB completion (complete.py), the Python
API (api.py) and docs/usage.md are all read off this table, and every call into a query is by
keyword, so the order of a command's options is only the order `--help` lists them in. The
table is plain data (stdlib only): the fast path reads it on every call. docs/architecture.md
shows how a command is added.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from liaoyuan_cli.vocab import Term

# How a value is read from the command line (convert() below): text as typed; a path kept as the
# bytes given; a whole number; a flag; a switch (--has-figures/--no-figures, else None); a word
# of a closed vocabulary, in any case.
KINDS = ("text", "path", "int", "flag", "switch", "choice")


class Param:
    """One option or positional argument: its flags (none for a positional), what it takes, and
    what TAB offers for it (`complete`, a kind of complete.values)."""

    __slots__ = (
        "complete",
        "default",
        "flags",
        "help",
        "into",
        "kind",
        "metavar",
        "multiple",
        "name",
        "negative",
        "required",
        "vocabulary",
    )

    def __init__(
        self,
        name: str,
        *flags: str,
        help: str,
        kind: str = "text",
        metavar: str = "",
        default: object = None,
        multiple: bool = False,
        required: bool = False,
        complete: str | None = None,
        vocabulary: str | None = None,
        negative: str | None = None,
        into: str | None = None,
    ) -> None:
        assert kind in KINDS, kind
        self.name, self.flags, self.help, self.kind = name, flags, help, kind
        self.metavar = metavar or name.upper()
        self.default = [] if multiple and default is None else default
        self.multiple, self.required, self.complete = multiple, required, complete
        self.vocabulary = vocabulary  # a class of vocab.py, for kind "choice"
        self.negative = negative  # a switch's other flag: --no-figures
        self.into = into  # a shorthand: its value goes first into this list (AREA into --area's)

    @property
    def positional(self) -> bool:
        return not self.flags

    def with_help(self, help: str, **changes: object) -> Param:
        """The same parameter explained for another command."""
        kwargs: dict[str, object] = {
            "help": help,
            "kind": self.kind,
            "metavar": self.metavar,
            "default": self.default,
            "multiple": self.multiple,
            "required": self.required,
            "complete": self.complete,
            "vocabulary": self.vocabulary,
            "negative": self.negative,
            "into": self.into,
        }
        kwargs.update(changes)
        return Param(self.name, *self.flags, **kwargs)  # type: ignore[arg-type]


class Command:
    """A command: what it is for, its parameters, the query that answers it (queries.QUERY,
    called by keyword) or the runner that does it (run.RUNNER), the result kinds it answers
    with (results.ROWS and render/table.BUILDERS are keyed by them) and its examples."""

    __slots__ = ("answers", "examples", "help", "name", "output", "params", "query", "runner", "takes")

    def __init__(
        self,
        name: str,
        help: str,
        params: tuple[Param, ...] = (),
        *,
        query: str | None = None,
        runner: str | None = None,
        answers: tuple[str, ...] = (),
        output: tuple[Param, ...] = (),
        takes: tuple[str, ...] = (),
        examples: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.name, self.help, self.params, self.output = name, help, params, output
        self.query, self.runner = query, runner
        self.takes = takes  # output options the query reads too (cite's --lang)
        self.answers = answers or (name,)
        self.examples = examples

    @property
    def summary(self) -> str:
        return self.help.split("\n", 1)[0]

    def every(self) -> tuple[Param, ...]:
        return (*self.params, *self.output)


# -- the parameters several commands share -----------------------------------------------------

AREA = Param(
    "area",
    help="Area: slug, Chinese or English name, or pinyin (gaoxin, 高新区, dongfeng); all for every "
    "area; several one after the other (gaoxin xian), as -a gaoxin -a xian.",
    metavar="AREA",
    multiple=True,
    complete="area",
    into="areas",
)
AREAS = Param(
    "areas",
    "--area",
    "-a",
    help="An area (repeatable); all areas if none.",
    metavar="AREA",
    multiple=True,
    complete="area",
)
ARTICLE = Param(
    "article",
    "--article",
    help="An article's id, all, or latest (lycli areas shows which articles speak of each area).",
    metavar="ID",
    complete="article",
)
KIND = Param(
    "kind",
    "--kind",
    help="Kind of record: result, target, plan, view or event; pledge is target and plan.",
    metavar="KIND",
    complete="kind",
)
CATEGORY = Param(
    "category",
    "--category",
    help="Category (lycli facet --by category counts them).",
    metavar="CATEGORY",
    kind="choice",
    vocabulary="Category",
    complete="category",
)
THEME = Param(
    "theme", "--theme", help="A theme's id (lycli themes lists them).", metavar="THEME", complete="theme"
)
YEAR = Param(
    "year", "--year", help="Only this year (of the record, or of the figure).", metavar="YEAR", kind="int"
)
ENTITY = Param(
    "entity",
    "--entity",
    help="Records naming this entity (an id or any of its names).",
    metavar="ENTITY",
    complete="entity",
)
METRIC = Param(
    "metric", "--metric", help="Records with a figure of this metric.", metavar="METRIC", complete="metric"
)
HAS_FIGURES = Param(
    "has_figures",
    "--has-figures",
    help="Only records with (or without) typed figures.",
    kind="switch",
    negative="--no-figures",
)
VOICE = Param(
    "voice",
    "--voice",
    help="Whose words: direct (the speaker's own, in quotation marks), indirect, narration or document.",
    metavar="VOICE",
    kind="choice",
    vocabulary="Voice",
    complete="voice",
)
SPEAKERS = Param(
    "speakers",
    "--speaker",
    help="Records in this person's words (repeatable): an id or a name (qiu-jingrui, 仇景锐, Qiu Jingrui).",
    metavar="PERSON",
    multiple=True,
    complete="speaker",
)
AS_OF = Param(
    "as_of",
    "--as-of",
    help="Answer as the knowledge base stood then: only articles dated by YYYY, YYYY-MM or YYYY-MM-DD "
    "(a year or month means its end).",
    metavar="DATE",
)
DRAFTS = Param(
    "drafts",
    "--drafts",
    help="Also read draft articles (lycli draft: items still to review); --article ID reads one.",
    kind="flag",
    default=False,
)
RECORD_ID = Param(
    "record_id", help="A record id, e.g. gaoxin-2023-gdp.", metavar="ID", required=True, complete="record"
)
RECORD_IDS = Param(
    "record_id",
    help="Record ids, e.g. gaoxin-2023-gdp gaoxin-2024-key-projects (or --area, --article for a set).",
    metavar="ID",
    multiple=True,
    complete="record",
)

# The output options: every query command takes them; run.Output reads them.
DATA = Param(
    "data",
    "--data",
    help="Knowledge base directory laid out like data/ (default: $LYCLI_DATA, else the bundled one).",
    metavar="DIR",
    kind="path",
)
JSON = Param("json_", "--json", help="JSON on stdout (same as --format json).", kind="flag", default=False)
FORMAT = Param(
    "fmt",
    "--format",
    "-f",
    help="Output format: table, json, jsonl, csv, tsv or markdown.",
    metavar="FORMAT",
    kind="choice",
    vocabulary="Format",
    default="table",
    complete="format",
)
FIELDS = Param(
    "fields",
    "--fields",
    help="Comma-separated fields: the columns of each row (machine formats), or of the table, "
    "--html and --svg (ids can be left out).",
    metavar="FIELDS",
)
LANG = Param(
    "lang",
    "--lang",
    help="Language of tables and citations: zh, en or both.",
    metavar="LANG",
    kind="choice",
    vocabulary="Lang",
    default="both",
    complete="lang",
)
NO_COLOR = Param(
    "no_color", "--no-color", help="No colour (NO_COLOR is respected too).", kind="flag", default=False
)
SVG = Param(
    "svg", "--svg", help="Also save the tables as an SVG image for publication.", metavar="FILE", kind="path"
)
HTML = Param(
    "html", "--html", help="Also save the tables as a self-contained HTML page.", metavar="FILE", kind="path"
)
WIDTH = Param(
    "width", "--width", help="Width of the --svg image in pixels (default 960).", metavar="PX", kind="int"
)
PUBLICATION = Param(
    "publication",
    "--publication",
    help='Where the page appeared, in your words ("Liaoyuan Daily"), for citations and the source '
    "line of --html/--svg, where the article does not name its paper.",
    metavar="NAME",
)
CHART = Param(
    "chart",
    "--chart",
    help="Also save the comparison as an SVG bar chart: bars exactly proportional, areas by name.",
    metavar="FILE",
    kind="path",
)
RAW = Param(
    "raw",
    "--raw",
    help="CSV/TSV cells exactly as stored: no apostrophe before a leading = + - @.",
    kind="flag",
    default=False,
)
FORCE = Param(
    "force", "--force", help="Replace an existing --svg or --html file.", kind="flag", default=False
)
OUTPUT = (DATA, JSON, FORMAT, FIELDS, LANG, NO_COLOR, SVG, HTML, WIDTH, PUBLICATION, RAW, FORCE)
LISTING = (
    AREAS,
    ARTICLE,
    KIND,
    CATEGORY,
    THEME,
    YEAR,
    ENTITY,
    METRIC,
    HAS_FIGURES,
    VOICE,
    SPEAKERS,
    AS_OF,
    DRAFTS,
)
CORPUS = (AS_OF, DRAFTS)


# -- the commands -------------------------------------------------------------------------------

TABLE: tuple[Command, ...] = (
    Command(
        "areas",
        "The areas and the city: names, officials, counts.\n\n"
        "Each with its names in Chinese, English and pinyin, its official, the articles that speak "
        "of it and how many records of each kind it has.",
        query="areas",
        output=OUTPUT,
        examples=(
            ("areas", "The areas, their officials, the articles that speak of them and how much each said."),
        ),
    ),
    Command(
        "targets",
        "An area's targets and plans, with their figures.\n\n"
        'AREA is a slug, a Chinese or English name or pinyin: gaoxin, 高新区, "High-tech Zone"; '
        "all (or none) for every area. From the newest article that speaks of the area, unless "
        "--article says otherwise.",
        (AREA, AREAS, KIND, CATEGORY, YEAR, ARTICLE, THEME, VOICE, SPEAKERS, *CORPUS),
        query="targets",
        answers=("targets",),
        output=OUTPUT,
        examples=(
            ("targets gaoxin", "The main job: an area's targets and plans, each with its figures."),
            ("targets gaoxin --lang en", "The same for an English reader."),
        ),
    ),
    Command(
        "records",
        "Every record, of every area and article; filters combine.",
        LISTING,
        query="records",
        output=OUTPUT,
        examples=(
            (
                "records --theme new-energy --lang en",
                "Any question across the city: records filtered any way.",
            ),
            ("records -a gaoxin -a xian --kind target --has-figures", "Filters combine."),
        ),
    ),
    Command(
        "metrics",
        "Every typed figure of an area: results, targets, sizes.",
        (AREA, AREAS, KIND, CATEGORY, YEAR, ARTICLE, VOICE, SPEAKERS, *CORPUS),
        query="metrics",
        output=OUTPUT,
        examples=(("metrics gaoxin --year 2023", "Every typed figure of an area (here the 2023 results)."),),
    ),
    Command(
        "figures",
        "Every typed figure, one flat row each (long format).\n\n"
        "The long format for pandas, R and spreadsheets: each row has the value as printed, its "
        "unit, and the value in base units (yuan, count, percent) beside them; thresholds in "
        "columns of their own.",
        (AREAS, ARTICLE, KIND, CATEGORY, THEME, YEAR, ENTITY, METRIC, VOICE, SPEAKERS, *CORPUS),
        query="figures",
        output=OUTPUT,
        examples=(
            (
                "figures --metric gdp-growth --format csv --fields area,record,value,unit,year,role",
                "Figures in long format, as pandas and R take them.",
            ),
        ),
    ),
    Command(
        "compare",
        "One topic across the areas: a row per metric, by area.\n\n"
        "Each cell holds the area's figures of the metric with their year and role, or the standing "
        "the page states (led the city). Figures compare only within a series: the same "
        "metric, year, role (result, target or a size), size threshold and stage; ● marks those "
        "that compare, ◐ those that compare with care, and the legend says why. --chart FILE "
        "draws the comparison as bars; --json keeps the series and each cell's record and article. "
        "Without a TOPIC, the topics are listed.",
        (
            Param(
                "topic",
                help="A topic (growth, gdp, investment, …); none lists them.",
                metavar="TOPIC",
                complete="topic",
            ),
            ARTICLE,
            *CORPUS,
        ),
        query="compare",
        answers=("compare", "topics"),
        output=(*OUTPUT, CHART),
        examples=(
            (
                "compare growth --lang en",
                "One topic across the areas: a row per metric, a column per area, the standings the "
                "page states among them (--chart FILE draws it as bars, docs/publishing.md).",
            ),
            ("compare", "The topics `compare` knows."),
        ),
    ),
    Command(
        "search",
        "Search records, entities and frameworks (zh, en, pinyin).\n\n"
        'Best first, the match highlighted. Pinyin with or without tones or spaces: tianying, "Tian '
        'Ying", tiānyíng; English inside compound words (ethanol finds bioethanol).',
        (
            Param(
                "query",
                help="Chinese, English or pinyin (天楹, tianying, 'Tian Ying', meihualu).",
                metavar="QUERY",
                required=True,
            ),
            AREAS.with_help("Only this area (repeatable)."),
            KIND,
            CATEGORY,
            Param(
                "limit", "--limit", "-n", help="At most this many hits.", metavar="N", kind="int", default=20
            ),
            ARTICLE,
            THEME.with_help("Also every record of this theme (widens the answer)."),
            VOICE.with_help("Only records in these words: direct, indirect, narration or document."),
            SPEAKERS,
            *CORPUS,
        ),
        query="search",
        output=OUTPUT,
        examples=(
            ("search 天楹", "Chinese, English or pinyin find the same records."),
            ("search ethanol", "English inside compound words."),
        ),
    ),
    Command(
        "entities",
        "Companies, projects, parks, programmes; or one's mentions.",
        (
            Param(
                "name",
                help="An entity's id or name (天楹, tianying); none lists all.",
                metavar="NAME",
                complete="entity",
            ),
            Param(
                "kind",
                "--kind",
                help="Kind of entity: company, project, park, programme, place, event, organisation, "
                "product, document or region.",
                metavar="KIND",
                kind="choice",
                vocabulary="EntityKind",
                complete="entity-kind",
            ),
        ),
        query="entities",
        answers=("entities", "entity"),
        output=OUTPUT,
        examples=(("entities china-tianying", "One entity and every record that names it."),),
    ),
    Command(
        "show",
        "One record in full: quote, speaker, place, citation.\n\n"
        "Its quote and the reading of any misprint in it, whose words it carries, its section and "
        "date in the article, its figures and entities, and how to cite it.",
        (RECORD_ID, AS_OF),
        query="show",
        output=OUTPUT,
        takes=("publication",),
        examples=(("show gaoxin-2023-gdp", "One record in full: quote, whose words, citation."),),
    ),
    Command(
        "cite",
        "Citations of records: text, APA, Chicago, BibTeX or CSL-JSON.\n\n"
        "One bibliography of the records named, or of every record of --area or --article; "
        "--publication names where the page appeared, where the article does not.",
        (
            RECORD_IDS,
            Param(
                "style",
                "--style",
                help="text, apa, chicago, bibtex or csl-json.",
                metavar="STYLE",
                kind="choice",
                vocabulary="Style",
                default="text",
                complete="style",
            ),
            AREAS.with_help("Cite every record of this area (repeatable)."),
            ARTICLE.with_help("Cite every record of this article (all: of every article)."),
        ),
        query="cite",
        output=OUTPUT,
        takes=("lang", "publication"),
        examples=(
            ("cite gaoxin-2023-gdp --style apa", "A citation in a style a reference manager takes."),
            (
                "cite gaoxin-2023-gdp dongfeng-2023-growth-leads-city --style chicago "
                '--publication "Liaoyuan Daily"',
                "Several records in one bibliography, naming the paper.",
            ),
        ),
    ),
    Command(
        "summarize",
        "An area at a glance, or the whole city.\n\n"
        "Several areas (summarize gaoxin xian, or -a gaoxin -a xian) are summarized one after the "
        "other; none summarizes the city.",
        (AREA.with_help("An area; none summarizes the city."), AREAS, ARTICLE, *CORPUS),
        query="summarize",
        answers=("summarize", "summarize-city", "summarize-areas"),
        output=OUTPUT,
        examples=(
            ("summarize xian", "An area at a glance."),
            ("summarize", "The city at a glance."),
        ),
    ),
    Command(
        "themes",
        "The themes across areas, with their rule and record counts.",
        query="themes",
        output=OUTPUT,
        examples=(("themes", "Themes across areas, with the rule that decides each."),),
    ),
    Command(
        "facet",
        "Counts of records or figures by any fields.\n\n"
        "--by area,category --kind target: targets per category per area; --of figures counts figures.",
        (
            Param(
                "by",
                "--by",
                help="Comma-separated: area, article, kind, category, theme, year, voice, speaker, entity, "
                "metric, role, unit, verdict.",
                metavar="FIELDS",
                default="area",
                complete="facet",
            ),
            Param(
                "of",
                "--of",
                help="Count records or figures.",
                metavar="WHAT",
                kind="choice",
                vocabulary="Counted",
                default="records",
                complete="of",
            ),
            *LISTING,
        ),
        query="facet",
        output=OUTPUT,
        examples=(
            (
                "facet --by area,category -a gaoxin -a xian",
                "Counts by any fields: records, and the pledges among them, per category per area.",
            ),
        ),
    ),
    Command(
        "projects",
        "Projects, parks and works: companies, amounts, stages.\n\n"
        "Each project, park and programme of works with the companies behind it, its park, the areas "
        "naming it, its amounts (amount_yuan: the largest, in yuan, to sort on), the totals it is "
        "part of (the 265亿元 of the High-tech Zone's 34 key projects) and the stages the article "
        "gives it; --entity names one, or a company, park or project it is linked to. Where several "
        "areas name what may be one project, the table says so: do not add up.",
        (
            AREAS,
            ARTICLE,
            ENTITY.with_help("A project, or the company, park or project it is linked to (an id or a name)."),
            Param(
                "entity_kind",
                "--kind",
                help="Only projects, parks or programmes (of works).",
                metavar="KIND",
                kind="choice",
                vocabulary="EntityKind",
                complete="project-kind",
            ),
            Param(
                "sort",
                "--sort",
                help="article (as the articles name them, the default) or amount (the largest first).",
                metavar="ORDER",
                kind="choice",
                vocabulary="ProjectOrder",
                default="article",
                complete="project-order",
            ),
            VOICE.with_help("Only what is named in these words: direct, indirect, narration or document."),
            SPEAKERS.with_help("Only what this person names (repeatable): an id or a name."),
            *CORPUS,
        ),
        query="projects",
        output=OUTPUT,
        examples=(
            (
                "projects --sort amount --lang en",
                "Projects, parks and works, the largest amount first; where amounts must not be added.",
            ),
            (
                "projects --format csv --fields id,kind,amount_yuan,areas",
                "One row a project, one value a cell (a list field gives one row per value).",
            ),
        ),
    ),
    Command(
        "track",
        "What became of each target and plan: verdicts.\n\n"
        "Each with its verdict, target against actual, and the evidence. Verdicts are computed "
        "where a later result has the same series as the target, recorded by a person otherwise, "
        'and "not yet assessed" until a later article speaks.',
        (
            AREA,
            AREAS,
            ARTICLE,
            CATEGORY,
            THEME,
            Param(
                "verdict",
                "--verdict",
                help="Only this verdict: met, partly_met, not_met, in_progress, dropped or not_assessed.",
                metavar="VERDICT",
                kind="choice",
                vocabulary="Verdict",
                complete="verdict",
            ),
            KIND.with_help("Only targets or only plans: target, plan or pledge (both, the default)."),
            *CORPUS,
            VOICE,
            SPEAKERS,
        ),
        query="track",
        output=OUTPUT,
        examples=(("track gaoxin --kind target --lang en", "What became of each pledge."),),
    ),
    Command(
        "export",
        "The knowledge base as SQLite, or as CSV files.\n\n"
        "A SQLite database, or CSV files described by a datapackage.json (Frictionless). The "
        "database has keys, full-text search over Chinese, English and pinyin, and views for common "
        "questions; datasette serves it as it is (docs/export.md).",
        (
            Param(
                "path",
                help="A file (sqlite) or a directory (csv) to write.",
                metavar="PATH",
                kind="path",
                required=True,
            ),
            Param(
                "fmt",
                "--format",
                "-f",
                help="sqlite or csv.",
                metavar="sqlite|csv",
                kind="choice",
                vocabulary="ExportFormat",
                default="sqlite",
                complete="export",
            ),
            Param("force", "--force", help="Replace a previous export at PATH.", kind="flag", default=False),
        ),
        runner="export",
        output=(
            DATA,
            JSON.with_help("What was written, as JSON on stdout (the tables and their rows)."),
            NO_COLOR,
        ),
        examples=(("export kb.db", "The whole knowledge base as SQLite, for datasette."),),
    ),
    Command(
        "validate",
        "Check a knowledge base and report every problem.\n\n"
        "Each problem names its file and line, or its record and field. Exit code 3 if any.",
        (
            Param(
                "directory",
                help="Knowledge base to check (default: --data, $LYCLI_DATA or the bundled one).",
                metavar="DIR",
                kind="path",
            ),
            Param(
                "review",
                "--review",
                help="Also list what a person must still review in drafts (lycli draft), with file and line.",
                kind="flag",
                default=False,
            ),
        ),
        runner="validate",
        output=(DATA, JSON, FORMAT, NO_COLOR),
        examples=(("validate", "Check the knowledge base."),),
    ),
    Command(
        "draft",
        "Draft a new page into a knowledge base for review.\n\n"
        "Reads the page's text and writes a new article: its sections, speakers and records, each "
        "with a verbatim quote and its figures typed (value, unit, year, role, comparator, intent, "
        "threshold), kinds, categories, metrics and entities guessed with their reasons. What only a "
        "person can do (the English, a guess the tool was unsure of, a proposed entity) is marked for "
        "review (lycli validate --review lists it); until none is open the article is a draft, left "
        "out of default answers (--drafts or --article ID brings it in). Writes into --data DIR or "
        "$LYCLI_DATA, never the installed package's own knowledge base.",
        (
            Param(
                "page",
                help="The page's text (UTF-8), kept byte for byte as the article's source.txt.",
                metavar="PAGE",
                kind="path",
                required=True,
            ),
            Param("article", "--article", help="The new article's id, e.g. session-2025.", metavar="ID"),
            Param("date", "--date", help="The page's date: YYYY-MM or YYYY-MM-DD.", metavar="DATE"),
            Param(
                "force",
                "--force",
                help="Replace an article of that id (a draft being redone).",
                kind="flag",
                default=False,
            ),
        ),
        runner="draft",
        output=(DATA, JSON.with_help("What was written, as JSON on stdout."), NO_COLOR),
        examples=(
            (
                "draft page-2025.txt --article session-2025 --date 2025-01 --data data",
                "A new page drafted into the checkout's data/, then lycli validate --review.",
            ),
        ),
    ),
    Command(
        "completion",
        "Print the TAB completion script for a shell.\n\n"
        "Load it from the shell's start-up file, or write it where the shell looks for completions; "
        "lycli --install-completion does the first for the shell it runs in.",
        (
            Param(
                "shell",
                help="bash, zsh, fish, powershell or pwsh.",
                metavar="SHELL",
                kind="choice",
                vocabulary="Shell",
                required=True,
                complete="shell",
            ),
        ),
        runner="completion",
        examples=(
            ("completion bash >> ~/.bashrc", "TAB completion in every new bash (likewise zsh, fish)."),
            ("completion fish > ~/.config/fish/completions/lycli.fish", "Where fish looks for it."),
        ),
    ),
    Command(
        "schema",
        "The JSON Schema of a command's --json output.",
        (
            Param(
                "command",
                help="A command whose JSON output to describe (targets, search, …).",
                metavar="COMMAND",
                required=True,
                complete="command",
            ),
        ),
        runner="schema",
        examples=(("schema targets", "What `lycli targets --json` promises."),),
    ),
)

BY_NAME = {command.name: command for command in TABLE}


# -- reading a value --------------------------------------------------------------------------


def convert(param: Param, value: object) -> object:
    """A value as the command takes it, from the command line's text or an API caller's value;
    a UsageError (with the valid values to hand) where it is none."""
    from liaoyuan_cli.errors import UsageError

    if value is None:
        return value
    if param.kind in ("flag", "switch"):
        if not isinstance(value, bool):  # an API caller's "no" is no False
            raise UsageError(f"{_named(param)}: {value!r} is not True or False")
        return value
    if param.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 4000:
            raise UsageError(f"{_named(param)}: {value!r} is not a whole number")
        return int(text)
    if isinstance(value, list | tuple) and param.kind == "text" and all(isinstance(v, str) for v in value):
        value = ",".join(value)  # an API caller's list of what the command line separates by commas
    if not isinstance(value, str):
        raise UsageError(f"{_named(param)}: {value!r} is not text")
    if param.kind == "choice":
        assert param.vocabulary is not None
        found = vocabulary(param.vocabulary).parse(value)
        if found is None:
            from liaoyuan_cli.errors import suggest

            raise suggest(value, [str(v) for v in vocabulary(param.vocabulary)], _named(param).lstrip("-"))
        return found.value
    if param.kind == "text":
        return _text(value)
    return value  # a path: kept as the bytes given (os functions read a str with surrogates back)


def _text(value: str) -> str:
    """Text that was not valid in the locale's encoding, read as UTF-8; any other surrogate (an
    API caller's "\ud800", which no text may hold) as U+FFFD."""
    if not any("\ud800" <= ch <= "\udfff" for ch in value):
        return value
    import os

    if any("\udc80" <= ch <= "\udcff" for ch in value):
        try:  # noqa: SIM105 - contextlib is not imported on the warm path
            value = os.fsencode(value).decode("utf-8", "replace")
        except UnicodeError:
            pass
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def _named(param: Param) -> str:
    return param.flags[0] if param.flags else param.metavar


def vocabulary(name: str) -> type[Term]:
    """A closed vocabulary by its class name in vocab.py (imported only when a choice is read)."""
    from liaoyuan_cli import vocab

    found: type[Term] = getattr(vocab, name)
    return found


def values(command: Command, given: dict[str, object]) -> dict[str, object]:
    """Every parameter's value, in declaration order: converted where given, else its default.
    The Typer app and the fast path both call this, so both read a value the same way."""
    from liaoyuan_cli.errors import UsageError

    out: dict[str, object] = {}
    for param in command.every():
        raw = given.get(param.name)
        if param.multiple:
            # The command line gives a list of text; an API caller one text, or a list of them.
            if raw is not None and not isinstance(raw, str | list | tuple):
                raise UsageError(f"{_named(param)}: {raw!r} is not text or a list of text")
            listed = [raw] if isinstance(raw, str) else list(raw or [])
            if any(v is None for v in listed):
                raise UsageError(f"{_named(param)}: {listed!r} holds None, not text")
            out[param.name] = [convert(param, v) for v in listed]
        elif raw is None:
            if param.required:  # only an API caller can leave it out: the command line asks for it
                raise UsageError(f"missing {_named(param)}", hint=param.help)
            out[param.name] = param.default
        else:
            out[param.name] = convert(param, raw)
    for param in command.every():
        if param.into is not None:
            value = out.pop(param.name)
            given_first = value if isinstance(value, list) else [] if value is None else [value]
            out[param.into] = [*given_first, *(out.get(param.into) or [])]  # type: ignore[misc]
    return out
