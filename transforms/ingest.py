"""Ingestion: raw report files become decoded documents or rejections.

A *document* here is one report file as read from the input folder: its bytes, the text they decode to, the
encoding that decoded them and a SHA-256 of the bytes (the document's identity in the warehouse). A file that
cannot become trustworthy text (empty, binary, undecodable) becomes a *rejection* carrying the reason, so that one
bad file never stops the others and nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

# Encodings tried by name before any detection: a BOM or strict UTF-8 is unambiguous, so detection would only add
# risk (charset-normalizer can prefer a legacy code page for short UTF-8 texts).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf_8_sig"),
    (b"\xff\xfe", "utf_16"),
    (b"\xfe\xff", "utf_16"),
)
# Share of characters that may be control or unassigned characters before decoded text is judged not to be text.
_MAX_CONTROL_SHARE = 0.02
# Legacy encodings a Chinese report is plausibly written in; detection is limited to these (plus UTF-16 without
# BOM) so that binary data or truncated UTF-8 is not "successfully" read as Latin-1 mojibake.
_CANDIDATE_ENCODINGS = ["gb18030", "gbk", "big5", "big5hkscs", "utf_16_le", "utf_16_be", "utf_8"]


@dataclass(frozen=True, slots=True)
class Document:
    """A report decoded to text: `doc_id` is the file name without extension, `text` the full decoded text."""

    doc_id: str
    source_path: str
    content_hash: str
    encoding: str
    text: str
    byte_count: int


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a document (or one of its rows) was kept out of the warehouse, at which stage and by which check."""

    doc_id: str
    source_path: str
    stage: str
    check: str
    reason: str
    value: str | None = None


class DecodeError(ValueError):
    """Bytes that are not trustworthy text; `check` names the failed check, the message gives the reason."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(reason)
        self.check = check


def content_hash(raw: bytes) -> str:
    """SHA-256 hex digest of a file's bytes: the identity of one version of a document."""
    return hashlib.sha256(raw).hexdigest()


def _control_share(text: str) -> float:
    """Share of characters that are control (other than whitespace), unassigned or private-use code points."""
    if not text:
        return 0.0
    bad = sum(
        1 for ch in text if ch not in "\n\r\t\f\v" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
    )
    return bad / len(text)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode report bytes to (text, encoding name), or raise DecodeError saying why they are not text."""
    if not raw.strip():
        raise DecodeError("empty", "file is empty" if not raw else "file holds only whitespace")
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    "decode", f"has a {name} byte-order mark but does not decode: {exc}"
                ) from exc
            break
    if text is None:
        if b"\x00" in raw and not _looks_utf16(raw):
            raise DecodeError("binary", "file contains NUL bytes: binary data, not text")
        try:
            text, encoding = raw.decode("utf_8"), "utf_8"
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(raw, cp_isolation=_CANDIDATE_ENCODINGS).best()
            if best is None:
                raise DecodeError(
                    "decode",
                    "not valid text in UTF-8, UTF-16, GB18030/GBK or Big5 (truncated or binary data)",
                ) from None
            text, encoding = str(best), best.encoding
    if text.startswith("\ufeff"):
        text = text[1:]
    share = _control_share(text)
    if share > _MAX_CONTROL_SHARE:
        raise DecodeError("binary", f"{share:.0%} of the decoded characters are control codes: not text")
    if not text.strip():
        raise DecodeError("empty", "file decodes to whitespace only")
    return text, encoding


def _looks_utf16(raw: bytes) -> bool:
    """True when NUL bytes sit at every other position, as in BOM-less UTF-16 text."""
    sample = raw[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    return max(even_nuls, odd_nuls) / half > 0.2 and min(even_nuls, odd_nuls) / half < 0.05


def read_document(path: Path) -> Document | Rejection:
    """Read one report file into a Document, or a Rejection with the reason it cannot be read as text."""
    doc_id = path.stem
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Rejection(doc_id, str(path), "ingest", "read", f"cannot read file: {exc.strerror or exc}")
    try:
        text, encoding = decode_bytes(raw)
    except DecodeError as exc:
        return Rejection(doc_id, str(path), "ingest", exc.check, str(exc), content_hash(raw))
    return Document(doc_id, str(path), content_hash(raw), encoding, text, len(raw))


def list_inputs(input_dir: Path) -> list[Path]:
    """Report files in `input_dir` (recursively), in a stable order; hidden files are skipped."""
    return sorted(
        p
        for p in input_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(input_dir).parts)
    )
