"""Per-document cost of the whole reading of a report: metadata, metrics, indicators and attribution.

Reads the seed reports and, when present, ``../shared/eval/docs``, runs :func:`transforms.analyse.analyse` on
each several times after one warm-up pass (the gazetteer and lexicons load once per process), and prints the
median milliseconds per 10,000 characters. Run from the repository root: ``.venv/bin/python bench/bench_analyse.py``.
"""

from __future__ import annotations

import statistics
import sys
import time

from bench_extract import ROOT, load_texts

sys.path.insert(0, str(ROOT))

from transforms.analyse import analyse

ROUNDS = 20


def main() -> int:
    texts = load_texts()
    if not texts:
        print("no input texts found", file=sys.stderr)
        return 1
    for text in texts:
        analyse(text)  # warm up
    per_10k: list[float] = []
    cpu = 0.0
    best_round = float("inf")  # CPU seconds of the fastest round over all the texts
    for _ in range(ROUNDS):
        round_cpu = 0.0
        for text in texts:
            begin, begin_cpu = time.perf_counter(), time.process_time()
            analyse(text)
            round_cpu += time.process_time() - begin_cpu
            per_10k.append((time.perf_counter() - begin) * 1000 * 10_000 / max(1, len(text)))
        cpu += round_cpu
        best_round = min(best_round, round_cpu)
    chars = ROUNDS * sum(len(text) for text in texts)
    print(f"documents={len(texts)} rounds={ROUNDS}")
    # throughput over all the text (CPU time, so a busy machine does not skew it), and the per-document figures,
    # in which a short document's fixed set-up weighs more
    print(f"analyse_chars_per_cpu_second={chars / cpu:,.0f}")
    # the fastest round: what the code costs, with less of what else the machine was doing
    print(f"analyse_best_round_chars_per_cpu_second={chars / ROUNDS / best_round:,.0f}")
    print(f"analyse_ms_per_10k_chars median={statistics.median(per_10k):.1f} max={max(per_10k):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
