"""Evidence read from a report's text, and the segments it is looked up in.

A piece of evidence is a span of the (simplified) text with a resolved value: a division code, an organisation or
a period. Each metric mention takes the nearest evidence before it within its clause, sentence or paragraph
(`nearest`); `transforms.sentences.Segments` finds those boundaries. Shared by `transforms.attribution` and
`transforms.periods`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any, NamedTuple


class Evidence(NamedTuple):
    """One piece of evidence at [start, end): `value` is a division code (region), an organisation or a
    `(start, end, as_of)` triple (period); None means the text names something here that cannot be resolved, which
    stops the search rather than letting a farther piece of evidence stand in. `clause_only` evidence (an event's
    date) covers its own clause only; `base` evidence (a period after a comparing word, `较2022年`) is the base of a
    comparison, which dates only the figure it qualifies (`较2022年的7万宗`). (A named tuple: built by the thousand
    per report, faster than a frozen dataclass.)"""

    start: int
    end: int
    value: Any
    clause_only: bool = False
    base: bool = False


def nearest(
    evidence: list[Evidence],
    starts: list[int],
    pos: int,
    floor: int,
    allow: Callable[[Evidence], bool] | None = None,
) -> Evidence | None:
    """The last evidence that ends at or before `pos` and starts at or after `floor` (and that `allow` accepts)."""
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0 and evidence[i].start >= floor:
        ev = evidence[i]
        if ev.end <= pos and (allow is None or allow(ev)):
            return ev
        i -= 1
    return None


def lead_paragraphs(text: str, paragraphs: int, min_chars: int) -> list[tuple[int, int]]:
    """The opening of a report: its first `paragraphs` paragraphs of at least `min_chars` characters (shorter lines
    above them are a page's furniture, a site name or a byline), as [start, end) spans."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        if len(m.group().strip()) >= min_chars:
            out.append(m.span())
            if len(out) >= paragraphs:
                break
    return out
