"""Subjects settled over the whole document: subjects that read alike but name different things are
widened one step (受理各类案件 / 审执结各类案件), and a topic named by a cleft or a heading label
(``最多的是执行案件,``, ``1.刑事案件：``) completes the short subjects after it.
"""

from __future__ import annotations

import re

from transforms.extract.phrases import _SCOPE_OR_NOTHING, _clause_floor, _cut_points, _strip_span
from transforms.extract.records import _Cand
from transforms.extract.subjects import _TRAIL_ACTION_RE
from transforms.extract.words import _ACTION_RE, _LEX
from transforms.lexicon import alternation
from transforms.sentences import CLAUSE_CHARS, SentenceIndex, clause_start

_ORG_END_RE = re.compile(f"(?:{alternation(_LEX.org_heads)})$")
_WIDE_NOT_START = ("方面", "领域", "行业", "环节", "其他", "其它", "类", "种")  # heads of 等…: X等方面的Y
_MAX_WIDE = 12  # a wider subject is still a name: 侵犯商标权、专利权等案件, not a whole description


_CLEFT_SHORT = 3  # a subject this short (新收, 结案) names the step, not the thing


def _cleft_topics(text: str, s: str, cands: list[_Cand], sents: SentenceIndex) -> None:
    """Prefix a topic named by a cleft clause (``…最快的是执行案件,``) to the short subjects after it in
    its sentence: ``其中上涨最快的是执行案件,2014年新收39件,2016年新收224件`` → 执行案件新收."""
    first: dict[int, int] = {}
    for k, c in enumerate(cands):
        first.setdefault(c.sent, k)
    for k0 in first.values():
        sa, _ = sents.span(cands[k0].start)
        topic = _topic_of(s, sa, cands[k0].start)
        if topic is None:
            continue
        x, y, end = topic
        own = cands[k0].subj
        if own is None or own[0] < end:
            continue  # the topic names the first metric itself (收案数：1,234件；结案数：1,198件)
        for c in cands[k0:]:
            if c.sent != cands[k0].sent:
                break
            if c.subj is None or c.subj_text is not None or c.subj[0] < end:
                continue  # no subject, or the topic itself (最多的是房屋署,有87宗)
            if c.subj[1] - c.subj[0] <= _CLEFT_SHORT:
                a, b = c.subj
                c.subj_text = (text[x:y] + text[a:b], s[x:y] + s[a:b])


# a label ending in one of these introduces what someone said (会议指出：…), not a topic
_SPEECH_VERBS = ("指出", "表示", "强调", "介绍", "显示", "称", "说", "透露", "通报", "获悉", "了解到", "统计", "据悉")
_LIST_MARKER_RE = re.compile(  # 1.  (二)  三、
    r"[0-9]{1,2}[.、．]|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
)


def _topic_of(s: str, sa: int, first: int) -> tuple[int, int, int] | None:
    """A topic named before the first metric of a sentence, as (start, end, where its clause ends): the X
    of a cleft ``…的是X,`` or a heading label ``1.刑事案件：``.  None when there is none."""
    head = s[sa:first]
    k = head.rfind("的是")
    if k >= 0:
        end = k + 2
        while end < len(head) and head[end] not in CLAUSE_CHARS:
            end += 1
        if end >= len(head) or any(ch.isdigit() for ch in head[k:end]):
            return None
        x, y = _strip_span(s, sa + k + 2, sa + end)
    else:
        k = max(head.rfind("："), head.rfind(":"))
        if k < 0 or clause_start(s, first, sa) != sa + k + 1:
            return None  # the label must head the clause of the first metric (not 导读:2016年…,)
        ls = clause_start(s, sa + k, sa)
        if m := _LIST_MARKER_RE.match(s, ls, sa + k):
            ls = m.end()
        if any(ch.isdigit() for ch in s[ls : sa + k]):
            return None
        x, y = _strip_span(s, ls, sa + k)
        end = k + 1
        if s[x:y] in _SCOPE_OR_NOTHING or y - x > _MAX_WIDE or s[x:y].endswith(_SPEECH_VERBS):
            return None  # 其中：…, 会议指出：… (a speaker, not a topic)
    return (x, y, sa + end) if y - x >= 2 else None


def _next_wider(s: str, span: tuple[int, int], floor: int, ends: set[int]) -> tuple[int, int]:
    """The narrowest subject wider than ``span`` that ends where it ends: it reaches back to the previous
    point where the noun could start (受理各类案件 for 案件).  ``span`` itself when there is none (never
    over another number, an agent or a date, and never longer than :data:`_MAX_WIDE`)."""
    x, y = span
    cs = _clause_floor(s, x, floor, ends)
    if cs >= x or any(ch.isdigit() for ch in s[cs:x]):
        return span
    a, _ = _strip_span(s, cs, y)
    if a >= x:
        return span  # only scopes and fillers stand before it
    points = _cut_points(s, a, y)
    agent = max((k for k, p in enumerate(points) if _ORG_END_RE.search(s, max(a, p - 6), p)), default=0)
    starts = set(points[agent:])  # an agent (…法院) names who counts, not what: never widened over
    for p in points[agent + 1 :]:
        if v := _TRAIL_ACTION_RE.search(s, max(a, p - 6), p):
            starts.add(v.start())  # the verb and its object: 破获刑事案件
    for p in sorted(starts, reverse=True):
        if p >= x:
            continue
        u, v = _strip_span(s, p, y)
        if v - u > _MAX_WIDE:
            break
        if u < x and v == y and s[u] != "的" and not s.startswith(_WIDE_NOT_START, u):
            return u, v  # not 的信访举报, not 方面的规章: such a start names nothing by itself
    return span


def _tell_apart(s: str, cands: list[_Cand], sents: SentenceIndex, ends: set[int]) -> None:
    """Widen subjects that read alike in one document but name different things (GOLD_SPEC: the shortest
    written phrase that tells the metric apart, verb included where needed).

    ``受理各类案件9471件`` and ``审执结各类案件7018件`` both narrow to 案件: when the subjects one step
    wider (back to the previous verb, 等 or 的) differ, each takes its wider one, here 受理各类案件 and
    审执结各类案件.  A subject with no wider form keeps its own; metrics that share one span (a change and
    the metric it modifies) move together.
    """
    by_text: dict[str, dict[tuple[int, int], None]] = {}  # text → its spans, in order, each once
    for c in cands:
        if c.subj is not None and c.subj_text is None:
            by_text.setdefault(s[c.subj[0] : c.subj[1]], {})[c.subj] = None
    moved: dict[tuple[int, int], tuple[int, int]] = {}
    for group in by_text.values():
        if len(group) < 2:
            continue
        step = {sp: _next_wider(s, sp, sents.span(sp[0])[0], ends) for sp in group}
        if len({s[u:v] for u, v in step.values()}) < 2:
            continue
        moved.update((sp, w) for sp, w in step.items() if w != sp)
    # 受理各类案件26155件,办结25631件: when the next count names only its verb (its object is the one just
    # named), the first count keeps its own verb
    count = len(cands)
    for k, c in enumerate(cands):
        if c.subj is None or c.subj_text is not None or c.subj in moved:
            continue
        # the next count, past counts written right after this one (1,320件2,015人,批准逮捕1,108件)
        n = k + 1
        while n < count and cands[n].start == cands[n - 1].end and cands[n].unit != c.unit:
            n += 1
        nxt = cands[n] if n < count else None
        if nxt is None or nxt.sent != c.sent or nxt.unit != c.unit or nxt.subj is None:
            continue
        if _ACTION_RE.fullmatch(s, *c.subj) or not _ACTION_RE.fullmatch(s, *nxt.subj):
            continue
        w = _next_wider(s, c.subj, sents.span(c.start)[0], ends)
        if w != c.subj and _ACTION_RE.match(s, w[0]) and "、" not in s[w[0] : w[1]]:
            moved[c.subj] = w
    if moved:
        for c in cands:
            if c.subj in moved and c.subj_text is None:
                c.subj = moved[c.subj]
