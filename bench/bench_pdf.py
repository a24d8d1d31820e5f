"""Throughput benchmark for reading PDF reports: pages per second on one core, and peak memory.

Generates a corpus of 1,000 PDF pages (10 reports of 100 pages, drawn with reportlab in `STSong-Light`: a heading
and paragraphs of report text on every page, a ruled table with a unit and a 同比 column on every fifth page), then
reads each file as a run does (`transforms.ingest.read_document`: sniffing, PDFium's text page by page, pdfplumber's
table finder on pages that draw lines, the canonical text) and prints pages per second and the process's peak
resident memory. The same corpus is also read as text only by pypdfium2 and pdfminer.six, and PDFs of the seed
reports by all three libraries for CJK correctness: the measurements behind the choice of readers (see
`transforms/formats/pdf.py`).
Run from the repository root: ``.venv/bin/python bench/bench_pdf.py``.
"""

from __future__ import annotations

import io
import os
import pathlib
import resource
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from report_files import PAGE_BREAK, Table, write_pdf  # noqa: E402

from transforms.ingest import Document, read_document  # noqa: E402

FILES = 10
PAGES_PER_FILE = 100
PARAGRAPHS = (
    "全区458名政法干警参加学习教育，共开展集中学习227场次，为民办实事6000余件次，化解矛盾纠纷1520件。",
    "全市法院共受理各类案件13790件，同比上升12.5%，审结案件12000件，结案率87.02%，执行到位金额24.2万元。",
    "坚持“查改治建”一体推进，聚焦顽瘴痼疾，出台制度机制402项，修订完善已建制度机制241项，整改问题136个。",
)


def _items(doc: int) -> list[object]:
    items: list[object] = []
    for page in range(PAGES_PER_FILE):
        if page:
            items.append(PAGE_BREAK)
        items.append(("h", f"第{doc + 1}号报告 第{page + 1}页"))
        items.extend(PARAGRAPHS[(page + i) % 3] for i in range(6))
        if page % 5 == 0:
            items.append("单位：件")
            rows = [["项目", "本期", "同比(%)"]] + [
                [f"类别{r}", f"{1000 + page * 7 + r}", f"{r - 2.5:.1f}"] for r in range(8)
            ]
            items.append(Table(rows))
    return items


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        paths = [write_pdf(pathlib.Path(tmp) / f"report{d}.pdf", _items(d)) for d in range(FILES)]
        size = sum(p.stat().st_size for p in paths)
        print(
            f"corpus: {FILES} files, {FILES * PAGES_PER_FILE} pages, {size / 1e6:.1f} MB, "
            f"generated in {time.perf_counter() - t0:.1f} s"
        )
        rss_before = _rss_mib()
        chars = 0
        t0 = time.perf_counter()
        for path in paths:
            doc = read_document(path)
            assert isinstance(doc, Document), doc
            assert doc.layout is not None and len(doc.layout.page_starts) == PAGES_PER_FILE
            chars += len(doc.text)
        elapsed = time.perf_counter() - t0
        pages = FILES * PAGES_PER_FILE
        print(f"reader (PDFium text, pdfplumber tables): pages={pages} characters={chars} seconds={elapsed:.2f}")
        print(f"pages_per_second={pages / elapsed:,.1f}")
        print(f"peak_rss_mib={_rss_mib():.0f} (before reading: {rss_before:.0f})")
        _alternatives(paths, pages)
        _correctness(pathlib.Path(tmp))
    return 0


def _alternatives(paths: list[pathlib.Path], pages: int) -> None:
    """Text-only reading by the libraries not chosen, on the same corpus (for the record of the choice)."""
    import pypdfium2 as pdfium
    from pdfminer.high_level import extract_text

    t0 = time.perf_counter()
    for path in paths:
        document = pdfium.PdfDocument(path.read_bytes())
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        document.close()
    print(f"pypdfium2 text only: pages_per_second={pages / (time.perf_counter() - t0):,.1f}")
    t0 = time.perf_counter()
    for path in paths:
        extract_text(io.BytesIO(path.read_bytes()))
    print(f"pdfminer.six text only: pages_per_second={pages / (time.perf_counter() - t0):,.1f}")


def _correctness(tmp: pathlib.Path) -> None:
    """CJK correctness of each library on PDFs of the seed reports: characters of the source text that its text
    misses (whitespace aside; a count of 0 means every character came back)."""
    import html
    from collections import Counter

    import pdfplumber
    import pypdfium2 as pdfium
    from pdfminer.high_level import extract_text

    def plumber(raw: bytes) -> str:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            return "".join(page.extract_text() or "" for page in pdf.pages)

    def pdfium_text(raw: bytes) -> str:
        document = pdfium.PdfDocument(raw)
        text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        document.close()
        return text

    readers = {
        "pdfplumber": plumber,
        "pypdfium2": pdfium_text,
        "pdfminer.six": lambda raw: extract_text(io.BytesIO(raw)),
    }
    for cjk_wrap in (True, False):
        missing = {name: Counter[str]() for name in readers}
        total = 0
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
            items: list[object] = [html.escape(ln) for ln in lines]
            raw = write_pdf(tmp / f"{seed.stem}.pdf", items, cjk_wrap=cjk_wrap).read_bytes()
            source = Counter(ch for ln in lines for ch in ln if not ch.isspace())
            total += sum(source.values())
            for name, read in readers.items():
                missing[name] += source - Counter(ch for ch in read(raw) if not ch.isspace())
        wrap = "CJK line breaking" if cjk_wrap else "Latin line breaking"
        print(f"CJK correctness, seed reports with {wrap} ({total} characters), characters missing:", end="")
        print("".join(f" {name}={sum(n.values())} {''.join(sorted(n))!r}" for name, n in missing.items()))


if __name__ == "__main__":
    sys.exit(main())
