"""The DuckDB warehouse file: schema, views from the `.sql` files beside this module, and an atomic publish.

Publishing never writes the published file in place. A run copies the published file (or starts an empty one),
writes its changes into the copy, checkpoints and closes it, then swaps it into place with `os.replace`. Readers
that hold the published file open read-only keep a consistent old snapshot and are never locked out by a run; a run
that dies part-way leaves only a stray `.building` copy, and the published file untouched.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent
# Views are created layer by layer: staging views read tables, marts read staging views.
VIEW_LAYERS: tuple[str, ...] = ("staging", "marts")
# Files stay readable by DuckDB 1.x clients (BI drivers, the 1.5 CLI): 2.0's default format is not.
_CONNECT_CONFIG = {"storage_compatibility_version": "v1.0.0"}


def view_files() -> list[Path]:
    """SQL files defining the published views, in creation order (layer, then file name)."""
    return [path for layer in VIEW_LAYERS for path in sorted((SQL_DIR / layer).glob("*.sql"))]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the published tables if they do not exist yet."""
    con.execute((SQL_DIR / "schema" / "tables.sql").read_text(encoding="utf-8"))


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view from its `.sql` file; the view is named like the file."""
    for path in view_files():
        body = path.read_text(encoding="utf-8").strip().rstrip(";")
        con.execute(f"create or replace view {path.stem} as\n{body}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _building_copy(target: Path) -> Iterator[Path]:
    """A private copy of the published file (or no file, for a first run) that is removed if not published."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.building")
    try:
        if target.exists():
            shutil.copyfile(target, building)
        yield building
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)


def publish(target: Path, write: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Apply `write` to a copy of the warehouse at `target` and atomically replace the published file with it.

    `write` receives a read-write connection on the copy with the tables in place; views are rebuilt after it.
    If `write` raises, nothing is published and the exception propagates.
    """
    with _building_copy(target) as building:
        con = duckdb.connect(str(building), config=_CONNECT_CONFIG)
        try:
            apply_schema(con)
            write(con)
            apply_views(con)
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(building)
        # A read-write client of the old file may have left a WAL; it must not be replayed onto the new file.
        Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(building, target)
        _fsync(target.parent)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse, as BI tools and ad-hoc queries should open it."""
    return duckdb.connect(str(path), read_only=True)
