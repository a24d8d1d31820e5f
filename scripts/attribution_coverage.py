"""Share of extracted metrics with an organisation, a region and a period, from `extract --format jsonl` output.

python scripts/attribution_coverage.py predictions.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def coverage(records: list[dict[str, object]]) -> dict[str, float]:
    """Non-null shares of org, region and period (a start or an as-of date) over all records."""
    n = len(records) or 1
    return {
        "org": sum(r.get("org") is not None for r in records) / n,
        "region": sum(r.get("region") is not None for r in records) / n,
        "period": sum(r.get("period_start") is not None or r.get("as_of") is not None for r in records) / n,
        "indicator": sum(r.get("indicator") is not None for r in records) / n,
    }


def main(path: str) -> int:
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    shares = " ".join(f"{k}={v:.3f}" for k, v in coverage(records).items())
    print(f"attribution coverage over {len(records)} metrics: {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
