"""Relations between the metric mentions of one report, read from its text, that let it be checked against itself.

- `part_of`: a `其中` breakdown part and the total it breaks down (`立案3件(其中生态环境领域2件,其他1件)`);
- `resolved_of`: an `已解决`/`已办结` count and the count it was taken from (`征求意见建议75条,已解决65个`);
- `numerator` / `denominator`: the counts a stated rate is computed from (`结案1000件 / (新收1379件 + 旧存68件)`
  for `结案率69.11%`), found through the catalog's formulas or, for any `X率`, the `X` count and the count before it.

Pure Python, no Prefect, no DuckDB.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transforms.catalog import Catalog
from transforms.extract import Metric
from transforms.sentences import break_offsets

# Characters that close the clause a number sits in (a `其中` scope or the prefix of a number ends there).
_CLAUSE_END = "，,、；;：:。！？!?\n"
#: The run of characters from a position up to the next clause end or bracket (one regex, not a character loop).
_UP_TO_CLAUSE_END_OR_BRACKET = re.compile("[^" + re.escape(_CLAUSE_END + "()（）") + "]*")
_SCOPE_END = "；;。！？!?\n"
# `已解决65个`, `已核查整改完毕71条`, `2件已办结`: a count that is the resolved share of an earlier count.
_RESOLVED = re.compile(
    r"已(?:经)?(?:全部|基本)?(?:解决|办结|整改|化解|落实|完成|答复|采纳|核查|处理|办理|查结|结案|回复|兑现)"
)
_RESOLVED_MARK = "已"  # the character every match of _RESOLVED opens with
_BREAKDOWN = "其中"
# How many metrics before (or after, for `其中` parts) a mention its relations look over: a sentence of hundreds
# of figures (a flattened table, or adversarial text) must not make relation-finding quadratic; real relations are
# a few figures apart.
_LOOKBACK = 32
_SCOPE_END_RE = re.compile("[；;。！？!?\n]")
_CLOSE_RE = re.compile("[)）；;。！？!?\n]")
_HEADLINE_KINDS = frozenset({"count", "amount", "measure"})


@dataclass(frozen=True, slots=True)
class Link:
    """`metrics[source]` relates to `metrics[target]` as `relation` (indices into one document's metric list)."""

    source: int
    target: int
    relation: str  # part_of | resolved_of | numerator | denominator


def _subject(m: Metric) -> str | None:
    return m.subject_simplified or m.subject


def _is_headline(m: Metric) -> bool:
    """A stated quantity of something (not a change of another metric, not a rate or rank)."""
    return m.modifies is None and m.kind in _HEADLINE_KINDS


def _scope_end(text: str, pos: int, sentence_end: int, found: dict[bool, tuple[int, int, int]]) -> int:
    """Where the `其中` scope opened at `pos` ends: its closing bracket if it opens one, else the clause group.

    `found` remembers the last answer of each kind as (searched from, sentence end, answer): a later `其中` before
    that answer has the same one, so a long sentence full of `其中` is not searched again for each of them.
    """
    opened = pos > 0 and text[pos - 1] in "(（"
    last = found.get(opened)
    if last is not None and last[0] <= pos <= last[2] and last[1] == sentence_end:
        return last[2]
    m = (_CLOSE_RE if opened else _SCOPE_END_RE).search(text, pos, sentence_end)
    end = m.start() if m else sentence_end
    found[opened] = (pos, sentence_end, end)
    return end


def _clause_before(text: str, m: Metric, floor: int) -> str:
    """The text of the clause leading up to a mention (from the last clause break, not before `floor`)."""
    breaks = break_offsets(text, _CLAUSE_END)
    k = bisect.bisect_left(breaks, m.start) - 1  # the last break before the mention
    i = max(floor, breaks[k] + 1) if k >= 0 else floor
    return text[i : m.start] if i < m.start else ""


def _clause_after(text: str, m: Metric) -> str:
    """The start of the clause after a mention, as far as `_RESOLVED` can reach (a few characters)."""
    stop = min(m.sentence_end, m.end + 16)
    run = _UP_TO_CLAUSE_END_OR_BRACKET.match(text, m.end, max(m.end, stop))
    return run.group() if run else ""


def breakdown_links(text: str, metrics: Sequence[Metric]) -> list[Link]:
    """`其中` parts → the total before `其中` with the same unit family (same sentence, within the bracket)."""
    links: list[Link] = []
    seen: set[int] = set()
    if text.find(_BREAKDOWN) < 0:
        return links
    # the fields read below, gathered once (a document of many `其中` looks at each metric many times)
    starts = [m.start for m in metrics]
    ends = [m.end for m in metrics]
    sentence_starts = [m.sentence_start for m in metrics]
    sentence_ends = [m.sentence_end for m in metrics]
    headline = [_is_headline(m) for m in metrics]
    families = [m.unit_family for m in metrics]
    scope_ends: dict[bool, tuple[int, int, int]] = {}
    for q in (m.start() for m in re.finditer(_BREAKDOWN, text)):
        k = bisect.bisect_left(starts, q)  # metrics[:k] lie before q, metrics[k:] after it
        if not 0 < k < len(metrics) or not sentence_starts[k] <= q < sentence_ends[k]:
            continue
        before = [
            i for i in range(max(0, k - _LOOKBACK), k) if ends[i] <= q and sentence_starts[i] <= q < sentence_ends[i]
        ]
        if not before:
            continue
        end = _scope_end(text, q, sentence_ends[k], scope_ends)
        after = []
        for i in range(k, min(len(metrics), k + _LOOKBACK)):
            if ends[i] > end:
                break
            after.append(i)
        parts = [i for i in after if headline[i] and i not in seen]
        # possible totals; the parts marked seen below all lie after q, so this pool stays valid for them
        pool = [i for i in before if headline[i] and i not in seen]
        for p in parts:
            family = families[p]
            total = next((i for i in reversed(pool) if families[i] == family), None)
            if total is not None:
                links.append(Link(p, total, "part_of"))
                seen.add(p)
    return links


def resolved_links(text: str, metrics: Sequence[Metric], skip: set[int]) -> list[Link]:
    """`已解决65个` → the count before it in the same sentence it was resolved out of (`征求意见建议75条`)."""
    links: list[Link] = []
    sources: set[int] = set()
    if _RESOLVED_MARK not in text:
        return links  # every resolution opens with 已: a text without it resolves nothing
    for i, m in enumerate(metrics):
        if i in skip or not _is_headline(m) or m.kind != "count":
            continue
        # metrics are in text order without overlaps: the one before ends last
        same = i > 0 and metrics[i - 1].sentence_start == m.sentence_start
        floor = metrics[i - 1].end if same else m.sentence_start
        if not (_RESOLVED.search(_clause_before(text, m, floor)) or _RESOLVED.match(_clause_after(text, m))):
            continue
        base = next(
            (
                j
                for j in range(i - 1, max(-1, i - 1 - _LOOKBACK), -1)
                if metrics[j].sentence_start == m.sentence_start
                and _is_headline(metrics[j])
                and metrics[j].kind == "count"
                and j not in sources
            ),
            None,
        )
        if base is not None:
            links.append(Link(i, base, "resolved_of"))
            sources.add(i)
    return links


def rate_links(
    text: str, metrics: Sequence[Metric], codes: Sequence[str | None], catalog: Catalog, skip: set[int]
) -> list[Link]:
    """A stated rate → the counts earlier in its sentence that it should equal 100 × numerator / denominator of."""
    links: list[Link] = []
    headline: list[bool] | None = None  # _is_headline of each metric, gathered when a rate first needs it
    names: dict[int, str] = {}  # normalised subjects, each found once however many rates look at it

    def name_of(i: int) -> str:
        if (name := names.get(i)) is None:
            name = names[i] = catalog.normalise(_subject(metrics[i])) or ""
        return name

    for r, rate in enumerate(metrics):
        if rate.kind != "percent" or rate.modifies is not None:
            continue
        ind = catalog.by_code.get(codes[r] or "")
        formulas = ind.formulas if ind else ()
        stem = None if formulas else _rate_stem(rate, catalog)
        if not formulas and stem is None:
            continue  # neither a formula nor a stem: no count before it is looked at
        if headline is None:
            headline = [_is_headline(m) for m in metrics]
        earlier = [
            i
            for i in range(max(0, r - _LOOKBACK), r)
            if metrics[i].sentence_start == rate.sentence_start and headline[i] and i not in skip
        ]

        def nearest(code: str, before: int, pool: list[int] = earlier) -> int | None:
            found = [i for i in pool if codes[i] == code and i < before]
            return found[-1] if found else None

        chosen: tuple[list[int], list[int]] | None = None
        for formula in formulas:
            num = [nearest(c, r) for c in formula.numerator]
            den = [nearest(c, r) for c in formula.denominator]
            if all(i is not None for i in num + den):
                chosen = ([i for i in num if i is not None], [i for i in den if i is not None])
                break
        if chosen is None:
            if stem is None:
                stem = _rate_stem(rate, catalog)
            chosen = None if stem is None else _stem_rate(stem, metrics, earlier, name_of)
        if chosen is None:
            continue
        links += [Link(r, i, "numerator") for i in chosen[0]]
        links += [Link(r, i, "denominator") for i in chosen[1]]
    return links


def _rate_stem(rate: Metric, catalog: Catalog) -> str | None:
    """The name of what a rate counts (`办结` for `办结率`), or None when its subject does not end with 率."""
    subject = catalog.normalise(_subject(rate))
    if not subject or not subject.endswith("率") or len(subject) < 2:
        return None
    return subject[:-1]


def _stem_rate(
    stem: str, metrics: Sequence[Metric], earlier: list[int], name_of: Callable[[int], str]
) -> tuple[list[int], list[int]] | None:
    """`办结率` with no formula: the `办结` count (of the rate's `stem`) is the numerator, the count of that family
    before it the base. `name_of(i)` is the normalised subject of `metrics[i]`."""

    def names_stem(name: str) -> bool:
        # 办结 counts for 办结率; 成功 counts for 调解成功率 (the rate's name may be longer than its count's)
        return name.endswith(stem) or (len(name) >= 2 and stem.endswith(name))

    nums = [i for i in earlier if names_stem(name_of(i))]
    if not nums:
        return None
    num = nums[-1]
    dens = [i for i in earlier if i < num and metrics[i].unit_family == metrics[num].unit_family]
    return ([num], [dens[-1]]) if dens else None
