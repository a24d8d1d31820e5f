"""Reading report files of every published format into one canonical text with its layout.

`sniff` decides the kind from the bytes; `pdf`, `docx` and `html` turn a file into blocks; `blocks.compose` lays
blocks out as the document's text. Plain text needs no layout: its text is the decoded file.
"""

from __future__ import annotations

from transforms.formats.blocks import Block, BlockSpan, Layout, PlacedCell, PlacedTable, compose
from transforms.formats.errors import FormatError
from transforms.formats.sniff import DOCX, HTML, MEDIA_TYPES, OLD_WORD, OTHER_ZIP, PDF, TEXT, sniff

__all__ = [
    "DOCX",
    "HTML",
    "MEDIA_TYPES",
    "OLD_WORD",
    "OTHER_ZIP",
    "PDF",
    "TEXT",
    "Block",
    "BlockSpan",
    "FormatError",
    "Layout",
    "PlacedCell",
    "PlacedTable",
    "compose",
    "sniff",
]
