"""Analysis of the documents a run has to (re)load: in this process, on a local process pool, or on a Dask cluster.

The documents are cut into chunks in their order; each chunk is one Prefect task run (`analyse_chunk`) on the
chosen task runner, and the chunks' rows are put back together in the documents' order, so the rows are the same
whatever ran them. A document whose analysis fails or runs past its time limit is rejected inside its chunk; a
chunk that fails as a whole (a worker process killed, a lost cluster worker) is analysed again here, document by
document, so that no other document's result is lost.

This module is what a worker process imports to run a chunk: it keeps to Prefect and the analysis, without the
warehouse, the validation or the flow.
"""

from __future__ import annotations

import logging
import math
import pickle
import queue
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.futures import PrefectFuture
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner
from prefect.utilities.annotations import quote

from flows.settings import CHUNK_DOCUMENTS, local_cores
from transforms.analyse import DeadlineExceeded, analyse
from transforms.indicators import load_catalog
from transforms.ingest import Document, Rejection
from transforms.rows import document_frame, document_row, from_rejection
from transforms.version import analysis_version

# Starting a local pool and stopping it costs about this much wall time, and the analysis reads about this many
# characters per CPU-second. Measured on two cores: each worker process spends about 5 CPU-s importing Prefect and
# the analysis and setting up its first task run (first results after 5-6 s), and 3-5 s more to stop; the analysis
# read 406,000 characters of report text per CPU-second.
POOL_START_SECONDS = 8.5
ANALYSIS_CHARACTERS_PER_SECOND = 400_000
# Chunks per worker process, so that workers finishing early take more and none waits long for the last one.
CHUNKS_PER_WORKER = 2
# Chunks submitted and not yet taken back, per local worker process, and on a Dask cluster (whose size this process
# does not know): enough to keep every worker busy while one chunk runs long, few enough that the documents sent and
# the rows received stay a few chunks' worth in memory whatever the corpus size.
WINDOW_PER_WORKER = 2
DASK_WINDOW = 64


@dataclass(slots=True)
class Analysed:
    """Warehouse rows of analysed documents, and the rejection rows of those whose analysis failed."""

    documents: list[dict[str, object]] = field(default_factory=list)
    metrics: list[dict[str, object]] = field(default_factory=list)
    links: list[dict[str, object]] = field(default_factory=list)
    rejections: list[dict[str, object]] = field(default_factory=list)


@dataclass(slots=True)
class Extracted:
    """The rows of analysed documents as frames, and the rejection rows of those whose analysis failed.

    `documents` holds `transforms.rows.DOCUMENT_COLUMNS`; `metrics` and `links` the columns their rows name
    (`transforms.record.MetricRecord.row`, `transforms.record.MetricLink`), none when there are no rows: the flow
    conforms them to the validation models' columns, which a worker does not import.
    """

    documents: pd.DataFrame
    metrics: pd.DataFrame
    links: pd.DataFrame
    rejections: list[dict[str, object]] = field(default_factory=list)


def framed(analysed: Analysed) -> Extracted:
    """`analysed` as frames (a few CPU-ms per document: where the analysis ran, so off the loading process)."""
    return Extracted(
        document_frame(analysed.documents),
        pd.DataFrame(analysed.metrics),
        pd.DataFrame(analysed.links),
        analysed.rejections,
    )


@dataclass(frozen=True, slots=True)
class Packed:
    """A chunk's `Extracted` frames, pickled where they were made, unpickled once where they are loaded.

    Prefect's process pool unpickles a task's result in every done callback and again for `result()`: three
    times per chunk here, 5.8 of the loading process's CPU-seconds in a 10,000-document run (measured with
    py-spy). Pickled bytes cost next to nothing to unpickle again; the frames also unpickle in half the time of
    the rows as dicts (0.06 instead of 0.11 CPU-s per 1,000 documents, measured) and need not be built there.
    """

    blob: bytes

    @classmethod
    def of(cls, extracted: Extracted) -> Packed:
        return cls(pickle.dumps(extracted, protocol=pickle.HIGHEST_PROTOCOL))

    def unpack(self) -> Extracted:
        extracted: Extracted = pickle.loads(self.blob)
        return extracted


def analyse_documents(
    docs: Sequence[Document],
    analysis_timeout_seconds: float,
    extractor_version: str | None = None,
    on_document: Callable[[], None] | None = None,
) -> Analysed:
    """Metadata, metrics, canonical indicators, attribution and relations of each document, in order (a
    document's links sorted by metric, related metric and relation: `transforms.analyse.Analysis.links`).

    A document whose analysis fails, or takes longer than `analysis_timeout_seconds` (counted where it runs), is
    rejected (check `timeout`, or the exception's name) and the others are read. Documents are stamped with
    `extractor_version` (default: this code's `analysis_version()`).
    """
    catalog = load_catalog()
    version = extractor_version or analysis_version()
    out = Analysed()
    for doc in docs:
        if on_document:
            on_document()
        try:
            reading = analyse(
                doc.text,
                catalog,
                doc.layout,
                source_name=doc.doc_id,
                content_hash=doc.content_hash,
                deadline=time.monotonic() + analysis_timeout_seconds,
            )
        except DeadlineExceeded:
            reason = f"analysis took longer than {analysis_timeout_seconds:g} s; the other documents were read"
            out.rejections.append(_rejected(doc, "timeout", reason))
            continue
        except Exception as exc:  # one bad document must not stop the others
            out.rejections.append(_rejected(doc, type(exc).__name__, str(exc) or repr(exc)))
            continue
        out.documents.append(
            document_row(doc, reading.meta, extractor_version=version, catalog_version=catalog.version)
        )
        out.metrics.extend(record.row() for record in reading.records)
        out.links.extend(link._asdict() for link in reading.links)
    return out


def _rejected(doc: Document, check: str, reason: str) -> dict[str, object]:
    return from_rejection(Rejection(doc.doc_id, doc.source_path, "extract", check, reason), doc.content_hash)


@task(cache_policy=NO_CACHE)
def analyse_chunk(docs: list[Document], analysis_timeout_seconds: float, extractor_version: str) -> Packed:
    """One chunk of documents, analysed where the task runner runs it, stamped with the run's analysis version."""
    return Packed.of(framed(analyse_documents(docs, analysis_timeout_seconds, extractor_version)))


def chunk_bounds(sizes: Sequence[int], parts: int, max_documents: int = CHUNK_DOCUMENTS) -> list[tuple[int, int]]:
    """Cut documents of the given sizes (characters), kept in order, into about `parts` chunks of similar total
    size, none with more than `max_documents`; returns each chunk's (start, end) indices."""
    if not sizes:
        return []
    parts = max(parts, math.ceil(len(sizes) / max(1, max_documents)))
    target = max(1, sum(sizes)) / parts
    bounds: list[tuple[int, int]] = []
    start, done = 0, 0
    for i, size in enumerate(sizes):
        done += size
        if i + 1 - start >= max_documents or done >= target * (len(bounds) + 1):
            bounds.append((start, i + 1))
            start = i + 1
    if start < len(sizes):
        bounds.append((start, len(sizes)))
    return bounds


@dataclass(frozen=True, slots=True)
class Plan:
    """How a run analyses its documents: the chunks, and the task runner to give them (None: in this process)."""

    chunks: list[list[Document]]
    runner: Callable[[], TaskRunner[Any]] | None
    where: str
    window: int = 1


def pool_min_characters(workers: int) -> int:
    """The fewest characters worth a pool of `workers` processes: below it, the pool costs more to start and stop
    than its other workers save (a share 1 - 1/workers of the analysis time)."""
    if workers <= 1:
        return sys.maxsize
    return math.ceil(POOL_START_SECONDS / (1 - 1 / workers) * ANALYSIS_CHARACTERS_PER_SECOND)


def plan_analysis(
    docs: Sequence[Document],
    workers: int | None = None,
    dask_address: str | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    min_pool_characters: int | None = None,
) -> Plan:
    """Where and in which chunks to analyse `docs`.

    With `dask_address`, on that Dask cluster, in chunks of `chunk_documents`. Otherwise on a local process pool
    of `workers` processes (default: every core this process may use), in at least two chunks per worker; with one
    worker, or fewer than `min_pool_characters` to read (default: `pool_min_characters`, where the pool starts to
    pay), in this process, in chunks of `chunk_documents`. Chunks are analysed, checked and loaded one after
    another (a `window` of them in flight on a runner), so that memory does not grow with the corpus.
    """
    sizes = [len(d.text) for d in docs]
    if dask_address:
        bounds = chunk_bounds(sizes, 1, chunk_documents)
        return Plan(
            [list(docs[a:b]) for a, b in bounds],
            _dask_runner(dask_address),
            f"Dask cluster {dask_address}",
            DASK_WINDOW,
        )
    workers = local_cores() if workers is None else max(1, workers)
    least = pool_min_characters(workers) if min_pool_characters is None else min_pool_characters
    if workers == 1 or sum(sizes) < least:
        bounds = chunk_bounds(sizes, 1, chunk_documents)
        return Plan([list(docs[a:b]) for a, b in bounds], None, "this process")
    rounds = max(CHUNKS_PER_WORKER, math.ceil(len(docs) / (max(1, chunk_documents) * workers)))
    bounds = chunk_bounds(sizes, workers * rounds, chunk_documents)
    workers = min(workers, len(bounds))
    return Plan(
        [list(docs[a:b]) for a, b in bounds],
        lambda: ProcessPoolTaskRunner(max_workers=workers),
        f"{workers} local worker processes",
        workers * WINDOW_PER_WORKER,
    )


def handed_out(chunks: list[list[Document]]) -> Iterator[list[Document]]:
    """The chunks in order, each dropped from `chunks` as it is handed out (the list ends empty): once a chunk is
    analysed, nothing here keeps its documents alive."""
    chunks.reverse()
    while chunks:
        yield chunks.pop()


def _dask_runner(address: str) -> Callable[[], TaskRunner[Any]]:
    def runner() -> TaskRunner[Any]:
        from prefect_dask import DaskTaskRunner  # imports dask.distributed: only for a run that uses it

        return DaskTaskRunner(address=address)

    return runner


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The flow run's logger inside a run, else this module's."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def stream_chunks(
    chunks: Iterable[list[Document]],
    runner: TaskRunner[Any],
    analysis_timeout_seconds: float,
    extractor_version: str,
    on_chunk: Callable[[int], None] | None = None,
    chunk_task: Any = analyse_chunk,
    window: int = 4,
) -> Iterator[Extracted]:
    """Run `chunk_task` (which returns `Packed` frames) over the chunks on `runner` and yield their frames in the
    chunks' order, each as soon as it and the chunks before it are done.

    At most `window` chunks are submitted and not yet yielded, so that the documents sent and the rows received
    in memory stay bounded whatever the number of chunks (a runner given every chunk at once holds them all,
    serialised). A chunk that fails as a whole on the runner (a worker process killed, a lost cluster worker) is
    analysed again in this process, document by document (each failure there rejects only its document).
    `on_chunk(n)` is told as each chunk of n documents is done. The chunks are taken from `chunks` as they are
    submitted, and a chunk is let go once its rows are taken.
    """
    window = max(1, window)
    upcoming = iter(chunks)
    pending: dict[int, tuple[PrefectFuture[Packed], list[Document]]] = {}
    finished: queue.SimpleQueue[int] = queue.SimpleQueue()  # indices of chunks done, in the order they finish
    ready: dict[int, Extracted] = {}
    submitted, yielded = 0, 0
    with runner:
        while True:
            while submitted - yielded < window and (chunk := next(upcoming, None)) is not None:
                parameters = {
                    # quoted: passed as they are, not walked through for futures to wait on
                    "docs": quote(chunk),
                    "analysis_timeout_seconds": analysis_timeout_seconds,
                    "extractor_version": extractor_version,
                }
                future = runner.submit(chunk_task, parameters)
                future.add_done_callback(lambda _, j=submitted: finished.put(j))
                pending[submitted] = (future, chunk)
                submitted += 1
            if yielded == submitted:
                return
            while yielded not in ready:
                j = finished.get()
                future, chunk = pending.pop(j)
                ready[j] = _result_or_here(future, chunk, analysis_timeout_seconds, extractor_version)
                if on_chunk:
                    on_chunk(len(chunk))
                del future, chunk
            yield ready.pop(yielded)
            yielded += 1


def _result_or_here(
    future: PrefectFuture[Packed], chunk: list[Document], analysis_timeout_seconds: float, extractor_version: str
) -> Extracted:
    """The chunk's frames from the runner, or, when it failed there as a whole, analysed again in this process."""
    try:
        return future.result().unpack()
    except Exception as exc:  # the chunk as a whole: its documents are analysed again here
        _logger().warning(
            "a chunk of %d documents failed on the task runner (%s: %s); analysing them here, one by one",
            len(chunk),
            type(exc).__name__,
            exc,
        )
        return framed(analyse_documents(chunk, analysis_timeout_seconds, extractor_version))
