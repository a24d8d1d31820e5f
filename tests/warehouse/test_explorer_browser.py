"""The explorer in a real headless Chromium: the entry page's charts drawn, marks on the document pages exactly at
the warehouse's metric spans.

Chromium is Debian's package, installed with apt-get by the session fixture when missing (the test is skipped, with
the reason, only if that fails). The page is opened from a file with Chromium kept off the network, its DOM dumped
after the scripts ran, and parsed here.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

from flows.pipeline import build_warehouse
from transforms.ingest import Document, read_document
from warehouse.backend import DuckDBFileWarehouse
from warehouse.explorer import pages_folder, write_explorer
from warehouse.explorer_page import CHART_IDS, page_name
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _browser_module() -> ModuleType:
    """scripts/screenshot_explorer.py, which finds, installs and drives Chromium (one place for its flags)."""
    path = PROJECT_ROOT / "scripts" / "screenshot_explorer.py"
    spec = importlib.util.spec_from_file_location("screenshot_explorer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BROWSER = _browser_module()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system Chromium, installed with apt-get if missing."""
    path, how = BROWSER.install_chromium()
    if path is None:
        pytest.skip(f"no headless Chromium: {how}")
    return str(path)


class _Dom(HTMLParser):
    """What the test checks in a dumped DOM: marks with their text, main-svg elements per chart, document texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict[str, str]] = []
        self.chart_svgs: dict[str, int] = {}
        self.documents: dict[str, str] = {}  # doc id → data-text (available / unavailable)
        self.texts: dict[str, str] = {}  # doc id → text content of its .doc-text box
        self.body: dict[str, str] = {}
        self.dimmed: set[str] = set()
        self.selected: str | None = None
        self._stack: list[tuple[str, str | None, str | None]] = []  # (tag, chart id, doc id of a .doc-text box)
        self._doc: str | None = None
        self._mark: dict[str, str] | None = None

    def _inside(self, index: int) -> str | None:
        return next((entry[index] for entry in reversed(self._stack) if entry[index]), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        chart = self._inside(1)
        if tag == "body":
            self.body = a
        if tag == "article" and "doc" in classes:
            self._doc = a["id"].removeprefix("doc-")
            self.documents[self._doc] = a.get("data-text", "")
        if tag == "svg" and "main-svg" in classes and chart:
            self.chart_svgs[chart] = self.chart_svgs.get(chart, 0) + 1
        if tag == "mark":
            self._mark = {**a, "text": ""}
            if "dim" in classes:
                self.dimmed.add(a["data-metric-id"])
            if "selected" in classes:
                self.selected = a["data-metric-id"]
        if tag in _VOID:
            return
        own_chart = a.get("id") if a.get("id") in CHART_IDS else None
        text_box = self._doc if "doc-text" in classes else None
        if text_box:
            self.texts[text_box] = ""
        self._stack.append((tag, own_chart, text_box))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        if tag in _VOID:
            return
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark["text"] += data
        box = self._inside(2)
        if box is not None:
            self.texts[box] += data


def _dom(chromium: str, page: Path, address: str = "") -> _Dom:
    dom = _Dom()
    dom.feed(BROWSER.dump_dom(chromium, page, address))
    return dom


@pytest.fixture(scope="module")
def explorer(prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A warehouse built from the seed reports (plus an empty file, rejected) by a real flow run, and its page."""
    root = tmp_path_factory.mktemp("explorer")
    inbox = root / "inbox"
    shutil.copytree(PROJECT_ROOT / "seeds", inbox)
    (inbox / "empty.txt").write_bytes(b"")
    warehouse = root / "metrics.duckdb"
    assert build_warehouse(inbox, warehouse).published
    return warehouse, write_explorer(DuckDBFileWarehouse(warehouse), root / "explorer.html")


def test_charts_render_and_marks_match_the_warehouse_metrics(chromium: str, explorer: tuple[Path, Path]) -> None:
    warehouse, page = explorer
    dom = _dom(chromium, page)

    assert dom.body.get("data-explorer-ready") == "true"  # the page's script ran to its end
    assert {chart: dom.chart_svgs.get(chart, 0) >= 1 for chart in CHART_IDS} == dict.fromkeys(CHART_IDS, True)

    with connect_read_only(warehouse) as con:
        rows = con.execute(
            "select m.metric_id, m.doc_id, m.start_offset, m.end_offset, m.mention, d.source_path from metrics m "
            "join documents d using (content_hash) where d.status = 'current'"
        ).fetchall()
        rejected = con.execute("select doc_id, check_name from rejections").fetchall()
    metrics = {r[0]: r for r in rows}
    assert len(metrics) >= 20

    marks: list[dict[str, str]] = []
    for doc_id, source_path in {(r[1], r[5]) for r in rows}:
        document_dom = _dom(chromium, pages_folder(page) / page_name(doc_id))
        assert document_dom.body.get("data-explorer-ready") == "true"  # the shared script, loaded beside the page
        assert document_dom.documents == {doc_id: "available"}
        document = read_document(Path(source_path))
        assert isinstance(document, Document)
        assert document_dom.texts[doc_id] == document.text.replace("\r\n", "\n")  # highlighting left it intact
        marks += document_dom.marks
    for mark in marks:
        _, doc_id, start, end, mention, _ = metrics[mark["data-metric-id"]]
        assert (mark["data-doc"], int(mark["data-start"]), int(mark["data-end"])) == (doc_id, start, end)
        assert mark["text"] == mention
    assert sorted(m["data-metric-id"] for m in marks) == sorted(metrics)  # every metric has its mark, once
    assert rejected == [("empty.txt", "empty")]
    assert ">empty.txt</td>" in page.read_text(encoding="utf-8")


def test_filters_and_selection_from_the_address(chromium: str, explorer: tuple[Path, Path]) -> None:
    warehouse, page = explorer
    with connect_read_only(warehouse) as con:
        first, doc_id = con.execute(
            "select metric_id, doc_id from metrics where mention = '458名' order by metric_id limit 1"
        ).fetchall()[0]
        officers = {
            r[0]
            for r in con.execute(
                "select metric_id from metrics where indicator_code = 'political_legal_officers' and doc_id = ?",
                [doc_id],
            ).fetchall()
        }
    document = pages_folder(page) / page_name(doc_id)
    dom = _dom(chromium, document, f"?indicator=political_legal_officers#m-{first}")
    assert officers and {m["data-metric-id"] for m in dom.marks} - dom.dimmed == officers
    assert dom.selected == first


def test_screenshot(chromium: str, explorer: tuple[Path, Path], tmp_path: Path) -> None:
    png = BROWSER.screenshot(chromium, explorer[1], tmp_path / "explorer.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
