"""Write the publication exports of a few commands to docs/img/ and render each to a PNG with
headless Chromium, so that docs/publishing.md shows what a reader will see.

    .venv/bin/python scripts/render_exports.py                  # every example
    .venv/bin/python scripts/render_exports.py compare-growth   # only those named
    .venv/bin/python scripts/render_exports.py --no-png         # the HTML and SVG files only

Each example writes docs/img/NAME.html and docs/img/NAME.svg through the real CLI (and
NAME.chart.svg, a comparison's --chart), then NAME.svg.png, NAME.html.png and/or
NAME.chart.svg.png (EXAMPLES says which). The PNGs come from a screenshot tool that takes
`FILE OUT.png WIDTHxHEIGHT` (../shared/tools/screenshot next to the repository, or the one
named by --screenshot or $LYCLI_SCREENSHOT); without one, from `chromium` (or
`chromium-browser`, `google-chrome`) on the PATH, run headless. The fonts the PNGs show are
the machine's: install a CJK font (fonts-noto-cjk) first. The SVG's PNG is as large as the
image; the HTML page is shown 1200 px wide, a little taller than its SVG twin (at most 1600 px).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
# name: the command's arguments (the exports are added), and which of its files get a PNG
EXAMPLES: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "compare-growth": (["compare", "growth"], ("svg", "html")),
    "compare-growth-en": (["compare", "growth", "--lang", "en"], ("svg", "chart")),
    "compare-projects-en": (["compare", "projects", "--lang", "en"], ("chart",)),
    "facet-area-en": (["facet", "--by", "area", "--lang", "en"], ("svg",)),
    "targets-gaoxin": (["targets", "gaoxin"], ("svg",)),
    "targets-gaoxin-en": (["targets", "gaoxin", "--lang", "en"], ("html",)),
    "targets-gaoxin-zh": (["targets", "gaoxin", "--lang", "zh"], ("svg",)),
    "summarize": (["summarize"], ("html",)),
    "summarize-gaoxin": (["summarize", "gaoxin"], ("svg",)),
    "summarize-gaoxin-480": (["summarize", "gaoxin", "--width", "480"], ("svg",)),
}
HTML_WIDTH, HTML_MAX_HEIGHT = 1200, 1600


def screenshot_command(chosen: str | None) -> list[str] | None:
    """How to take a screenshot: a tool taking FILE OUT WxH, else headless Chromium (with a
    placeholder for the three), else None."""
    for tool in (
        chosen,
        os.environ.get("LYCLI_SCREENSHOT"),
        str(ROOT.parent / "shared" / "tools" / "screenshot"),
    ):
        if tool and Path(tool).is_file():
            return [tool]
    for name in ("chromium", "chromium-browser", "google-chrome"):
        browser = shutil.which(name)
        if browser:
            return [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    return None


def shoot(tool: list[str], source: Path, png: Path, width: int, height: int) -> None:
    if len(tool) == 1:
        command = [*tool, str(source), str(png), f"{width}x{height}"]
    else:
        command = [*tool, f"--window-size={width},{height}", f"--screenshot={png}", source.as_uri()]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    if not png.is_file() or not png.stat().st_size:
        raise SystemExit(f"no screenshot written: {png}")


def size_of(image: Path) -> tuple[int, int]:
    """An SVG's width and height, from its root element."""
    head = image.read_text(encoding="utf-8")[:1000]
    found = re.search(r'width="(\d+)" height="(\d+)"', head)
    if not found:
        raise SystemExit(f"no size in {image}")
    return int(found.group(1)), int(found.group(2))


def export(name: str, args: list[str], chart: bool = False) -> tuple[Path, Path]:
    """Run lycli with --html and --svg (and --chart) into docs/img/; its table goes nowhere."""
    page, image = OUT / f"{name}.html", OUT / f"{name}.svg"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "LYCLI_DATA": ""}
    drawn = ["--chart", str(OUT / f"{name}.chart.svg")] if chart else []
    done = subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args, "--html", str(page), "--svg", str(image), *drawn],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise SystemExit(f"lycli {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return page, image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help=f"examples to render (default all: {', '.join(EXAMPLES)})")
    parser.add_argument("--no-png", action="store_true", help="write the HTML and SVG files only")
    parser.add_argument("--screenshot", help="a tool taking FILE OUT.png WIDTHxHEIGHT")
    options = parser.parse_args(argv)
    unknown = [n for n in options.names if n not in EXAMPLES]
    if unknown:
        parser.error(f"unknown example(s): {', '.join(unknown)}")
    tool = None if options.no_png else screenshot_command(options.screenshot)
    if tool is None and not options.no_png:
        parser.error("no screenshot tool and no Chromium on the PATH (or pass --no-png)")
    OUT.mkdir(parents=True, exist_ok=True)
    for name in options.names or list(EXAMPLES):
        args, shots = EXAMPLES[name]
        page, image = export(name, args, "chart" in shots)
        written = [page, image]
        if "chart" in shots:
            written.append(image.with_name(f"{name}.chart.svg"))
        if tool is not None and "chart" in shots:
            figure = image.with_name(f"{name}.chart.svg")
            written.append(image.with_name(f"{name}.chart.svg.png"))
            shoot(tool, figure, written[-1], *size_of(figure))
        if tool is not None:
            width, height = size_of(image)
            if "svg" in shots:
                written.append(image.with_name(f"{name}.svg.png"))
                shoot(tool, image, written[-1], width, height)
            if "html" in shots:
                written.append(page.with_name(f"{name}.html.png"))
                shoot(tool, page, written[-1], HTML_WIDTH, min(height + 160, HTML_MAX_HEIGHT))
        print(" ".join(str(p.relative_to(ROOT)) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
