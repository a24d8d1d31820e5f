"""Ingestion: raw report files become decoded documents or rejections.

A *document* here is one report file as read from the input folder: its bytes, the text they decode to, the
encoding that decoded them and a SHA-256 of the bytes (the document's identity in the warehouse). A file that
cannot become trustworthy text (empty, binary, undecodable) becomes a *rejection* carrying the reason, so that one
bad file never stops the others and nothing is dropped silently.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from transforms.formats import DOCX, HTML, MEDIA_TYPES, OLD_WORD, OTHER_ZIP, PDF, FormatError, Layout, compose, sniff

# Encodings tried by name before any detection: a BOM or strict UTF-8 is unambiguous, so detection would only add
# risk (charset-normalizer can prefer a legacy code page for short UTF-8 texts).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf_8_sig"),
    (b"\xff\xfe", "utf_16"),
    (b"\xfe\xff", "utf_16"),
)
# Share of characters that may be control or unassigned characters before decoded text is judged not to be text.
_MAX_CONTROL_SHARE = 0.02
#: Shortest BOM-less UTF-16 text recognised (code units); see _decode_utf16_without_bom.
_MIN_BOMLESS_UTF16_UNITS = 8
# Legacy encodings a Chinese report is plausibly written in; detection is limited to these (plus UTF-16 without
# BOM) so that binary data or truncated UTF-8 is not "successfully" read as Latin-1 mojibake.
_CANDIDATE_ENCODINGS = ["gb18030", "gbk", "big5", "big5hkscs", "utf_16_le", "utf_16_be", "utf_8"]
# Files larger than this are rejected unread: a report is tens of kilobytes, a runaway export can be gigabytes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Reading a file that is briefly unreadable (being copied in, locked) is retried after these pauses (seconds).
READ_RETRY_DELAYS: tuple[float, ...] = (0.2, 0.5, 1.0)


@dataclass(frozen=True, slots=True)
class Document:
    """A report decoded to text: `doc_id` is the file name without extension, `text` the full decoded text (for a
    PDF, Word file or web page the canonical text of its blocks), `layout` where its blocks, pages and table cells
    sit in `text` (None for plain text)."""

    doc_id: str
    source_path: str
    content_hash: str
    encoding: str
    text: str
    byte_count: int
    media_type: str = "text/plain"
    layout: Layout | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a document (or one of its rows) was kept out of the warehouse, at which stage and by which check."""

    doc_id: str
    source_path: str
    stage: str
    check: str
    reason: str
    value: str | None = None
    content_hash: str | None = None  # SHA-256 of the file's bytes, when they could be read


class DecodeError(FormatError):
    """Bytes that are not trustworthy text; `check` names the failed check, the message gives the reason."""


def content_hash(raw: bytes) -> str:
    """SHA-256 hex digest of a file's bytes: the identity of one version of a document."""
    return hashlib.sha256(raw).hexdigest()


_BAD_CATEGORIES = ("Cc", "Cn", "Co", "Cs")  # control, unassigned, private use, surrogate


def _common_chars_class() -> str:
    """A regex class of the characters most report text is made of (ASCII, CJK ideographs and punctuation,
    full-width forms) that are none of `_BAD_CATEGORIES` in this Python's Unicode tables, as ranges."""
    ranges: list[tuple[int, int]] = []
    for lo, hi in ((0x09, 0x7E), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if ch not in "\n\r\t\f\v" and unicodedata.category(ch) in _BAD_CATEGORIES:
                continue
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# runs of characters that need a look-up of their category: the rest is common text, known to be fine
_UNCOMMON_RE = re.compile(f"[^{_common_chars_class()}]+")


def _control_share(text: str) -> float:
    """Share of characters that are control (other than whitespace), unassigned or private-use code points."""
    if not text:
        return 0.0
    # only the uncommon characters are looked up: a per-character loop costs a fifth of a second per MB
    bad = sum(
        1
        for run in _UNCOMMON_RE.findall(text)
        for ch in run
        if ch not in "\n\r\t\f\v" and unicodedata.category(ch) in _BAD_CATEGORIES
    )
    return bad / len(text)


def _decode_with_bom(raw: bytes) -> tuple[str, str] | None:
    """Decode bytes that open with a Unicode byte-order mark; None when there is none."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name).removeprefix("\ufeff"), name
            except UnicodeDecodeError as exc:
                raise DecodeError("decode", f"has a {name} byte-order mark but does not decode: {exc}") from exc
    return None


def _decode_utf8_or_detect(raw: bytes) -> tuple[str, str]:
    """Strict UTF-8, else the legacy Chinese encoding charset-normalizer detects among the candidates."""
    try:
        return raw.decode("utf_8"), "utf_8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(raw) - 3:
            raise DecodeError(
                "truncated", f"UTF-8 text cut off inside a multi-byte character at byte {exc.start}"
            ) from None
    best = charset_normalizer.from_bytes(raw, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise DecodeError("decode", "not valid text in UTF-8, UTF-16, GB18030/GBK or Big5 (truncated or binary data)")
    return str(best), best.encoding


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode report bytes to (text, encoding name), or raise DecodeError saying why they are not text."""
    if not raw.strip():
        raise DecodeError("empty", "file is empty" if not raw else "file holds only whitespace")
    decoded = _decode_with_bom(raw)
    if decoded is None and b"\x00" in raw:
        decoded = _decode_utf16_without_bom(raw)
        if decoded is None:
            raise DecodeError("binary", "file contains NUL bytes and is not UTF-16 text: binary data")
    text, encoding = decoded or _decode_utf8_or_detect(raw)
    share = _control_share(text)
    if share > _MAX_CONTROL_SHARE:
        raise DecodeError("binary", f"{share:.0%} of the decoded characters are control codes: not text")
    if not text.strip():
        raise DecodeError("empty", "file decodes to whitespace only")
    return text, encoding


# what a Chinese report is made of: CJK ideographs and punctuation, full-width forms, printable ASCII, line breaks
_IMPLAUSIBLE_RE = re.compile("[^\u4e00-\u9fff\u3000-\u303f\uff00-\uffef -~\n\r\t]+")


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK ideographs and punctuation, full-width forms, ASCII."""
    if not text:
        return 0.0
    other = sum(len(run) for run in _IMPLAUSIBLE_RE.findall(text))
    return 1 - other / len(text)


def _decode_utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """Decode BOM-less UTF-16 (the only text encoding with NUL bytes) when it reads as plausible report text.

    Fewer than ``_MIN_BOMLESS_UTF16_UNITS`` code units are too ambiguous to call UTF-16: ``b"0\\x00"`` is ``"0"`` in
    UTF-16-LE and ``"0"`` plus a NUL in UTF-8, and a guess there would misread a UTF-8 file. Such files are read
    as UTF-8 (and a NUL-bearing one is then rejected as binary).
    """
    if len(raw) % 2 or len(raw) < 2 * _MIN_BOMLESS_UTF16_UNITS:
        return None
    for name in ("utf_16_le", "utf_16_be"):
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) >= 0.9:
            return text, name
    return None


def decode_file(path: Path, raw: bytes) -> tuple[str, str, str, Layout | None]:
    """Any report file's bytes as (text, encoding, media type, layout), its kind decided by content.

    PDF and Word files are read by their format readers (encoding `binary`), web pages are decoded then reduced to
    their main text and tables, anything else is decoded as plain text (layout None). Raises FormatError (a
    DecodeError for text) with the check that failed: `encrypted`, `damaged`, `no_text_layer`, `unsupported_format`,
    `html_no_text`, `empty`, `binary`, `decode`, `truncated`.
    """
    kind = sniff(path, raw)
    if kind in (PDF, DOCX):
        if kind == PDF:
            from transforms.formats.pdf import pdf_blocks as read_blocks
        else:
            from transforms.formats.docx import docx_blocks as read_blocks
        text, layout = compose(read_blocks(raw))
        if not text.strip():
            raise FormatError("empty", f"{kind.upper()} file holds no text")
        return text, "binary", MEDIA_TYPES[kind], layout
    if kind == OLD_WORD:
        raise FormatError(
            "unsupported_format", "legacy Office binary file (.doc, .xls, .wps) is not read: save it as .docx or PDF"
        )
    if kind == OTHER_ZIP:
        raise FormatError("unsupported_format", "ZIP archive that is not a Word .docx document (.xlsx, .ofd, …)")
    text, encoding = decode_bytes(raw)
    if kind == HTML:
        from transforms.formats.html import html_blocks

        text, layout = compose(html_blocks(text))
        return text, encoding, MEDIA_TYPES[HTML], layout
    return text, encoding, MEDIA_TYPES[kind], None


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read_once(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise _TooLarge(size)
    return path.read_bytes()


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes (unread if over `max_bytes`), retrying a briefly unreadable file with growing pauses.

    A file listed a moment ago can be briefly missing or unreadable while it is saved or copied in (written to a
    temporary name, then renamed over the old one); only a directory is given up on at once.
    """
    for delay in READ_RETRY_DELAYS:
        try:
            return _read_once(path, max_bytes)
        except IsADirectoryError:
            raise
        except OSError:
            time.sleep(delay)
    return _read_once(path, max_bytes)


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Rejection:
    """Read one report file into a Document, or a Rejection with the reason it cannot be read as text.

    The kind of file is decided by its content, not its name (`transforms.formats.sniff`). Plain text is kept as
    decoded, so offsets point into the file's own characters; for a web page, PDF or Word file the offsets point
    into the canonical text of its blocks (`transforms.formats.blocks`), which is what the document's `text` holds.
    """
    doc_id = path.stem
    try:
        raw = _read_bytes(path, max_bytes)
    except _TooLarge as exc:
        reason = f"file is {exc.size} bytes, over the limit of {max_bytes}"
        return Rejection(doc_id, str(path), "ingest", "too_large", reason, str(exc.size))
    except OSError as exc:
        reason = f"cannot read file (tried {len(READ_RETRY_DELAYS) + 1} times): {exc.strerror or exc}"
        return Rejection(doc_id, str(path), "ingest", "read", reason)
    try:
        text, encoding, media_type, layout = decode_file(path, raw)
    except FormatError as exc:
        return Rejection(doc_id, str(path), "ingest", exc.check, str(exc), content_hash=content_hash(raw))
    return Document(doc_id, str(path), content_hash(raw), encoding, text, len(raw), media_type, layout)


def printable(name: str) -> str:
    """A file name or path as printable UTF-8 text: bytes that are not UTF-8 (which `os.fsdecode` keeps as lone
    surrogates, and which no UTF-8 database or terminal accepts) become `\\xNN` escapes, e.g. a GBK-named 报告.txt
    becomes `\\xb1\\xa8\\xb8\\xe6.txt`. Valid UTF-8 names are returned unchanged."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def input_doc_id(path: Path, input_dir: Path) -> str:
    """The `doc_id` of a file of the input folder: its path relative to the folder, `/`-separated, in printable
    form (`a/same.txt`, `twin.html`). Unique per file, stable across runs, and readable."""
    return printable(path.relative_to(input_dir).as_posix())


# Names a report file may carry; a folder named like one is recorded, since the operator probably meant a file.
REPORT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".pdf", ".doc", ".docx", ".htm", ".html", ".xhtml", ".shtml", ".mht"}
)


@dataclass(frozen=True, slots=True)
class FileStat:
    """What listing a file tells without opening it: its size, modification time (ns) and inode (for a symbolic
    link, those of the file it points to)."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


# A file modified less than this long (ns) before it was listed is not known by its listing alone on the next run:
# a second write within the same tick of the file system's clock (2 s on FAT) would leave size and time as they
# were. Such a file is read again next time, and known by its listing from then on.
SETTLE_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class InputListing:
    """The files of an input folder to read, as (path, doc_id), and a Rejection for every entry not read; `stats`
    gives each file's FileStat by doc_id (none when it could not be taken), `listed_at_ns` when listing began."""

    files: list[tuple[Path, str]]
    skipped: list[Rejection]
    stats: dict[str, FileStat] = field(default_factory=dict)
    listed_at_ns: int = 0

    def settled_stat(self, doc_id: str) -> FileStat | None:
        """The file's FileStat when it can identify this version of the file on a later run: None when it was
        modified within `SETTLE_NS` of the listing (or could not be taken)."""
        found = self.stats.get(doc_id)
        if found is None or found.mtime_ns > self.listed_at_ns - SETTLE_NS:
            return None
        return found


def known_unchanged(listing: InputListing, published: Mapping[str, tuple[str, FileStat]]) -> dict[str, str]:
    """The files of `listing` taken as unchanged without opening them, as {doc_id: content_hash}: those whose
    size, modification time and inode equal the ones `published` holds for their doc_id (documents loaded by the
    current analysis, with the content hash and FileStat of the file they were read from)."""
    unchanged: dict[str, str] = {}
    for _, doc_id in listing.files:
        known = published.get(doc_id)
        if known is not None and listing.stats.get(doc_id) == known[1]:
            unchanged[doc_id] = known[0]
    return unchanged


def _skip(path: Path, input_dir: Path, check: str, reason: str) -> Rejection:
    return Rejection(input_doc_id(path, input_dir), printable(str(path)), "ingest", check, reason)


def _within(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _symlink_verdict(path: Path, input_dir: Path, root: Path, follow_outside: bool) -> Rejection | None:
    """None when the symbolic link at `path` may be read as a file, else why it is not read."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
        looping = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        if looping:
            return _skip(path, input_dir, "symlink_loop", "symbolic link that points back to itself (a loop)")
        return _skip(path, input_dir, "symlink_broken", f"symbolic link to {printable(os.readlink(path))}, missing")
    if not follow_outside and not _within(target, root):
        return _skip(
            path,
            input_dir,
            "symlink_outside",
            f"symbolic link to {printable(str(target))}, outside the input folder: not followed "
            "(REPORT_METRICS_FOLLOW_SYMLINKS=1 allows it)",
        )
    if target.is_dir():
        return _skip(path, input_dir, "symlink_folder", "symbolic link to a folder: not followed")
    if not target.is_file():
        return _skip(path, input_dir, "not_a_file", "symbolic link to something that is not a regular file")
    return None


def _is_own_output(path: Path, own_outputs: Sequence[str]) -> bool:
    """True for a path that is one of `own_outputs` (absolute paths), lies inside one, or is a file beside one
    named after it (`metrics.duckdb.wal`, `metrics.duckdb.lock`, `metrics.duckdb.kept-…`)."""
    here = os.path.abspath(path)
    return any(here == out or here.startswith((out + ".", out + os.sep)) for out in own_outputs)


def scan_inputs(
    input_dir: Path, follow_symlinks_outside: bool = False, own_outputs: Sequence[Path] = ()
) -> InputListing:
    """Every regular file under `input_dir` (recursively, in a stable order) and a rejection for each entry that
    will not be read: a FIFO, socket or device (reading a FIFO would wait forever), a symbolic link that loops,
    is broken, points to a folder, or points outside the input folder (unless `follow_symlinks_outside`), a folder
    named like a report file (its own files are still read), a subfolder that cannot be listed. Each file's size,
    modification time and inode are taken from the listing (`InputListing.stats`); no file is opened.

    Hidden entries (a name starting with `.`: editor swap files, `.DS_Store`) and the run's `own_outputs` (the
    warehouse file with its lock, WAL and kept copies, the explorer page, an export folder) are skipped without a
    record: a warehouse kept inside its input folder must not read itself back as a report.
    """
    root = input_dir.resolve()
    outputs = [os.path.abspath(p) for p in own_outputs]
    files: list[tuple[Path, str]] = []
    skipped: list[Rejection] = []
    stats: dict[str, FileStat] = {}
    listed_at_ns = time.time_ns()

    def unlistable(exc: OSError) -> None:
        folder = Path(exc.filename) if exc.filename else input_dir
        skipped.append(_skip(folder, input_dir, "read", f"folder cannot be listed: {exc.strerror or exc}"))

    for folder, dirnames, filenames in os.walk(input_dir, onerror=unlistable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        dirnames[:] = [d for d in dirnames if not _is_own_output(Path(folder) / d, outputs)]
        for name in sorted([*dirnames, *filenames]):
            if name.startswith(".") or _is_own_output(Path(folder) / name, outputs):
                continue
            path = Path(folder) / name
            try:
                st = path.lstat()
            except OSError as exc:
                skipped.append(_skip(path, input_dir, "read", f"cannot be examined: {exc.strerror or exc}"))
                continue
            mode = st.st_mode
            if stat.S_ISLNK(mode):
                verdict = _symlink_verdict(path, input_dir, root, follow_symlinks_outside)
                if verdict is None:
                    doc_id = input_doc_id(path, input_dir)
                    files.append((path, doc_id))
                    with contextlib.suppress(OSError):  # gone since: reading it says why
                        stats[doc_id] = FileStat.of(path.stat())
                else:
                    skipped.append(verdict)
            elif stat.S_ISDIR(mode):
                if Path(name).suffix.lower() in REPORT_SUFFIXES:
                    reason = "a folder named like a report file, not a file (the files inside it are read)"
                    skipped.append(_skip(path, input_dir, "not_a_file", reason))
            elif stat.S_ISREG(mode):
                doc_id = input_doc_id(path, input_dir)
                files.append((path, doc_id))
                stats[doc_id] = FileStat.of(st)
            else:
                kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket or device"
                skipped.append(_skip(path, input_dir, "not_a_file", f"{kind}, not a regular file: not read"))
    return InputListing(sorted(files, key=lambda f: f[1]), skipped, stats, listed_at_ns)


def list_inputs(input_dir: Path) -> list[Path]:
    """Report files in `input_dir` (recursively), in a stable order; hidden files and entries that are not
    regular files inside the folder are skipped (`scan_inputs` says why)."""
    return [path for path, _ in scan_inputs(input_dir).files]
