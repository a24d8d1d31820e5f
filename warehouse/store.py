"""The DuckDB warehouse file: schema, views from the `.sql` files beside this module, and an atomic publish.

Publishing never writes the published file in place. A run copies the published file (or starts an empty one),
writes its changes into the copy, checkpoints and closes it, then swaps it into place with `os.replace`. DuckDB
keeps the blocks of rows it deleted or rewrote as free space in the file, and the next versions write into them;
when a publish leaves more than `COMPACT_FREE_SHARE` of the new version free, the version is written out compacted
(`COPY FROM DATABASE`, about 0.3 s per 20 MB), so the file stays under about twice what it holds. Readers
that hold the published file open read-only keep a consistent old snapshot and are never locked out by a run; a run
that dies part-way leaves only a stray `.building` copy, and the published file untouched; the next run removes it.

Runs that write the same warehouse take turns: each holds the writer lock (`warehouse.lock`) from reading the
published state to the swap, so two overlapping scheduled or manual runs never lose each other's work.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tomllib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb

from warehouse.lock import run_lock

SQL_DIR = Path(__file__).resolve().parent
# Views are created layer by layer: staging views read tables, marts read staging views.
VIEW_LAYERS: tuple[str, ...] = ("staging", "marts")
# Files stay readable by DuckDB 1.x clients (BI drivers, the 1.5 CLI): 2.0's default format is not.
_CONNECT_CONFIG = {"storage_compatibility_version": "v1.0.0"}
# What a run's writing connections may hold in memory while loading (DuckDB's own default is 80 % of the machine):
# loading the rows of 10,000 documents in batches of 1,000, the process held 350 MB instead of 490 MB, no slower;
# DuckDB spills to a temporary folder beside the database past it.
WRITE_MEMORY_LIMIT = "256MB"
# How much a version's write-ahead log may grow before DuckDB checkpoints it into the file (its default: 16 MB). A
# table's rows are stored in row groups of 122,880 rows, and a checkpoint rewrites the row group that new rows were
# appended to: checkpointing every 16 MB, a 10,000-document build rewrote its documents' texts again and again and
# came out 42 % free space (235 MB, compacted to 135 MB at publish). Checkpointed every gigabyte, 60,000 documents'
# rows came out with no free block, in 0.65 of the time, the process no larger (the log is on disk, not in memory).
CHECKPOINT_THRESHOLD = "1GB"
_WRITE_CONFIG = {**_CONNECT_CONFIG, "memory_limit": WRITE_MEMORY_LIMIT, "checkpoint_threshold": CHECKPOINT_THRESHOLD}
# Completing a version needs more as the warehouse grows: its last commits checkpoint the whole file, and the
# compaction copies it. A 100,000-document build (2.4 GB before compaction) failed to commit its run row in 256 MB.
FINISH_MEMORY_LIMIT = "1GB"


def view_files() -> list[Path]:
    """SQL files defining the published views, in creation order (layer, then file name)."""
    return [path for layer in VIEW_LAYERS for path in sorted((SQL_DIR / layer).glob("*.sql"))]


@cache
def layout_version() -> str:
    """A 16-hex-digit digest of what a publish lays out besides the rows: the tables, the views and the comments.
    Recorded in each run's row, so that a run that finds nothing else new still publishes when it changed."""
    digest = hashlib.sha256()
    for path in [SQL_DIR / "schema" / "tables.sql", *view_files(), SQL_DIR / "comments.toml"]:
        digest.update(path.relative_to(SQL_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() "
        "where schema_name = 'main' and not internal and table_name in (select table_name from duckdb_tables()) "
        "order by table_name, column_index"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def apply_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the published tables if they do not exist yet; returns True when an outdated layout was rebuilt.

    A warehouse written by an earlier layout of these tables is emptied and recreated (its views first): the run
    then loads every document again, as it would after an extractor upgrade.
    """
    ddl = (SQL_DIR / "schema" / "tables.sql").read_text(encoding="utf-8")
    with duckdb.connect() as reference:
        reference.execute(ddl)
        expected = _columns(reference)
    found = _columns(con)
    outdated = [t for t in expected if t in found and found[t] != expected[t]]
    if outdated:
        for (view,) in con.execute("select view_name from duckdb_views() where not internal").fetchall():
            con.execute(f"drop view if exists {view}")
        for table in expected:
            con.execute(f"drop table if exists {table}")
    con.execute(ddl)
    return bool(outdated)


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view from its `.sql` file; the view is named like the file."""
    for path in view_files():
        body = path.read_text(encoding="utf-8").strip().rstrip(";")
        con.execute(f"create or replace view {path.stem} as\n{body}")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_comments() -> dict[str, object]:
    """The comments of `comments.toml`: [common] column comments, and per table and view a comment and columns."""
    with (SQL_DIR / "comments.toml").open("rb") as f:
        return tomllib.load(f)


def apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every table, view and column that `comments.toml` describes."""
    comments = load_comments()
    common: dict[str, str] = comments.get("common", {})  # type: ignore[assignment]
    objects = con.execute(
        "select table_name, 'table' from duckdb_tables() where schema_name = 'main' "
        "union all select view_name, 'view' from duckdb_views() where schema_name = 'main' and not internal"
    ).fetchall()
    columns = con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'main' and not internal"
    ).fetchall()
    kinds = {name: kind for name, kind in objects}
    for name, kind in objects:
        own: dict[str, object] = comments.get(f"{kind}s", {}).get(name, {})  # type: ignore[union-attr]
        if "comment" in own:
            con.execute(f"comment on {kind} {name} is {_quote(str(own['comment']))}")
    for name, column in columns:
        if name not in kinds:
            continue
        own_columns: dict[str, str] = (
            comments.get(f"{kinds[name]}s", {}).get(name, {}).get("columns", {})  # type: ignore[union-attr]
        )
        text = own_columns.get(column, common.get(column))
        if text:
            con.execute(f'comment on column {name}."{column}" is {_quote(text)}')


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stray_copies(target: Path) -> list[Path]:
    """Delete the building copies that runs killed part-way left beside `target`; call under the writer lock."""
    stray = [*target.parent.glob(f".{target.name}.*.building"), *target.parent.glob(f".{target.name}.*.building.wal")]
    for path in stray:
        path.unlink(missing_ok=True)
    for spill in target.parent.glob(f".{target.name}.*.building.tmp"):  # what DuckDB spilled past its memory limit
        shutil.rmtree(spill, ignore_errors=True)
        stray.append(spill)
    return stray


@contextmanager
def _building_copy(target: Path, fresh: bool = False) -> Iterator[Path]:
    """A private copy of the published file (no file for a first run or a rebuild), removed if not published."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.building")
    try:
        if target.exists() and not fresh:
            shutil.copyfile(target, building)
        yield building
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)


_HELD: set[Path] = set()


@contextmanager
def locked(target: Path, timeout: float = 600.0) -> Iterator[None]:
    """The writer lock (`warehouse.lock.run_lock`) for a whole run: read state, extract, publish.

    Stray copies of dead runs are removed once it is held. Taken by the flow itself: do not wrap a flow run in
    another `run_lock` on the same warehouse from the same process (flock would make it wait for itself).
    """
    key = target.resolve()
    with run_lock(target, wait_seconds=timeout):
        _HELD.add(key)
        try:
            remove_stray_copies(target)
            yield
        finally:
            _HELD.discard(key)


@contextmanager
def _maybe_locked(target: Path) -> Iterator[None]:
    if target.resolve() in _HELD:
        yield
    else:
        with locked(target):
            yield


def keep_stray_wal(target: Path) -> Path | None:
    """Set aside a write-ahead log found beside the published file, with a copy of the file it belongs to.

    A `.wal` there means a read-write client wrote to the published file and did not checkpoint (it crashed, or
    was killed): its changes live only in that log. It must not be replayed onto the new version, nor deleted:
    `<name>.kept-<time>` (a copy of the old file) and `<name>.kept-<time>.wal` are kept together, and opening the
    first shows the changes. Returns the kept copy, or None when there was no log.
    """
    wal = Path(f"{target}.wal")
    if not wal.exists():
        return None
    kept = target.with_name(f"{target.name}.kept-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
    if target.exists():
        shutil.copyfile(target, kept)
    os.replace(wal, f"{kept}.wal")
    return kept


# Share of a new version's blocks that may be free space before it is written out compacted (a copy of the whole
# file: 16 s at 100,000 documents, 1.4 GB). DuckDB rewrites a table's row group when rows are appended to it, and
# the documents of a warehouse under 122,880 documents share one: adding a single document to a 10,000-document
# warehouse left 42 % of the file free. The next versions write into those free blocks (four one-document changes
# in a row kept the file at 933 ± 2 blocks), so the file stays under twice what it holds, and is compacted only
# when a publish frees more than half of it (rows deleted in bulk), not after every change. At a fifth, the
# 100,000-document warehouse was compacted at every publish, which cost more than the rest of a one-change run.
COMPACT_FREE_SHARE = 0.5


def free_share(con: duckdb.DuckDBPyConnection) -> float:
    """Share of the blocks of the connection's database file that are free (deleted or rewritten rows)."""
    rows = con.execute(
        "select total_blocks, free_blocks from pragma_database_size() where database_name = current_database()"
    ).fetchall()
    total, free = rows[0] if rows else (0, 0)
    return free / total if total else 0.0


def _compact(building: Path) -> None:
    """Rewrite the closed database file `building` without its free blocks (same tables, rows, views, comments)."""
    compact = building.with_name(building.name.removesuffix(".building") + ".compact.building")
    try:
        # spilled beside the copies, not in the working folder (an in-memory database's default)
        config = {**_CONNECT_CONFIG, "memory_limit": FINISH_MEMORY_LIMIT, "temp_directory": f"{compact}.tmp"}
        with duckdb.connect(config=config) as con:
            con.execute(f"attach {_quote(str(building))} as old (read_only)")
            con.execute(f"attach {_quote(str(compact))} as new (storage_version 'v1.0.0')")
            con.execute("copy from database old to new")
            con.execute("checkpoint new")
            con.execute("detach new")
        os.replace(compact, building)
    finally:
        compact.unlink(missing_ok=True)
        Path(f"{compact}.wal").unlink(missing_ok=True)


class Version:
    """A new, unpublished version of the warehouse: a read-write connection `con` on a private copy of the
    published file (or an empty one) with the tables in place. Written in as many steps as the caller likes
    (a run loads its documents chunk by chunk), then published at once by `publish`; a version left unpublished is
    deleted (see `new_version`)."""

    def __init__(self, target: Path, building: Path) -> None:
        self.target = target
        self.building = building
        self.con = duckdb.connect(str(building), config=_WRITE_CONFIG)
        self.published = False

    def finishing(self) -> None:
        """Allow the connection what completing the version takes (`FINISH_MEMORY_LIMIT`): call it once every
        document is in, before the run's last statements."""
        self.con.execute(f"set memory_limit = '{FINISH_MEMORY_LIMIT}'")

    def publish(self) -> list[str]:
        """Lay out the views and comments, checkpoint and close the copy (compacted when more than
        `COMPACT_FREE_SHARE` of it is free space), and swap it into place atomically. Returns warnings for the
        operator (a stray write-ahead log set aside). The connection is closed afterwards, whether or not the swap
        succeeded."""
        try:
            self.finishing()
            apply_views(self.con)
            apply_comments(self.con)
            self.con.execute("checkpoint")
            sparse = free_share(self.con) > COMPACT_FREE_SHARE
        finally:
            self.con.close()
        if sparse:
            _compact(self.building)
        _fsync(self.building)
        warnings: list[str] = []
        kept = keep_stray_wal(self.target)
        if kept is not None:
            warnings.append(
                f"a write-ahead log beside {self.target} held changes someone wrote to the published file; they are "
                f"not in the new version and were kept: open {kept} (with {kept.name}.wal beside it) to see them"
            )
        os.replace(self.building, self.target)
        _fsync(self.target.parent)
        self.published = True
        return warnings


@contextmanager
def new_version(target: Path, fresh: bool = False) -> Iterator[Version]:
    """A new version of the warehouse at `target` (see `Version`): a copy of the published file, or an empty one
    with `fresh` (a rebuild), with the tables in place. Leaving the block without `Version.publish` (a run that
    refuses to publish, or an exception) deletes it and leaves the published file as it was. The caller holds the
    writer lock through `locked(target)` (it is taken here when the caller does not)."""
    with _maybe_locked(target), _building_copy(target, fresh) as building:
        version = Version(target, building)
        try:
            apply_schema(version.con)
            yield version
        finally:
            if not version.published:
                version.con.close()


def publish(target: Path, write: Callable[[duckdb.DuckDBPyConnection], None], fresh: bool = False) -> list[str]:
    """Apply `write` to a new version of the warehouse at `target` (`new_version`) and publish it at once.

    `write` receives a read-write connection on the copy with the tables in place; views and comments are rebuilt
    after it. If `write` raises, nothing is published and the exception propagates. Returns warnings for the
    operator (a stray write-ahead log set aside).
    """
    with new_version(target, fresh) as version:
        write(version.con)
        return version.publish()


# DuckDB names the process holding a file open for writing in its lock error.
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
# Errors that mean the disk (or a quota, or a file size limit) is full: not worth retrying, never a bug.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_FULL_MESSAGES = ("No space left on device", "Disk quota exceeded", "File too large")


@dataclass(frozen=True, slots=True)
class OpenProblem:
    """Why the published file cannot be opened; `held` when another process holds it open for writing (the file
    is not damaged, and rebuilding would be wrong), with `pid` that process."""

    reason: str
    held: bool = False
    pid: int | None = None


def open_problem(path: Path) -> OpenProblem | None:
    """Why the published file at `path` cannot be opened read-only (held for writing by another process, corrupt,
    truncated, not DuckDB), or None if it can (or does not exist yet)."""
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("select count(*) from duckdb_tables()").fetchall()
    except duckdb.Error as exc:
        return problem_of(exc)
    return None


def problem_of(exc: duckdb.Error) -> OpenProblem:
    """The OpenProblem a DuckDB error opening the published file stands for."""
    found = _LOCK_HOLDER.search(str(exc))
    if found:
        reason = (
            f"held open for writing by another process (pid {found['pid']}, {found['program']}); the file is not "
            "damaged: close that connection (readers should open it read-only) and try again"
        )
        return OpenProblem(reason, held=True, pid=int(found["pid"]))
    return OpenProblem(str(exc).splitlines()[0])


def disk_full_reason(exc: BaseException) -> str | None:
    """A one-line reason when `exc` says the disk, a quota or a file size limit is full; None otherwise."""
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else str(exc.strerror)
    if isinstance(exc, duckdb.Error):
        text = str(exc)
        for message in _FULL_MESSAGES:
            if message in text:
                return text.splitlines()[0]
    return None


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, as BI tools and ad-hoc queries should open it."""
    return duckdb.connect(str(path), read_only=True)
