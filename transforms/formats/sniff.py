"""The kind of a report file, decided from its bytes, not its name.

A name can lie (a saved web page called `报告.txt`, a PDF whose bytes are all ASCII, a Word file without its
`.docx`), so the content decides: the `%PDF-` signature, a ZIP package holding `word/document.xml`, the opening of
an HTML document (after an optional byte-order mark, blank lines, an XML declaration or comments such as the
`<!-- saved from url=… -->` a browser writes), else text. The file name only breaks a tie for markup that could be
either (an `.html` file that opens with a bare `<p>`).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

PDF = "pdf"
DOCX = "docx"
HTML = "html"
TEXT = "text"
OTHER_ZIP = "zip"
OLD_WORD = "doc"  # any OLE compound file: legacy .doc, .xls, .wps

MEDIA_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HTML: "text/html",
    TEXT: "text/plain",
}

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"})
# What may precede the first tag of a web page: byte-order marks (UTF-8, UTF-16 LE/BE), whitespace, an XML
# declaration and comments (a browser's `<!-- saved from url=(0042)http://… -->`).
_PREAMBLE = re.compile(rb"(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.DOTALL)
_HTML_TAG = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<meta\s|<body[\s>]|<title[\s>]", re.IGNORECASE)
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=", re.IGNORECASE)
# The PDF header may follow a little junk (the specification allows it within the first 1024 bytes).
_PDF_WINDOW = 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a legacy Word .doc (OLE compound file)


def _ascii_head(raw: bytes, limit: int = 4096) -> bytes:
    """The first bytes with any BOM dropped and UTF-16 folded to one byte per character (for matching tags)."""
    head = raw[: limit * 2]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 3 and (head[1] == 0 or head[0] == 0)):
        body = head[2:] if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
        le = head.startswith(b"\xff\xfe") or (not head.startswith(b"\xfe\xff") and len(body) > 1 and body[1] == 0)
        head = body[0::2] if le else body[1::2]
    return head.removeprefix(b"\xef\xbb\xbf")[:limit]


def looks_like_html(raw: bytes) -> bool:
    """True when the bytes open like a web page (see the module docstring for what may come before the tag)."""
    head = _ascii_head(raw)
    if _SAVED_FROM.match(head.lstrip()):
        return True
    return bool(_HTML_TAG.match(head, _PREAMBLE.match(head).end()))  # type: ignore[union-attr]


def sniff(path: Path, raw: bytes) -> str:
    """The kind of a file: :data:`PDF`, :data:`DOCX`, :data:`HTML`, :data:`TEXT`, :data:`OTHER_ZIP` (a ZIP that is
    no Word document) or :data:`OLD_WORD` (a legacy binary .doc)."""
    if b"%PDF-" in raw[:_PDF_WINDOW]:
        return PDF
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            # a damaged package: a Word file still names its main part in its local headers
            return DOCX if b"word/document.xml" in raw else OTHER_ZIP
        return DOCX if "word/document.xml" in names else OTHER_ZIP
    if raw.startswith(_OLE_SIGNATURE):
        return OLD_WORD
    if looks_like_html(raw):
        return HTML
    if path.suffix.lower() in _HTML_SUFFIXES and re.search(rb"<(p|div|table|br)[\s>/]", raw[:4096], re.IGNORECASE):
        return HTML
    return TEXT
