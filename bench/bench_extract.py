"""Throughput benchmark for the metric extractor.

Reads the seed reports (``seeds/*.txt``) and, when present, the shared evaluation reports
(``../shared/eval/docs/*.txt``), repeats them to at least 10 MB of text, runs
:func:`transforms.extract.extract_metrics` on one core and prints characters per second, the number of metrics
found, and the CPU throughput of the fastest pass over the texts.  Then, for each adversarial shape of text (one
number repeated with no sentence end, a run of digits, ``万`` repeated, …), prints the CPU seconds per MB (UTF-8)
that extraction and the whole analysis take on ADVERSARIAL_BYTES of it (the fastest of SHAPE_TRIES): linear code
keeps these flat whatever the input size.  Run from the repository root: ``.venv/bin/python bench/bench_extract.py``.
"""

from __future__ import annotations

import pathlib
import sys
import time
from collections.abc import Callable
from functools import partial

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.analyse import analyse  # noqa: E402
from transforms.extract import extract_metrics  # noqa: E402

TARGET_CHARS = 10_000_000
ADVERSARIAL_BYTES = 256 * 1024
sys.path.insert(0, str(ROOT / "tests"))
from adversarial_shapes import SHAPES as ADVERSARIAL_SHAPES  # noqa: E402  (the shapes the property test bounds)

SHAPE_TRIES = 3  # each shape is timed this many times and the fastest kept: a busy machine only adds time


def _cpu_seconds(run: Callable[[], object]) -> float:
    begin = time.process_time()
    run()
    return time.process_time() - begin


def adversarial() -> None:
    """CPU seconds per MB of each adversarial shape, for extraction alone and for the whole analysis (the fastest of
    SHAPE_TRIES)."""
    for name, piece in ADVERSARIAL_SHAPES.items():
        text = piece * max(1, ADVERSARIAL_BYTES // len(piece.encode("utf-8")))
        mb = len(text.encode("utf-8")) / 1_000_000
        found = len(extract_metrics(text))
        extract_s = min(_cpu_seconds(partial(extract_metrics, text)) for _ in range(SHAPE_TRIES))
        analyse_s = min(_cpu_seconds(partial(analyse, text)) for _ in range(SHAPE_TRIES))
        print(
            f"shape={name} bytes={int(mb * 1_000_000)} metrics={found} "
            f"extract_s_per_mb={extract_s / mb:.2f} analyse_s_per_mb={analyse_s / mb:.2f}"
        )


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
    best_round = float("inf")  # CPU seconds of the fastest pass over the texts
    t0 = time.perf_counter()
    for _ in range(repeats):
        begin = time.process_time()
        for t in texts:
            metrics += len(extract_metrics(t))
        best_round = min(best_round, time.process_time() - begin)
        chars += base_chars
    elapsed = time.perf_counter() - t0
    print(f"documents={len(texts) * repeats} characters={chars} metrics={metrics} seconds={elapsed:.2f}")
    print(f"chars_per_second={chars / elapsed:,.0f}")
    # the fastest pass, in CPU time: what the code costs, with less of what else the machine was doing
    print(f"best_pass_chars_per_cpu_second={base_chars / best_round:,.0f}")
    adversarial()
    return 0


if __name__ == "__main__":
    sys.exit(main())
