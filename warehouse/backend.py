"""Where the published warehouse is kept, behind one small interface: `Warehouse`.

The flow, the command line, the explorer and the export reach the published warehouse only through a `Warehouse`.
Every backend keeps a DuckDB database: the tables, views and comments (`warehouse.store.apply_schema`,
`apply_views`, `apply_comments`), the load (`warehouse.load.load_run`) and the published state
(`warehouse.load.published_in`) are SQL that any DuckDB connection runs. What a backend must provide:

- `location`: how the operator names it (today a file path), in messages and in the run summary;
- `exists()`: whether a version has been published;
- `problem()`: why the published version cannot be opened (an `OpenProblem`: held for writing by another
  process, corrupt, truncated), or None;
- `read_published()`: the published state a run compares its inputs with (`Published.nothing()` when there is
  none, or when its tables are of an earlier layout);
- `locked(wait_seconds)`: the writer lock for a whole run, from reading the state to publishing; raises
  `WarehouseBusy` when another run holds it for longer than `wait_seconds`;
- `keep_broken(stamp)`: set the unreadable published version aside before a rebuild replaces it;
- `new_version(fresh)`: a context manager giving a new, unpublished version (a copy of the published one, or an
  empty one when `fresh`) with the tables in place: its read-write connection `con`, written in as many steps as
  the run likes, and `publish()`, which lays out the views and comments and makes it the published version at
  once, and returns warnings for the operator. A version left unpublished is discarded. Raises `WarehouseFull`
  when the storage is full (nothing published);
- `publish(write, fresh)`: a new version written by `write(con)` and published at once, or not at all (if
  `write` raises, nothing is published);
- `connect_read_only()`: a read-only connection on the published version, which never keeps a run waiting.

`open_warehouse` picks the backend for a location; today every location is a DuckDB file (`DuckDBFileWarehouse`).
Another backend is a class with these members and a branch in `open_warehouse`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import duckdb

from warehouse import store
from warehouse.load import Published, published_in
from warehouse.lock import WarehouseBusy
from warehouse.store import OpenProblem

__all__ = ["DuckDBFileWarehouse", "OpenProblem", "Warehouse", "WarehouseBusy", "WarehouseFull", "open_warehouse"]

if TYPE_CHECKING:
    # For type checkers only: a typing object built at import that holds DuckDB's connection type stays in typing's
    # caches, and DuckDB's extension then reports it as leaked when the interpreter exits after a flow run.
    Write = Callable[[duckdb.DuckDBPyConnection], None]


class WarehouseFull(RuntimeError):
    """The storage (a disk, a quota, a file size limit) filled up while publishing; the message is a one-line
    reason. The published version was left as it was; retrying at once would fill it again."""


class Warehouse(Protocol):
    """The published warehouse, wherever it is kept (see the module docstring for what each member does)."""

    @property
    def location(self) -> str: ...

    def exists(self) -> bool: ...

    def problem(self) -> OpenProblem | None: ...

    def read_published(self) -> Published: ...

    def locked(self, wait_seconds: float) -> AbstractContextManager[None]: ...

    def keep_broken(self, stamp: datetime) -> None: ...

    def new_version(self, fresh: bool = False) -> AbstractContextManager[store.Version]: ...

    def publish(self, write: Write, fresh: bool = False) -> list[str]: ...

    def connect_read_only(self) -> duckdb.DuckDBPyConnection: ...


@dataclass(frozen=True, slots=True)
class DuckDBFileWarehouse:
    """The warehouse as one DuckDB file at `path`, published by copy, write and atomic swap (`warehouse.store`),
    with the writer lock `<path>.lock` beside it (`warehouse.lock`)."""

    path: Path

    @property
    def location(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def problem(self) -> OpenProblem | None:
        return store.open_problem(self.path)

    def read_published(self) -> Published:
        if not self.path.exists():
            return Published.nothing()
        with self.connect_read_only() as con:
            return published_in(con)

    def locked(self, wait_seconds: float) -> AbstractContextManager[None]:
        return store.locked(self.path, wait_seconds)

    def keep_broken(self, stamp: datetime) -> None:
        """Copy the file to `<name>.broken-<stamp>` beside it."""
        shutil.copyfile(self.path, self.path.with_name(f"{self.path.name}.broken-{stamp:%Y%m%dT%H%M%S}"))

    @contextmanager
    def new_version(self, fresh: bool = False) -> Iterator[store.Version]:
        with _storage_full_as_warehouse_full(), store.new_version(self.path, fresh=fresh) as version:
            yield version

    def publish(self, write: Write, fresh: bool = False) -> list[str]:
        with _storage_full_as_warehouse_full():
            return store.publish(self.path, write, fresh=fresh)

    def connect_read_only(self) -> duckdb.DuckDBPyConnection:
        return store.connect_read_only(self.path)


@contextmanager
def _storage_full_as_warehouse_full() -> Iterator[None]:
    """Raise a full disk, quota or file size limit met inside the block as WarehouseFull."""
    try:
        yield
    except (OSError, duckdb.Error) as exc:
        full = store.disk_full_reason(exc)
        if full is None:
            raise
        raise WarehouseFull(full) from exc


def open_warehouse(location: Path | str) -> Warehouse:
    """The warehouse kept at `location`: today always a DuckDB file."""
    return DuckDBFileWarehouse(Path(location))
