"""Golden extraction cases: short sentences with the metrics expected in them (tests/golden/*.jsonl).

Each line is ``{"id", "gloss", "text", "expected": [...]}``; ``gloss`` is an English rendering of the
sentence.  Every expected field is compared, and ``text[start:end] == mention`` is checked both for the
expectation and for what the extractor returns.
"""

from __future__ import annotations

import json
import pathlib
from decimal import Decimal

import pytest

from transforms.extract import _extract

GOLDEN_DIR = pathlib.Path(__file__).resolve().parent.parent / "golden"


def _load() -> list[pytest.ParameterSet]:
    params = []
    for path in sorted(GOLDEN_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                params.append(pytest.param(case, id=case["id"]))
    return params


@pytest.mark.parametrize("case", _load())
def test_golden_case(case: dict) -> None:
    text = case["text"]
    got = _extract(text, strict=True)
    for exp in case["expected"]:
        assert text[exp["start"] : exp["end"]] == exp["mention"], "bad golden span"
    for m in got:
        assert text[m.start : m.end] == m.mention
    summary = [(m.mention, str(m.value), m.kind, m.subject) for m in got]
    assert len(got) == len(case["expected"]), f"{case['gloss']}: got {summary}"
    for m, exp in zip(got, case["expected"], strict=True):
        for key, want in exp.items():
            have = getattr(m, key)
            if key in ("value", "value_high") and want is not None:
                assert have == Decimal(want), f"{case['gloss']}: {m.mention} value {have} != {want}"
            else:
                assert have == want, f"{case['gloss']}: {m.mention} {key} {have!r} != {want!r}"
