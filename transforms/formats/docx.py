"""Word `.docx` files: headings, paragraphs and tables in reading order (python-docx).

A merged cell is repeated in every grid position it covers (python-docx returns the same cell there), so a heading
merged over two columns heads both. A table nested in a cell is read as that cell's text.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import ParseError

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from transforms.formats.blocks import Block
from transforms.formats.errors import FormatError


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style.name if paragraph.style is not None else ""
    return style.startswith(("Heading", "Title")) or style in ("标题", "Subtitle")


def _header_rows(table: Table) -> int | None:
    """How many leading rows Word marks as repeated heading rows (`w:tblHeader`), or None when none is marked."""
    count = 0
    for row in table.rows:
        pr = row._tr.trPr
        if pr is None or not pr.xpath("./w:tblHeader"):
            break
        count += 1
    return count or None


def _table_block(table: Table) -> Block:
    rows = tuple(tuple(cell.text for cell in row.cells) for row in table.rows)
    return Block("table", rows=rows, header_rows=_header_rows(table))


# The largest uncompressed main part read: its XML is parsed whole (python-docx), and a small package can unpack to
# gigabytes (a ZIP bomb). A 500-page report's document.xml is some tens of megabytes.
MAX_XML_BYTES = 200 * 1024 * 1024


def _check_unpacked_size(raw: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist() if info.filename.startswith("word/"))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FormatError("damaged", f"Word document cannot be opened, it is damaged or incomplete ({exc})") from None
    if unpacked > limit:
        raise FormatError(
            "too_large", f"Word document unpacks to {unpacked} bytes of XML, over the limit of {limit}: not read"
        )


def docx_blocks(raw: bytes, max_xml_bytes: int = MAX_XML_BYTES) -> list[Block]:
    """The blocks of a Word document in reading order; raises FormatError (`damaged`) when it cannot be opened and
    (`too_large`) when its XML unpacks to more than `max_xml_bytes`."""
    _check_unpacked_size(raw, max_xml_bytes)
    try:
        document: WordDocument = docx.Document(io.BytesIO(raw))
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                if item.text.strip():
                    blocks.append(Block("heading" if _is_heading(item) else "paragraph", item.text))
            else:
                blocks.append(_table_block(item))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ParseError, ValueError) as exc:
        raise FormatError("damaged", f"Word document cannot be opened, it is damaged or incomplete ({exc})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and other damage inside the package
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise FormatError("damaged", f"Word document is damaged ({exc})") from None
        raise
    return blocks
