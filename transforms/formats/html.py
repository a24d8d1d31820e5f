"""Saved web pages: the main text (trafilatura, without navigation, footers, ICP numbers) with its tables as tables.

trafilatura's XML output keeps the main content's paragraphs, headings and tables in reading order; a table's cells
come as `<row><cell>`, a cell spanning columns is followed by empty cells (filled in as headings by
`transforms.tables`).
"""

from __future__ import annotations

import trafilatura
from lxml import etree

from transforms.formats.blocks import Block
from transforms.formats.errors import FormatError

_TEXT_TAGS = frozenset({"p", "head", "item", "quote", "code", "lb"})


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _walk(element: etree._Element, blocks: list[Block]) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table":
            rows = [[_text(cell) for cell in row if cell.tag == "cell"] for row in child if row.tag == "row"]
            rows = [r for r in rows if r]
            if rows and max(len(r) for r in rows) == 1:  # a one-column layout table holds paragraphs
                blocks.extend(Block("paragraph", r[0]) for r in rows if r[0])
            elif rows:
                width = max(len(r) for r in rows)
                heads = 0
                for row in child:
                    if row.tag == "row" and any(c.get("role") == "head" for c in row):
                        heads += 1
                    else:
                        break
                blocks.append(
                    Block(
                        "table", rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), header_rows=heads or None
                    )
                )
        elif tag in ("list",):
            _walk(child, blocks)
        elif tag in _TEXT_TAGS or tag == "":
            text = _text(child)
            if text:
                blocks.append(Block("heading" if tag == "head" else "paragraph", text))
        else:
            _walk(child, blocks)


def html_blocks(html: str) -> list[Block]:
    """The main content of a web page as blocks; raises FormatError (`html_no_text`) when it has none."""
    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=True, favor_precision=True
    )
    blocks: list[Block] = []
    if xml:
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        _walk(main if main is not None else root, blocks)
    if not blocks:
        raise FormatError("html_no_text", "web page has no main text that could be extracted")
    return blocks
