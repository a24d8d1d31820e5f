"""The build-warehouse flow: report files → decoded documents → metrics → validated frames → published DuckDB.

Reading the folder, planning and publishing are a task each. The documents to analyse stream through in chunks
(one task each, in this process, on a local process pool or on a Dask cluster: `flows.analysis`), and every batch of
about `LOAD_DOCUMENTS` is checked (`validate`) and loaded (`load_batch`) into a new, unpublished version of the
warehouse before the next, so that memory does not grow with the corpus; the failure share is decided once every
batch is in, and only then is the version completed and swapped into place (`finish_and_publish`). The flow only
sequences them. The run holds the warehouse's writer lock from reading the published state to the atomic swap, so
overlapping runs take turns. Only documents that are new, changed, or due for re-extraction are extracted (see
`warehouse.load`); a file whose size, modification time and inode are those recorded for its published document
is not even opened. A run that finds nothing new publishes nothing: the warehouse file and the explorer are left
as they are, and the summary says so.
"""

import gc
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import deployment, flow_run
from prefect.states import State
from prefect.utilities.annotations import quote

from flows.analysis import (
    CHUNK_DOCUMENTS,
    Extracted,
    analyse_documents,
    framed,
    handed_out,
    plan_analysis,
    stream_chunks,
)
from flows.progress import RunProgress
from flows.settings import local_cores
from transforms.indicators import load_catalog
from transforms.ingest import (
    DEFAULT_MAX_BYTES,
    Document,
    FileStat,
    Rejection,
    known_unchanged,
    printable,
    read_document,
    scan_inputs,
)
from transforms.rows import (
    from_rejection,
    rejection_frame,
)
from transforms.version import analysis_version
from validation.failures import Validated, failure_share, refusal, validate_frames
from validation.schemas import LINK_COLUMNS, METRIC_COLUMNS
from warehouse.backend import Warehouse, WarehouseBusy, WarehouseFull, open_warehouse
from warehouse.explorer import run_summary_markdown, write_report
from warehouse.load import (
    LoadPlan,
    Published,
    RunCounts,
    finish_run,
    indicator_frame,
    load_documents,
    nothing_new,
    plan_load,
    published_stats,
    run_row,
    stat_rows,
)
from warehouse.store import Version, layout_version


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one run did: documents read, new, changed and rejected, metrics loaded, and whether it published."""

    run_id: str
    documents_read: int
    documents_rejected: int
    metrics_loaded: int
    rows_rejected: int
    published: bool
    warehouse: str
    reason: str | None = None
    documents_new: int = 0
    documents_changed: int = 0
    documents_reextracted: int = 0
    documents_unchanged: int = 0
    documents_missing: int = 0
    metrics_total: int = 0
    failure_share: float = 0.0
    explorer: str | None = None
    warnings: tuple[str, ...] = ()
    files_read: int = 0
    files_known: int = 0
    unchanged_since: str | None = None

    @property
    def up_to_date(self) -> bool:
        """True for a run that found nothing new: it published nothing, and the warehouse published by run
        `unchanged_since` holds the inputs as they are."""
        return self.unchanged_since is not None

    @property
    def succeeded(self) -> bool:
        """The run published, or found nothing new to publish."""
        return self.published or self.up_to_date


def is_transient_io_failure(task: object, task_run: object, state: State) -> bool:
    """Retry condition: a task that failed on an I/O error (file briefly unavailable) is worth retrying; a full
    disk (`WarehouseFull`: it does not empty itself in seconds), a logic or a data error is not."""
    try:
        state.result()
    except (OSError, duckdb.IOException):
        return True
    except Exception:
        return False
    return False


# The explorer page every published run writes beside the warehouse file.
EXPLORER_FILE = "explorer.html"
# Reading and replacing the published file are retried on I/O errors, with growing pauses (seconds).
IO_RETRIES: dict[str, object] = {
    "retries": 3,
    "retry_delay_seconds": [1, 5, 15],
    "retry_condition_fn": is_transient_io_failure,
}


# Extract


@dataclass(slots=True)
class Ingested:
    """The input folder as a run found it: the files it read and decoded, those it knew unchanged from their
    listing alone ({doc_id: content_hash}, unopened), the rejections, for each file read its content hash, its
    listing and the listing when settled enough to identify the file next time (see `warehouse.load.stat_rows`),
    and how many files it opened."""

    documents: list[Document]
    known: dict[str, str]
    rejected: list[Rejection]
    stats: dict[str, tuple[str, FileStat | None, FileStat | None]] = field(default_factory=dict)
    files_read: int = 0

    @property
    def identities(self) -> list[tuple[str, str]]:
        """(doc_id, content_hash) of every file read or known, in doc_id order, as the load plan takes them."""
        pairs = [(d.doc_id, d.content_hash) for d in self.documents] + list(self.known.items())
        return sorted(pairs)


@task(cache_policy=NO_CACHE, **IO_RETRIES)
def read_warehouse(warehouse: Warehouse, rebuild: bool = False) -> Published:
    """The published state the run compares the inputs with; nothing for a rebuild (every document is new)."""
    return Published.nothing() if rebuild else warehouse.read_published()


@task(cache_policy=NO_CACHE)
def ingest(
    input_dir: Path,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    follow_symlinks_outside: bool = False,
    progress: RunProgress | None = None,
    own_outputs: list[Path] | None = None,
    published: dict[str, tuple[str, FileStat]] | None = None,
) -> Ingested:
    """List the input folder, then read and decode every report file under `input_dir` but those whose size,
    modification time and inode equal the ones `published` holds for their doc_id (the current documents of this
    analysis); unreadable or oversized ones, and entries that are not files to read (FIFOs, looping links, links
    out of the folder), become rejections.

    A document's `doc_id` is its path relative to `input_dir` and its `source_path` the path in printable form
    (see `transforms.ingest.input_doc_id`), so that two files never share an id and a file name that is not UTF-8
    is stored and shown safely. The run's `own_outputs` (the warehouse file and the files named after it, the
    explorer page, an export folder) are never read as reports, so a warehouse kept inside its input folder does
    not read itself back.
    """
    listing = scan_inputs(input_dir, follow_symlinks_outside, own_outputs or ())
    known = known_unchanged(listing, published or {})
    out = Ingested([], known, list(listing.skipped))
    to_read = [(path, doc_id) for path, doc_id in listing.files if doc_id not in known]
    out.files_read = len(to_read)
    if progress:
        progress.stage("read", len(listing.files))
        progress.advance(len(known))
    for path, doc_id in to_read:
        result = replace(read_document(path, max_file_bytes), doc_id=doc_id, source_path=printable(str(path)))
        if isinstance(result, Document):
            out.documents.append(result)
            out.stats[doc_id] = (result.content_hash, listing.stats.get(doc_id), listing.settled_stat(doc_id))
        else:
            out.rejected.append(result)
        if progress:
            progress.advance()
    return out


@task(cache_policy=NO_CACHE)
def plan(published: Published, ingested: Ingested) -> LoadPlan:
    """Compare the files read or known unchanged with the published warehouse: what is new, changed, due or
    unchanged (for a rebuild, `published` is empty and every document is new)."""
    return plan_load(ingested.identities, published.state, analysis_version(), load_catalog().version)


# Transform


# The longest one document's analysis may take before it is rejected (check `timeout`) so that the run goes on with
# the others while it holds the warehouse lock; analysis is linear in the text, a few seconds per MB at worst. The
# default of `build_warehouse`; a run reads REPORT_METRICS_ANALYSIS_TIMEOUT_SECONDS (`flows.settings`).
ANALYSIS_TIMEOUT_SECONDS = 300.0


@task(cache_policy=NO_CACHE)
def extract(
    docs: list[Document],
    progress: RunProgress | None = None,
    analysis_timeout_seconds: float = ANALYSIS_TIMEOUT_SECONDS,
) -> Extracted:
    """Metadata, metrics, canonical indicators, attribution and relations of every document given, in this process.

    A document whose extraction fails, or takes longer than `analysis_timeout_seconds`, is rejected (check
    `timeout`), not the batch. `progress` advances by one per document.
    """
    on_document = progress.advance if progress else None
    return _conformed(framed(analyse_documents(docs, analysis_timeout_seconds, analysis_version(), on_document)))


def _conformed(extracted: Extracted) -> Extracted:
    """`extracted` with exactly the models' metric and link columns, in their order (rows name them in that order;
    a chunk without metrics or links has no columns)."""
    metrics, links = extracted.metrics, extracted.links
    if tuple(metrics.columns) != METRIC_COLUMNS:
        metrics = metrics.reindex(columns=list(METRIC_COLUMNS))
    if tuple(links.columns) != LINK_COLUMNS:
        links = links.reindex(columns=list(LINK_COLUMNS))
    return replace(extracted, metrics=metrics, links=links)


# Documents checked and loaded in one step: enough that the schema checks' fixed cost (about 0.1 s a call) stays
# small beside the rows', few enough that a step's rows take tens of MB whatever the corpus size.
LOAD_DOCUMENTS = 1000


def extracted_batches(
    docs: list[Document], config: "RunConfig", progress: RunProgress, load_documents: int
) -> Iterator[Extracted]:
    """The documents' rows, batch by batch in the documents' order (batches of about `load_documents`), analysed
    where `config` says (see `flows.analysis.plan_analysis`): in this process, a chunk per task, or on a local
    process pool or a Dask cluster, a chunk per task with a few chunks in flight. The rows are the same wherever
    they were analysed; only a few chunks' documents and rows are in memory at once.

    `docs` is emptied as the chunks are handed out: the caller's other references to the documents are what keeps
    them (and their texts) in memory after their chunk is analysed.
    """
    how = plan_analysis(docs, config.workers, config.dask_address, config.chunk_documents, config.pool_min_characters)
    count = len(docs)
    progress.stage("extract", count)
    docs.clear()
    if how.runner is None:
        chunks: Iterator[Extracted] = (
            extract(quote(chunk), progress, config.analysis_timeout_seconds) for chunk in handed_out(how.chunks)
        )
    else:
        get_run_logger().info("analysing %d documents in %d chunks on %s", count, len(how.chunks), how.where)
        streamed = stream_chunks(
            handed_out(how.chunks),
            how.runner(),
            config.analysis_timeout_seconds,
            analysis_version(),
            progress.advance,
            window=how.window,
        )
        chunks = (_conformed(extracted) for extracted in streamed)
    batch: list[Extracted] = []
    in_batch = 0  # documents analysed or rejected in `batch`
    for extracted in chunks:
        batch.append(extracted)
        in_batch += len(extracted.documents) + len(extracted.rejections)
        if in_batch >= load_documents:
            yield _joined(batch)
            batch, in_batch = [], 0
    if batch:
        yield _joined(batch)


def _joined(parts: list[Extracted]) -> Extracted:
    if len(parts) == 1:
        return parts[0]
    return Extracted(
        pd.concat([p.documents for p in parts], ignore_index=True),
        pd.concat([p.metrics for p in parts], ignore_index=True),
        pd.concat([p.links for p in parts], ignore_index=True),
        [r for p in parts for r in p.rejections],
    )


@task(cache_policy=NO_CACHE)
def validate(extracted: Extracted, paths: dict[str, str]) -> Validated:
    """Gate documents, metrics and links through their schemas; failing rows become rejections with check and value
    (see `validation.failures`)."""
    return validate_frames(extracted.documents, extracted.metrics, extracted.links, len(extracted.rejections), paths)


# Load


@task(cache_policy=NO_CACHE)
def load_batch(version: Version, run_id: str, validated: Validated, stats: pd.DataFrame | None = None) -> None:
    """Write one batch of validated documents, metrics and links, with the documents' file listings `stats`, into
    the run's unpublished warehouse version."""
    load_documents(version.con, run_id, validated.documents, validated.metrics, validated.links, stats)


@task(cache_policy=NO_CACHE)
def finish_and_publish(
    version: Version,
    run: dict[str, object],
    rejections: pd.DataFrame,
    present: list[str],
    stats: pd.DataFrame | None = None,
) -> tuple[dict[str, object], list[str]]:
    """Complete the run in its warehouse version (listings, missing documents, catalog, rejections, its `runs`
    row) and publish the version at once; returns the `runs` row and the publish's warnings for the operator."""
    row = {**run, "finished_at": datetime.now(UTC).replace(tzinfo=None)}
    version.finishing()
    written = finish_run(version.con, row, rejections, present, indicator_frame(load_catalog()), stats)
    return written, version.publish()


# Report


@task(cache_policy=NO_CACHE)
def report(warehouse: Warehouse, explorer: Path, workers: int = 1) -> Path | None:
    """Write the explorer (entry page `explorer`) and the run summary as a Prefect artifact, both from one read of
    the published warehouse (the summary is read again only when the explorer could not be written).

    The run has already published: a failure here is logged, and does not fail the run.
    """
    try:
        built = write_report(warehouse, explorer, workers=workers)
        summary, page = built.summary, built.page
    except OSError as exc:
        get_run_logger().warning("explorer page not written: %s", exc)
        summary, page = run_summary_markdown(warehouse), None
    create_markdown_artifact(summary, key="run-summary", description="What this build-warehouse run did")
    return page


def _refused(summary: RunSummary, reason: str) -> RunSummary:
    """The summary of a run that did not publish, with its reason logged on the flow run."""
    get_run_logger().error("build-warehouse did not publish: %s", reason)
    return replace(summary, published=False, reason=reason)


def summary_line(summary: RunSummary) -> str:
    """One line saying what a finished run did, as `serve` prints it for each scheduled run."""
    if summary.up_to_date:
        return (
            f"run {summary.run_id}: nothing new in {summary.documents_read} files "
            f"({summary.documents_rejected} rejected): {summary.warehouse} left as run {summary.unchanged_since} "
            "published it"
        )
    if not summary.published:
        return f"run {summary.run_id}: NOT published: {summary.reason}"
    return (
        f"run {summary.run_id}: published {summary.warehouse}: {summary.documents_new} new, "
        f"{summary.documents_changed} changed, {summary.documents_missing} missing, "
        f"{summary.documents_rejected} rejected; {summary.metrics_loaded} metrics loaded "
        f"(in the warehouse: {summary.metrics_total})"
    )


@flow(name="build-warehouse", log_prints=False)
def build_warehouse(
    input_dir: Path,
    warehouse: Path,
    max_failure_share: float = 0.05,
    rebuild: bool = False,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 600.0,
    follow_symlinks_outside: bool = False,
    analysis_timeout_seconds: float = ANALYSIS_TIMEOUT_SECONDS,
    workers: int | None = None,
    dask_address: str | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    pool_min_characters: int | None = None,
) -> RunSummary:
    """Build or refresh the metrics warehouse at `warehouse` from the report files under `input_dir`.

    With `rebuild`, the warehouse is built anew from the inputs alone (the way out of a corrupt file, which is
    kept beside it as `<name>.broken-<time>`). A run that finds another one writing the same warehouse waits for
    it up to `lock_wait_seconds`, then gives up without publishing. Symbolic links to files outside `input_dir`
    are read only with `follow_symlinks_outside`. A document whose analysis takes longer than
    `analysis_timeout_seconds` is rejected (check `timeout`) and the others are published. Documents are analysed
    in chunks of at most `chunk_documents` on the Dask cluster at `dask_address` (a scheduler address such as
    `tcp://10.0.0.5:8786`), else on `workers` local processes (default: every core; one, or a batch under
    `pool_min_characters`, stays in the run's own process); the rows are the same wherever they ran. A scheduled
    run (from a deployment) prints one line when done.
    """
    config = RunConfig(
        Path(input_dir),
        Path(warehouse),
        max_failure_share,
        rebuild,
        max_file_bytes,
        lock_wait_seconds,
        follow_symlinks_outside,
        analysis_timeout_seconds,
        workers,
        dask_address or None,
        chunk_documents,
        pool_min_characters,
    )
    progress = RunProgress(artifact=True)
    summary = RunSummary(uuid.uuid4().hex, 0, 0, 0, 0, published=False, warehouse=str(warehouse))
    try:
        summary = _build(summary, config, progress)
    finally:
        progress.close(completed=summary.succeeded)
    if deployment.id:
        print(summary_line(summary), flush=True)
    return summary


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What one run was asked to do: the flow's parameters, passed whole to its stages (see `build_warehouse`)."""

    input_dir: Path
    warehouse: Path
    max_failure_share: float = 0.05
    rebuild: bool = False
    max_file_bytes: int = DEFAULT_MAX_BYTES
    lock_wait_seconds: float = 600.0
    follow_symlinks_outside: bool = False
    analysis_timeout_seconds: float = ANALYSIS_TIMEOUT_SECONDS
    workers: int | None = None
    dask_address: str | None = None
    chunk_documents: int = CHUNK_DOCUMENTS
    pool_min_characters: int | None = None

    @property
    def own_outputs(self) -> list[Path]:
        """The files a run writes beside the warehouse, never to be read back as input."""
        return [self.warehouse, self.explorer, self.warehouse.with_name("parquet")]

    @property
    def explorer(self) -> Path:
        """The explorer's entry page, beside the warehouse."""
        return self.warehouse.with_name(EXPLORER_FILE)


def _build(nothing: RunSummary, config: RunConfig, progress: RunProgress) -> RunSummary:
    if not config.input_dir.is_dir():
        return _refused(
            nothing, f"input folder {config.input_dir} does not exist (not mounted?); nothing was read or changed"
        )
    warehouse = open_warehouse(config.warehouse)
    try:
        with warehouse.locked(config.lock_wait_seconds):
            summary = _build_locked(nothing, config, warehouse, progress)
    except WarehouseBusy as exc:
        return _refused(nothing, str(exc))
    explorer = config.explorer
    if summary.up_to_date and explorer.exists():
        get_run_logger().info(
            "nothing new: %s and %s left as run %s published them",
            warehouse.location,
            explorer,
            summary.unchanged_since,
        )
        create_markdown_artifact(
            _unchanged_markdown(summary), key="run-summary", description="What this build-warehouse run did"
        )
        return replace(summary, explorer=str(explorer))
    if not summary.succeeded:
        return summary
    page = report(warehouse, explorer, config.workers or local_cores())
    return replace(summary, explorer=str(page) if page else None)


def _unchanged_markdown(summary: RunSummary) -> str:
    return (
        f"# Nothing new: run {summary.run_id} published nothing\n\n"
        f"{summary.documents_read} files found ({summary.files_read} of them read; the others known unchanged by "
        f"size, modification time and inode), {summary.documents_unchanged} documents unchanged, "
        f"{summary.documents_rejected} files rejected as before. The warehouse `{summary.warehouse}` and its "
        f"explorer are as run `{summary.unchanged_since}` published them.\n"
    )


def _rejection_row(rejection: Rejection) -> dict[str, object]:
    return from_rejection(rejection, content_hash=rejection.content_hash)


def _build_locked(nothing: RunSummary, config: RunConfig, warehouse: Warehouse, progress: RunProgress) -> RunSummary:
    """The run's stages, under the writer lock: `nothing` is the summary of a run that has done nothing yet."""
    rebuild = config.rebuild
    started = datetime.now(UTC).replace(tzinfo=None)
    problem = warehouse.problem()
    if problem and problem.held:
        return _refused(nothing, f"the warehouse file {warehouse.location} is {problem.reason}; nothing was changed")
    if problem and not rebuild:
        return _refused(
            nothing,
            f"the warehouse file {warehouse.location} cannot be read ({problem.reason}); it was left as it is. "
            "Rebuild it from the inputs with: report-metrics run --rebuild",
        )
    if problem:
        warehouse.keep_broken(started)
    published = read_warehouse(warehouse, rebuild)
    ingested = ingest(
        config.input_dir,
        config.max_file_bytes,
        config.follow_symlinks_outside,
        progress,
        config.own_outputs,
        published_stats(published.state, analysis_version(), load_catalog().version),
    )
    load_plan = plan(quote(published), quote(ingested))
    run = _Run(nothing, config, started, published, ingested, load_plan)
    if not load_plan.to_extract and not rebuild and run.nothing_new(_Loaded()):
        return run.up_to_date()
    try:
        with warehouse.new_version(fresh=rebuild) as version:
            return _load_and_publish(run, version, progress)
    except WarehouseFull as exc:
        return _refused(run.summary(_Loaded()), f"the disk is full ({exc}); the published warehouse was left unchanged")


@dataclass(slots=True)
class _Loaded:
    """What a run has analysed, checked and loaded so far, summed over its batches."""

    doc_ids: set[str] = field(default_factory=set)
    metrics: int = 0
    extraction_rejections: list[dict[str, object]] = field(default_factory=list)
    document_failures: list[dict[str, object]] = field(default_factory=list)
    metric_failures: list[dict[str, object]] = field(default_factory=list)
    documents_rejected: int = 0
    rows_rejected: int = 0
    checked: int = 0
    failed: int = 0

    def add(self, extracted: Extracted, validated: Validated) -> None:
        self.doc_ids.update(validated.documents["doc_id"])
        self.metrics += len(validated.metrics)
        self.extraction_rejections += extracted.rejections
        self.document_failures += validated.document_failures
        self.metric_failures += validated.metric_failures
        self.documents_rejected += validated.documents_rejected
        self.rows_rejected += validated.rows_rejected
        self.checked += validated.checked
        self.failed += validated.failed


@dataclass(slots=True)
class _Run:
    """One run's inputs as read and planned, and the summary, rows and checks that follow from them."""

    nothing: RunSummary
    config: RunConfig
    started: datetime
    published: Published
    ingested: Ingested
    load_plan: LoadPlan

    @property
    def due(self) -> list[Document]:
        """The documents to analyse, in doc_id order."""
        due = self.load_plan.to_extract
        return [d for d in self.ingested.documents if d.doc_id in due]

    def take_due(self) -> list[Document]:
        """The documents to analyse (`due`), handed over with their texts: from now on the run keeps every document
        it read without its text and layout (it still needs their ids, paths and hashes), so that each text is
        freed once its chunk is analysed. A 100,000-document run held 0.9 GB of texts to its end before."""
        due = self.due
        self.ingested.documents = [replace(d, text="", layout=None) for d in self.ingested.documents]
        return due

    @property
    def paths(self) -> dict[str, str]:
        return {d.doc_id: d.source_path for d in self.ingested.documents}

    @property
    def present(self) -> list[str]:
        """Every doc id found in the input folder: read, known unchanged or rejected."""
        ingested = self.ingested
        return [d.doc_id for d in ingested.documents] + list(ingested.known) + [r.doc_id for r in ingested.rejected]

    def duplicates(self) -> list[dict[str, object]]:
        """The rejection rows of the files holding the content of another."""
        hashes = {d.doc_id: d.content_hash for d in self.ingested.documents}
        paths = self.paths
        already = set(self.load_plan.unchanged) | set(self.load_plan.reextracted)
        return [
            from_rejection(
                Rejection(
                    doc_id,
                    paths[doc_id],
                    "plan",
                    "duplicate_content",
                    f"same content as {owner}, {'already loaded' if owner in already else 'loaded instead'}",
                ),
                content_hash=hashes[doc_id],
            )
            for doc_id, owner in self.load_plan.duplicates
        ]

    def rejections(self, loaded: _Loaded) -> pd.DataFrame:
        """Every rejection row of the run, in the same order however its documents were batched."""
        return rejection_frame(
            [_rejection_row(r) for r in self.ingested.rejected]
            + self.duplicates()
            + loaded.extraction_rejections
            + loaded.document_failures
            + loaded.metric_failures
        )

    def stats(self, loaded: _Loaded) -> pd.DataFrame:
        """The file listings the run records: of the documents it loaded, and of unchanged ones read again."""
        return stat_rows(self.ingested.stats, loaded.doc_ids, self.load_plan.unchanged, self.published.state)

    def loaded_stats(self, doc_ids: set[str]) -> pd.DataFrame:
        """The file listings of the documents `doc_ids`, loaded by this run (written with their rows)."""
        recorded = self.ingested.stats
        return stat_rows({d: recorded[d] for d in doc_ids if d in recorded}, doc_ids, (), self.published.state[:0])

    def unchanged_stats(self) -> pd.DataFrame:
        """The new file listings of unchanged documents read again (set on their rows when the run completes)."""
        return stat_rows(self.ingested.stats, (), self.load_plan.unchanged, self.published.state)

    def summary(self, loaded: _Loaded) -> RunSummary:
        ingested, load_plan = self.ingested, self.load_plan
        return replace(
            self.nothing,
            documents_read=len(ingested.documents) + len(ingested.known) + len(ingested.rejected),
            files_read=ingested.files_read,
            files_known=len(ingested.known),
            documents_rejected=len(ingested.rejected) + len(load_plan.duplicates) + loaded.documents_rejected,
            metrics_loaded=loaded.metrics,
            rows_rejected=loaded.rows_rejected,
            documents_new=len(load_plan.new),
            documents_changed=len(load_plan.changed),
            documents_reextracted=len(load_plan.reextracted),
            documents_unchanged=len(load_plan.unchanged),
            failure_share=failure_share(loaded.checked, loaded.failed),
        )

    def nothing_new(self, loaded: _Loaded) -> bool:
        """True when publishing would add nothing but the run's own `runs` row (see `warehouse.load.nothing_new`).
        A run that loaded documents is known new before its listings and rejections are gathered (a second at
        100,000 documents)."""
        return not loaded.doc_ids and nothing_new(
            self.published,
            loaded.doc_ids,
            self.stats(loaded),
            self.rejections(loaded)["rejection_id"],
            self.present,
            load_catalog().version,
            layout_version(),
        )

    def up_to_date(self, loaded: _Loaded | None = None) -> RunSummary:
        """The summary of a run that found nothing new: nothing published, the warehouse as the last run left it."""
        last_run = self.published.last_run[0] if self.published.last_run else None
        summary = self.summary(loaded or _Loaded())
        return replace(summary, unchanged_since=last_run, metrics_total=self.published.metrics_total)


def _load_and_publish(run: _Run, version: Version, progress: RunProgress) -> RunSummary:
    """Analyse, check and load the run's due documents batch by batch into `version`, then complete and publish it,
    unless too many rows failed the checks or nothing turned out new (the version is then discarded)."""
    config, loaded, paths = run.config, _Loaded(), run.paths
    run_id = run.nothing.run_id
    # The objects alive now (Prefect, pandas, the documents read) live through the batches: frozen, the collection
    # after each batch skips them (0.3 CPU-s a batch when it walked them too, 3 CPU-s in a 10,000-document run).
    gc.freeze()
    try:
        for extracted in extracted_batches(run.take_due(), config, progress, LOAD_DOCUMENTS):
            # quoted, a task's parameters are passed as they are: Prefect would walk each of their values looking
            # for futures to wait on (3 CPU-s of a 10,000-document run, most of it in the thousands of paths)
            validated = validate(quote(extracted), quote(paths))
            stats = run.loaded_stats(set(validated.documents["doc_id"]))
            load_batch(version, run_id, quote(validated), quote(stats))
            loaded.add(extracted, validated)
            del extracted, validated
            # A task runner's futures hold a chunk's rows in reference cycles (a future and its done-callbacks),
            # which Python frees only in a full collection, rare among a run's many long-lived objects: without one
            # per batch, a 10,000-document run peaked 0.4 GB higher (1.28 GB instead of 0.86 GB).
            gc.collect()
    finally:
        gc.unfreeze()
    summary = run.summary(loaded)
    too_many = refusal(summary.failure_share, config.max_failure_share)
    if too_many:
        return _refused(summary, too_many)
    if not config.rebuild and run.nothing_new(loaded):
        return run.up_to_date(loaded)
    counts = RunCounts(
        summary.documents_read,
        summary.documents_new,
        summary.documents_changed,
        summary.documents_reextracted,
        summary.documents_unchanged,
        summary.documents_rejected,
        summary.metrics_loaded,
        summary.rows_rejected,
        summary.failure_share,
    )
    row = run_row(run_id, run.started, counts, config.max_failure_share, flow_run.id)
    progress.stage("publish", 1)
    written, warnings = finish_and_publish(
        version, row, quote(run.rejections(loaded)), quote(run.present), quote(run.unchanged_stats())
    )
    for warning in warnings:
        get_run_logger().warning(warning)
    return replace(
        summary,
        published=True,
        documents_missing=int(written["documents_missing"]),  # type: ignore[call-overload]
        metrics_total=int(written["metrics_total"]),  # type: ignore[call-overload]
        warnings=tuple(warnings),
    )
