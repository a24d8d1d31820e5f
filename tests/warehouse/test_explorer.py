"""The explorer of a published warehouse: robust on empty or missing files, texts recovered only when unchanged, an
entry page of bounded size, and document pages rewritten only when their document changed."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import plotly.offline
import pytest
from published_runs import publish_run, text_document

from transforms.ingest import Document, content_hash
from warehouse.backend import DuckDBFileWarehouse
from warehouse.explorer import (
    load_explorer_data,
    pages_folder,
    recover_text,
    run_summary_markdown,
    write_explorer,
    write_report,
)
from warehouse.explorer_page import page_name
from warehouse.store import SQL_DIR, apply_views, publish

TEXT = "全区458名政法干警,结案率69.11%。"  # "458 political-legal officers in the district, closure rate 69.11%."


def test_missing_and_empty_warehouses_give_a_page_and_a_summary(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    page = write_explorer(DuckDBFileWarehouse(missing), tmp_path / "out" / "explorer.html")
    assert "no warehouse at" in page.read_text(encoding="utf-8")
    assert "no warehouse at" in run_summary_markdown(DuckDBFileWarehouse(missing))

    empty = tmp_path / "empty.duckdb"
    DuckDBFileWarehouse(empty).publish(lambda con: None)
    html = write_explorer(DuckDBFileWarehouse(empty), tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert "records no run yet" in html and 'data-empty="true"' in html
    assert "records no run yet" in run_summary_markdown(DuckDBFileWarehouse(empty))

    duckdb.connect(str(tmp_path / "bare.duckdb")).close()  # a DuckDB file without any table or view
    assert load_explorer_data(DuckDBFileWarehouse(tmp_path / "bare.duckdb")).run is None


def test_page_is_replaced_whole_and_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "explorer.html"
    out.write_text("old page", encoding="utf-8")
    write_explorer(DuckDBFileWarehouse(tmp_path / "none.duckdb"), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["explorer.html"]


def test_text_is_recovered_from_the_file_only_while_its_hash_matches(tmp_path: Path) -> None:
    report = tmp_path / "doc.txt"
    report.write_text(TEXT, encoding="utf-8")
    stored = content_hash(report.read_bytes())
    assert recover_text(str(report), stored) == (TEXT, None)
    report.write_text(TEXT.replace("458", "459"), encoding="utf-8")
    text, note = recover_text(str(report), stored)
    assert text is None and note is not None and "has changed" in note
    report.unlink()
    text, note = recover_text(str(report), stored)
    assert text is None and note is not None and "no longer there" in note


def _warehouse_without_text_column(path: Path, report: Path) -> None:
    """A warehouse whose documents table predates the `text` column, with one document and one metric."""
    ddl = (SQL_DIR / "schema" / "tables.sql").read_text(encoding="utf-8")
    ddl = "\n".join(line for line in ddl.splitlines() if line.strip() != "text varchar not null,")
    digest = content_hash(report.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute(ddl)
        apply_views(con)
        con.execute(
            "insert into documents by name select 'doc' as doc_id, ? as content_hash, ? as source_path, "
            "'utf_8' as encoding, 20 as char_count, 40 as byte_count, 'v' as extractor_version, "
            "'v' as catalog_version, 'current' as status, 'r1' as run_id",
            [digest, str(report)],
        )
        con.execute(
            "insert into metrics by name select ? as metric_id, 'doc' as doc_id, ? as content_hash, "
            "2 as start_offset, 6 as end_offset, '458名' as mention, 458 as value, '名' as unit, "
            "'people' as unit_family, 'count' as kind, 0 as sentence_start, 20 as sentence_end, 'r1' as run_id",
            [f"{digest[:16]}:2:6", digest],
        )


def _document_page(entry: Path, doc_id: str) -> str:
    return (pages_folder(entry) / page_name(doc_id)).read_text(encoding="utf-8")


def test_older_warehouse_without_text_reads_the_unchanged_file(tmp_path: Path) -> None:
    report, warehouse = tmp_path / "doc.txt", tmp_path / "old.duckdb"
    report.write_text(TEXT, encoding="utf-8")
    _warehouse_without_text_column(warehouse, report)
    html = _document_page(write_explorer(DuckDBFileWarehouse(warehouse), tmp_path / "a.html"), "doc")
    assert '<mark id="m-' in html and 'data-start="2" data-end="6"' in html

    report.write_text(TEXT + "\n补充。", encoding="utf-8")  # edited after the run: offsets may no longer hold
    html = _document_page(
        write_explorer(DuckDBFileWarehouse(warehouse), tmp_path / "a.html"), "doc"
    )  # rewritten: it reads the file
    assert '<mark id="m-' not in html
    assert 'data-text="unavailable"' in html and "has changed since it was loaded" in html


def test_report_command_writes_the_page_beside_the_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    warehouse = tmp_path / "metrics.duckdb"
    assert main(["report", "--warehouse", str(warehouse)]) == 2  # nothing to show yet
    DuckDBFileWarehouse(warehouse).publish(lambda con: None)
    assert main(["report", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "explorer.html")
    assert main(["report", "--warehouse", str(warehouse), "--out", str(tmp_path / "x" / "page.html")]) == 0
    assert (tmp_path / "x" / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# A short court report (closure rate consistent with its counts, a completion rate that is not); each document of a
# corpus gets a distinct first line, so every one is its own document version.
REPORT = (
    "全市法院新收案件1379件,旧存68件,结案1000件,结案率69.11%。"
    "全年共受理群众来信来访5571条,办结3904条,办结率75%。"
    "全区458名政法干警。"
)


def _publish_run(target: Path, run_id: str, docs: list[Document], present: list[str]) -> None:
    """Publish one run into `target`: `docs` are the documents it (re-)extracted, `present` every doc id its input
    folder held (the others become missing)."""
    publish_run(target, run_id, docs, present, new=True)


def _corpus(n: int) -> list[Document]:
    return [text_document(f"report-{i:04d}", f"（第{i}份）\n{REPORT}") for i in range(n)]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Warehouses of 50 and 500 small documents, by number of documents."""
    built = {}
    for n in (50, 500):
        target = tmp_path_factory.mktemp(f"corpus-{n}") / "metrics.duckdb"
        docs = _corpus(n)
        _publish_run(target, "r1", docs, [d.doc_id for d in docs])
        built[n] = target
    return built


class _Links(HTMLParser):
    """The addresses a page links or loads (href, src) and the ids of its elements."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.addresses.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_entry_page_size_is_bounded_whatever_the_corpus(corpora: dict[int, Path], tmp_path: Path) -> None:
    sizes = {}
    for n, warehouse in corpora.items():
        built = write_report(DuckDBFileWarehouse(warehouse), tmp_path / f"corpus-{n}" / "explorer.html", entry_rows=20)
        assert (built.written, built.kept, built.deleted) == (n, 0, 0)
        assert len(list(built.pages.glob("*.html"))) == n + 1  # a page per document, and the index of them all
        sizes[n] = built.page.stat().st_size
        page = built.page.read_text(encoding="utf-8")
        assert f"First 20 of {n:,} documents (by id)" in page and "select * from metrics_by_document" in page
        assert "## Consistency:" in built.summary and "| documents read | " + str(n) in built.summary
    # ten times the documents, the same page: capped tables and charts over aggregates (only counts differ)
    assert abs(sizes[500] - sizes[50]) < 2_000, sizes
    plotly_js = len(plotly.offline.get_plotlyjs())
    assert sizes[500] - plotly_js < 200_000  # the page's own content, beside the embedded plotly.js


@pytest.mark.slow
def test_pages_shared_among_processes_are_the_pages_of_one(
    corpora: dict[int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = write_report(DuckDBFileWarehouse(corpora[50]), tmp_path / "alone" / "explorer.html")
    monkeypatch.setattr("warehouse.explorer.PARALLEL_PAGES", 10)  # 50 pages to write: shared among 3 processes
    shared = write_report(DuckDBFileWarehouse(corpora[50]), tmp_path / "shared" / "explorer.html", workers=3)
    assert (shared.written, shared.kept, shared.deleted) == (alone.written, 0, 0) == (50, 0, 0)
    names = sorted(p.name for p in alone.pages.iterdir())
    assert sorted(p.name for p in shared.pages.iterdir()) == names  # no page missing, no partial file left
    for name in names:
        assert (shared.pages / name).read_bytes() == (alone.pages / name).read_bytes(), name


def test_every_link_of_the_entry_page_and_the_document_pages_resolves(corpora: dict[int, Path], tmp_path: Path) -> None:
    built = write_report(DuckDBFileWarehouse(corpora[50]), tmp_path / "explorer.html")
    pages = [built.page, *built.pages.glob("*.html")]
    assert len(pages) == 52
    for page in pages:
        links = _links(page)
        for address in links.addresses:
            path, _, fragment = address.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.name} links {address}: no such file"
            if fragment:
                assert fragment in _links(target).ids, f"{page.name} links {address}: no such element"
    index = _links(built.page)
    assert {page_name(f"report-{i:04d}") for i in range(50)} <= {a.rpartition("/")[2] for a in index.addresses}


def test_an_unchanged_rebuild_rewrites_no_page_and_a_removed_document_loses_its_page(tmp_path: Path) -> None:
    warehouse, out = tmp_path / "metrics.duckdb", tmp_path / "explorer.html"
    docs = _corpus(3)
    _publish_run(warehouse, "r1", docs, [d.doc_id for d in docs])
    first = write_report(DuckDBFileWarehouse(warehouse), out)
    assert (first.written, first.kept, first.deleted) == (3, 0, 0)
    pages = {d.doc_id: first.pages / page_name(d.doc_id) for d in docs}
    stamps = {doc_id: (p.stat().st_ino, p.stat().st_mtime_ns) for doc_id, p in pages.items()}

    again = write_report(DuckDBFileWarehouse(warehouse), out)
    assert (again.written, again.kept, again.deleted) == (0, 3, 0)
    assert {doc_id: (p.stat().st_ino, p.stat().st_mtime_ns) for doc_id, p in pages.items()} == stamps

    # the next run: report-0000 loaded again unchanged, report-0001 edited, report-0002 gone from the input folder
    edited = text_document("report-0001", f"（第1份，修订）\n{REPORT}")
    _publish_run(warehouse, "r2", [docs[0], edited], ["report-0000", "report-0001"])
    third = write_report(DuckDBFileWarehouse(warehouse), out)
    assert (third.written, third.kept, third.deleted) == (1, 1, 1)
    assert (pages["report-0000"].stat().st_ino, pages["report-0000"].stat().st_mtime_ns) == stamps["report-0000"]
    assert "修订" in pages["report-0001"].read_text(encoding="utf-8")
    assert not pages["report-0002"].exists() and page_name("report-0002") not in out.read_text(encoding="utf-8")
    manifest = json.loads((third.pages / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(entry["doc_id"] for entry in manifest["pages"].values()) == ["report-0000", "report-0001"]
    assert not [p.name for p in third.pages.iterdir() if p.name.endswith(".partial")]


def test_a_page_is_rewritten_when_only_one_of_its_metrics_changed(tmp_path: Path) -> None:
    # a re-extraction can give the same document's metric another organisation: the page shows it, so it is stale
    warehouse, out = tmp_path / "metrics.duckdb", tmp_path / "explorer.html"
    docs = _corpus(3)
    _publish_run(warehouse, "r1", docs, [d.doc_id for d in docs])
    write_report(DuckDBFileWarehouse(warehouse), out)

    def reattribute(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "update metrics set org = '另一单位' where metric_id = (select min(metric_id) from metrics "
            "where doc_id = 'report-0001')"
        )

    publish(warehouse, reattribute)
    again = write_report(DuckDBFileWarehouse(warehouse), out)
    assert (again.written, again.kept, again.deleted) == (1, 2, 0)
    assert "另一单位" in (again.pages / page_name("report-0001")).read_text(encoding="utf-8")
