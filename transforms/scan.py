"""Whole-text scans with regular expressions that Python's `re` runs fast.

`re` skips ahead to the next possible start of a match only when a pattern opens with a literal, a character class,
or an alternation of literals (its "charset prefix"). A pattern that opens with a group, a repeat or an assertion,
or an alternation whose branches open with groups, is tried at every position of the text: three to thirty times
slower on report text (measured on the bench documents). The helpers here keep a scan's matches exactly as
`re.finditer` gives them while letting each pattern open with a literal or a class.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence


def branch_finditer(branches: Sequence[re.Pattern[str]], text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """The matches `re.finditer` gives for the alternation `branches[0]|branches[1]|…` over `text`, each with the
    index of the branch that matched: leftmost first, at one position the first branch that matches there, the next
    search from the end of the last match. Each branch is scanned on its own (so it may keep its charset prefix),
    and searched again only when its last match lies before where the next search begins.

    A branch must not match the empty string (`re.finditer`'s rules for empty matches are not reproduced): raises
    ValueError when one does."""
    pos = 0
    ahead: list[re.Match[str] | None] = [branch.search(text) for branch in branches]
    while True:
        best: tuple[int, re.Match[str]] | None = None
        for i, m in enumerate(ahead):
            if m is not None and m.start() < pos:
                m = ahead[i] = branches[i].search(text, pos)
            if m is not None and (best is None or m.start() < best[1].start()):
                best = (i, m)
        if best is None:
            return
        m = best[1]
        if m.end() == m.start():
            raise ValueError(f"branch {best[0]} matched the empty string at {m.start()}")
        yield best
        pos = m.end()


class JointScan:
    """Patterns that all open with `guard` at a character of class `opening` (`0-9今去…`), scanned together.

    `finditer(text)` gives, for every pattern `i`, the matches `re.finditer` gives for `(?=[opening])` + `guard` +
    `patterns[i]`, as `(i, match)` in order of start (then of `i`). One scan of the text finds the places where any
    of them matches, opening with the class (fast), and each pattern is matched only there: on the bench documents,
    four period patterns take half the time of their four scans. Each pattern keeps its flags and named groups; it
    must match no empty string and refer back to no group (`(?P=name)`)."""

    def __init__(self, opening: str, guard: str, patterns: Sequence[re.Pattern[str]]) -> None:
        if any("(?P=" in p.pattern for p in patterns):
            raise ValueError("a back-reference to a named group cannot be scanned jointly")
        bare = "|".join(
            f"(?x:{_bare(p.pattern)}\n)" if p.flags & re.VERBOSE else f"(?-x:{_bare(p.pattern)})" for p in patterns
        )
        # one character at each place where a pattern opens: the look-behind steps back over it and looks ahead
        # from there over the guard and any of the patterns
        self.places = re.compile(f"[{opening}](?<=(?={guard}(?:{bare})).)")
        self.patterns = tuple(patterns)

    def finditer(self, text: str, live: Sequence[bool] | None = None) -> Iterator[tuple[int, re.Match[str]]]:
        """The matches of the patterns `i` with `live[i]` (all when None), as described above."""
        patterns = [(i, p) for i, p in enumerate(self.patterns) if live is None or live[i]]
        if not patterns:
            return
        last_end = [0] * len(self.patterns)
        for place in self.places.finditer(text):
            start = place.start()
            for i, pattern in patterns:
                if start >= last_end[i] and (m := pattern.match(text, start)) is not None and m.end() > start:
                    last_end[i] = m.end()
                    yield i, m


def _bare(pattern: str) -> str:
    """`pattern` with its named groups made plain groups (a pattern may name a group once)."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)
