"""The explorer of a published warehouse: robust on empty or missing files, texts recovered only when unchanged, an
entry page of bounded size, and document pages rewritten only when their document changed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from transforms.ingest import content_hash
from warehouse.explorer import (
    load_explorer_data,
    pages_folder,
    recover_text,
    run_summary_markdown,
    write_explorer,
)
from warehouse.explorer_page import page_name
from warehouse.store import SQL_DIR, apply_views, publish

TEXT = "全区458名政法干警,结案率69.11%。"  # "458 political-legal officers in the district, closure rate 69.11%."


def test_missing_and_empty_warehouses_give_a_page_and_a_summary(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    page = write_explorer(missing, tmp_path / "out" / "explorer.html")
    assert "no warehouse at" in page.read_text(encoding="utf-8")
    assert "no warehouse at" in run_summary_markdown(missing)

    empty = tmp_path / "empty.duckdb"
    publish(empty, lambda con: None)
    html = write_explorer(empty, tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert "records no run yet" in html and 'data-empty="true"' in html
    assert "records no run yet" in run_summary_markdown(empty)

    duckdb.connect(str(tmp_path / "bare.duckdb")).close()  # a DuckDB file without any table or view
    assert load_explorer_data(tmp_path / "bare.duckdb").run is None


def test_page_is_replaced_whole_and_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "explorer.html"
    out.write_text("old page", encoding="utf-8")
    write_explorer(tmp_path / "none.duckdb", out)
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
    html = _document_page(write_explorer(warehouse, tmp_path / "a.html"), "doc")
    assert '<mark id="m-' in html and 'data-start="2" data-end="6"' in html

    report.write_text(TEXT + "\n补充。", encoding="utf-8")  # edited after the run: offsets may no longer hold
    html = _document_page(write_explorer(warehouse, tmp_path / "a.html"), "doc")  # rewritten: it reads the file
    assert '<mark id="m-' not in html
    assert 'data-text="unavailable"' in html and "has changed since it was loaded" in html


def test_report_command_writes_the_page_beside_the_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    warehouse = tmp_path / "metrics.duckdb"
    assert main(["report", "--warehouse", str(warehouse)]) == 2  # nothing to show yet
    publish(warehouse, lambda con: None)
    assert main(["report", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "explorer.html")
    assert main(["report", "--warehouse", str(warehouse), "--out", str(tmp_path / "x" / "page.html")]) == 0
    assert (tmp_path / "x" / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
