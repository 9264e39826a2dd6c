"""One self-contained report page: the findings (Markdown, rendered), their pictures (SVG)
and the interactive maps (each inside a frame), opened offline from one file.

The Markdown is the same text as report.md, rendered by markdown-it-py with raw HTML
turned off, so a name in a table is text, never markup. Pictures and maps are attached
after the section whose heading starts with a given text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #222; margin: 0; line-height: 1.45; }
main { max-width: 1150px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6em; margin: 0.4em 0 0.2em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.4em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
nav { font-size: 0.9em; background: #f6f6f6; padding: 8px 14px; border-radius: 4px; }
nav ol { margin: 4px 0; padding-left: 20px; columns: 2; }
table { border-collapse: collapse; font-size: 0.88em; margin: 8px 0; display: block;
        overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
figure { margin: 12px 0 20px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.88em; }
iframe { width: 100%; height: 720px; border: 1px solid #ccc;
         border-radius: 4px; }
footer { color: #666; font-size: 0.85em; margin-top: 32px; }
"""


@dataclass(frozen=True)
class Figure:
    """A picture under a section: SVG text (`report_plots`) with a caption."""

    title: str
    caption: str
    svg: str


@dataclass(frozen=True)
class EmbeddedMap:
    """An interactive map page (`maps.render_html`) shown in a frame, with a caption."""

    title: str
    caption: str
    page: str


@dataclass
class ReportPage:
    """The report's parts: its Markdown, and what goes after which section."""

    markdown: str
    attachments: list[tuple[str, Figure | EmbeddedMap]] = field(default_factory=list)
    footer: str = ""

    def attach(self, heading_start: str, item: Figure | EmbeddedMap) -> None:
        """Put `item` after the section whose heading starts with `heading_start`."""
        self.attachments.append((heading_start, item))


def render_report(report: ReportPage) -> str:
    """The complete page: title, contents, sections with their pictures and maps."""
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    sections = re.split(r"(?m)^(?=## )", report.markdown)
    title = sections[0].strip().splitlines()[0].lstrip("# ").strip() if sections else ""
    used: set[int] = set()
    body, contents = [], []
    for number, section in enumerate(sections):
        heading = section.splitlines()[0][3:].strip() if section.startswith("## ") else ""
        anchor = f"s{number}"
        if heading:
            contents.append(f'<li><a href="#{anchor}">{html.escape(heading)}</a></li>')
        rendered = markdown.render(section)
        if heading:
            rendered = rendered.replace("<h2>", f'<h2 id="{anchor}">', 1)
        body.append(rendered)
        for index, (start, item) in enumerate(report.attachments):
            if heading and heading.startswith(start) and index not in used:
                used.add(index)
                body.append(_item(item))
    missing = [start for i, (start, _) in enumerate(report.attachments) if i not in used]
    if missing:  # a picture for a section the text lacks is a bug here, not user input
        raise ValueError(f"no section heading starts with {', '.join(map(repr, missing))}")
    nav = f"<nav><b>Contents</b><ol>{''.join(contents)}</ol></nav>" if contents else ""
    first, *rest = body if body else [""]
    footer = f"<footer>{html.escape(report.footer)}</footer>" if report.footer else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<main>\n{first}{nav}\n{''.join(rest)}{footer}\n</main>\n</body>\n</html>\n")


def markdown_table(frame) -> list[str]:
    """A DataFrame as Markdown table lines: floats to three decimals (small ones in
    scientific notation), a '|' inside a value escaped rather than a new column."""
    def cell(value: object) -> str:
        if isinstance(value, float):
            value = f"{value:.1e}" if 0 < abs(value) < 0.001 else f"{value:.3f}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(map(cell, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    return [head, rule] + ["| " + " | ".join(map(cell, row)) + " |"
                           for row in frame.itertuples(index=False)]


def _item(item: Figure | EmbeddedMap) -> str:
    if isinstance(item, Figure):
        return (f"<figure><h3>{html.escape(item.title)}</h3>{item.svg}"
                f"<figcaption>{html.escape(item.caption)}</figcaption></figure>\n")
    # srcdoc holds the whole map page, escaped as an attribute: it runs in its own frame
    # as it does from its own file, offline.
    return (f"<figure class=\"map\"><h3>{html.escape(item.title)}</h3>"
            f"<iframe title=\"{html.escape(item.title)}\" "
            f"srcdoc=\"{html.escape(item.page, quote=True)}\"></iframe>"
            f"<figcaption>{html.escape(item.caption)}</figcaption></figure>\n")
