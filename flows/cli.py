"""Command line: `report-metrics run` builds the warehouse with a Prefect flow run; `extract` prints metrics."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.serve import DEFAULT_CRON, DEFAULT_TIMEZONE
from flows.settings import Settings, local_cores
from transforms.analyse import analyse
from transforms.ingest import Document, printable, read_document

if TYPE_CHECKING:
    from prefect.settings import Setting

    from warehouse.backend import Warehouse


def _run_parameters(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The flow parameters that `run` and `serve` take from the settings, or from their own options."""
    return {
        "max_failure_share": settings.max_failure_share,
        "max_file_bytes": settings.max_file_bytes,
        "lock_wait_seconds": settings.lock_wait_seconds,
        "follow_symlinks_outside": args.follow_symlinks or settings.follow_symlinks_outside,
        "analysis_timeout_seconds": settings.analysis_timeout_seconds,
        "workers": settings.workers,
        "dask_address": args.dask_address or settings.dask_address,
        "chunk_documents": settings.chunk_documents,
        "pool_min_characters": settings.pool_min_characters,
    }


def run_settings(url: str, own_server: bool) -> dict[Setting, Any]:
    """The Prefect settings of a one-off run against the API at `url` (`own_server`: one started for this run).

    Heartbeats let a server mark a run crashed when they stop. A server started for one run ends with it, so
    they are off there: the flow's heartbeat thread sleeps in one-second steps, and waiting for it held the end
    of every run by 0.5 s on average (measured).
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    return {PREFECT_API_URL: url, **({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None} if own_server else {})}


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from prefect.settings import temporary_settings

    from flows.serve import ServerStartError, configured_api_url, prefect_api

    input_dir: Path = args.input or settings.input_dir
    if not input_dir.is_dir():
        print(f"report-metrics: input folder not found: {input_dir}", file=sys.stderr)
        return 2
    own_server = configured_api_url() is None
    try:
        # a local Prefect server for this run only, ended with this process even if it is killed
        # the flow (pandas, pandera, DuckDB, the analysis) is imported while the server starts
        with (
            prefect_api(scheduler=False, while_starting=lambda: importlib.import_module("flows.pipeline")) as url,
            temporary_settings(run_settings(url, own_server)),
        ):
            from flows.pipeline import build_warehouse

            summary = build_warehouse(
                input_dir,
                args.warehouse or settings.warehouse_path,
                rebuild=args.rebuild,
                **_run_parameters(args, settings),
            )
            # send the run's last log lines while its server still listens (else they fail noisily at exit)
            from prefect.logging.handlers import APILogWorker

            APILogWorker.drain_all(timeout=5)
    except ServerStartError as exc:
        print(f"report-metrics: {exc}", file=sys.stderr)
        return 1
    print(
        f"documents read:     {summary.documents_read} "
        f"({summary.documents_new} new, {summary.documents_changed} changed, "
        f"{summary.documents_unchanged} unchanged, {summary.documents_reextracted} re-extracted, "
        f"{summary.documents_missing} missing)"
    )
    print(
        f"files opened:       {summary.files_read} "
        f"({summary.files_known} known unchanged from their size, modification time and inode, unopened)"
    )
    print(f"documents rejected: {summary.documents_rejected}")
    if summary.published:
        print(f"metrics loaded:     {summary.metrics_loaded} (in the warehouse: {summary.metrics_total})")
    elif summary.up_to_date:
        print(f"metrics loaded:     0 (nothing new: nothing published; in the warehouse: {summary.metrics_total})")
    else:
        print(f"metrics checked:    {summary.metrics_loaded} (none published: the warehouse is unchanged)")
    print(f"rows rejected:      {summary.rows_rejected}")
    for warning in summary.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    if not summary.succeeded:
        print(f"NOT published: {summary.reason}", file=sys.stderr)
        return 1
    if summary.up_to_date:
        print(f"warehouse:          {summary.warehouse} (unchanged: as run {summary.unchanged_since} published it)")
    else:
        print(f"warehouse:          {summary.warehouse} (run {summary.run_id})")
    if summary.explorer:
        print(f"explorer:           {summary.explorer}{' (unchanged)' if summary.up_to_date else ''}")
    return 0


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from flows.serve import ScheduleError, ServerStartError, serve

    try:
        serve(
            args.input or settings.input_dir,
            args.warehouse or settings.warehouse_path,
            cron=args.cron,
            timezone=args.timezone,
            interval_seconds=args.interval,
            **_run_parameters(args, settings),
        )
    except ScheduleError as exc:
        print(f"report-metrics: bad schedule: {exc}; nothing was started", file=sys.stderr)
        return 2
    except ServerStartError as exc:
        print(f"report-metrics: {exc}", file=sys.stderr)
        return 1
    return 0


def _published(location: Path) -> Warehouse | None:
    """The published warehouse at `location` the command reads, or None (after saying so) when there is none yet."""
    from warehouse.backend import open_warehouse

    warehouse = open_warehouse(location)
    if warehouse.exists():
        return warehouse
    print(f"report-metrics: no warehouse at {warehouse.location}; run `report-metrics run` first", file=sys.stderr)
    return None


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.export import ExportError, export_parquet

    warehouse = _published(args.warehouse or settings.warehouse_path)
    if warehouse is None:
        return 2
    try:
        written = export_parquet(warehouse, args.out)
    except ExportError as exc:
        print(f"report-metrics: export failed: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.explorer import write_explorer

    location: Path = args.warehouse or settings.warehouse_path
    warehouse = _published(location)
    if warehouse is None:
        return 2
    workers = settings.workers or local_cores()
    print(write_explorer(warehouse, args.out or location.with_name("explorer.html"), workers))
    return 0


def _metric_records(doc: Document) -> list[dict[str, object]]:
    """The metrics of one file as JSON records: `doc_id` is its name without folder or extension (the
    evaluation's convention), `source_path` the path as given, both in printable form."""
    reading = analyse(doc.text, layout=doc.layout, source_name=doc.doc_id, content_hash=doc.content_hash)
    doc_id, source_path = printable(doc.doc_id), printable(doc.source_path)
    return [record._replace(doc_id=doc_id).json(source_path) for record in reading.records]


def _cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    status = 0
    out = sys.stdout
    for path in args.files:
        if not path.is_file():  # a FIFO would block the read forever; a folder is no report
            print(f"report-metrics: {printable(str(path))}: not a regular file, not read", file=sys.stderr)
            status = 1
            continue
        result = read_document(path)
        if not isinstance(result, Document):
            print(
                f"report-metrics: {printable(str(path))}: rejected ({result.check}): {result.reason}", file=sys.stderr
            )
            status = 1
            continue
        records = _metric_records(result)
        if args.format == "jsonl":
            for rec in records:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            out.write(f"# {result.doc_id}: {len(records)} metrics\n")
            for rec in records:
                out.write(
                    f"{rec['start']:>6} {rec['mention']:<14} {rec['value']!s:>12} {rec['unit'] or '-':<5} "
                    f"{rec['kind']:<10} {rec['approx'] or '-':<9} {rec['subject'] or '-'}  "
                    f"[{rec['org'] or '-'} · {rec['region'] or '-'}]\n"
                )
    return status


_DASK_HELP = (
    "analyse the documents on the Dask cluster whose scheduler is at this address, e.g. tcp://10.0.0.5:8786 "
    "(env REPORT_METRICS_DASK_ADDRESS; default: local worker processes)"
)
_FOLLOW_HELP = (
    "read symbolic links that point outside the input folder (env REPORT_METRICS_FOLLOW_SYMLINKS=1); "
    "by default they are recorded as rejections, unread"
)


def build_parser() -> argparse.ArgumentParser:
    """The `report-metrics` argument parser."""
    parser = argparse.ArgumentParser(prog="report-metrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the Prefect flow: ingest, extract, validate, load and publish")
    run.add_argument("--input", type=Path, help="folder of report files (default: seeds/)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file to publish (default: warehouse/metrics.duckdb)")
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="build the warehouse anew from the inputs (e.g. after a corrupt file; the old one is kept as .broken-*)",
    )
    run.add_argument("--follow-symlinks", action="store_true", help=_FOLLOW_HELP)
    run.add_argument("--dask-address", metavar="ADDRESS", help=_DASK_HELP)
    run.set_defaults(func=_cmd_run)
    srv = sub.add_parser("serve", help="run the flow on a schedule as a Prefect deployment (starts a local server)")
    srv.add_argument(
        "--input", type=Path, help="inbox folder of report files (default: REPORT_METRICS_INPUT or seeds/)"
    )
    srv.add_argument("--warehouse", type=Path, help="DuckDB file to publish (default: warehouse/metrics.duckdb)")
    srv.add_argument(
        "--cron",
        default=os.environ.get("REPORT_METRICS_CRON", DEFAULT_CRON),
        help=f"cron schedule (env REPORT_METRICS_CRON; default '{DEFAULT_CRON}', daily at 06:00)",
    )
    srv.add_argument(
        "--timezone",
        default=os.environ.get("REPORT_METRICS_TIMEZONE", DEFAULT_TIMEZONE),
        help=f"time zone of the schedule (env REPORT_METRICS_TIMEZONE; default {DEFAULT_TIMEZONE})",
    )
    srv.add_argument("--interval", type=float, help="run every N seconds instead of on the cron schedule")
    srv.add_argument("--follow-symlinks", action="store_true", help=_FOLLOW_HELP)
    srv.add_argument("--dask-address", metavar="ADDRESS", help=_DASK_HELP)
    srv.set_defaults(func=_cmd_serve)
    exp = sub.add_parser("export", help="write the published tables to Parquet files")
    exp.add_argument("--warehouse", type=Path, help="DuckDB file to read (default: warehouse/metrics.duckdb)")
    exp.add_argument("--out", type=Path, default=Path("warehouse/parquet"), help="folder for the .parquet files")
    exp.set_defaults(func=_cmd_export)
    rep = sub.add_parser("report", help="write the explorer: one self-contained HTML page of the warehouse")
    rep.add_argument("--warehouse", type=Path, help="DuckDB file to read (default: warehouse/metrics.duckdb)")
    rep.add_argument("--out", type=Path, help="HTML file to write (default: explorer.html beside the warehouse)")
    rep.set_defaults(func=_cmd_report)
    ext = sub.add_parser("extract", help="print the metrics of report files without touching the warehouse")
    ext.add_argument("files", nargs="+", type=Path)
    ext.add_argument("--format", choices=("jsonl", "table"), default="table")
    ext.set_defaults(func=_cmd_extract)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `report-metrics` console script."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args, Settings.from_env()))
    except BrokenPipeError:
        # the reader of our output went away (`| head`): stop quietly, as command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
