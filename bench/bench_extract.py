"""Throughput benchmark for the metric extractor.

Reads the seed reports (``seeds/*.txt``) and, when present, the shared evaluation reports
(``../shared/eval/docs/*.txt``), repeats them to at least 10 MB of text, runs
:func:`transforms.extract.extract_metrics` on one core and prints characters per second and the number
of metrics found.  Run from the repository root: ``.venv/bin/python bench/bench_extract.py``.
"""

from __future__ import annotations

import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.extract import extract_metrics  # noqa: E402

TARGET_CHARS = 10_000_000


def load_texts() -> list[str]:
    """The seed reports plus the shared evaluation reports if that folder exists."""
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    shared = ROOT.parent / "shared" / "eval" / "docs"
    if shared.is_dir():
        paths += sorted(shared.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def main() -> int:
    texts = load_texts()
    if not texts:
        print("no input texts found", file=sys.stderr)
        return 1
    base_chars = sum(len(t) for t in texts)
    repeats = max(1, -(-TARGET_CHARS // base_chars))
    extract_metrics(texts[0])  # warm up: lexicons, regex compilation, OpenCC
    chars = metrics = 0
    t0 = time.perf_counter()
    for _ in range(repeats):
        for t in texts:
            metrics += len(extract_metrics(t))
            chars += len(t)
    elapsed = time.perf_counter() - t0
    print(f"documents={len(texts) * repeats} characters={chars} metrics={metrics} seconds={elapsed:.2f}")
    print(f"chars_per_second={chars / elapsed:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
