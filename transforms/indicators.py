"""The indicator of every metric of a report, read from the verb and object written before it.

`annotate` gives each metric of one document a catalog code (`transforms/catalog.py`) or None, and the relations
between its metrics (`transforms/relations.py`). The phrase a metric is mapped from is the text of its clause up to
the number (bracketed asides kept whole, not past the previous metric of the sentence), or the extractor's subject
when that text says nothing. On top of the phrase:

- a bare verb inherits the object of the previous metric (`受理案件26155件,办结25631件`: 办结 → 办结案件), and a
  bare object in a list the verb of its first item (`查处治安案件3983起、违法人员3312人`: 查处违法人员);
- a case-flow count in a clause group that opens with a case type takes that type (`刑事案件旧存4件,新收25件` →
  新收刑事案件), and so does a `其中` part that names only a type (`受理案件1000件,其中民事案件600件`);
- a `共计` total after parts takes the indicator the parts add up to (`旧存110件,新收503件,共计613件` → 受理);
- a resolved count takes its base's `resolved` indicator, or none;
- a change takes the change indicator of the metric it modifies (`同比上升249%` → `<base>__yoy_pct`), or of the
  indicator its own phrase names (`刑事发案同比下降12%`);
- a bare verb may also take the field of the previous figure (`受理行政公益诉讼线索14件,立案3件` → 行政公益诉讼立案);
- a `其中` group after `；` breaks down the group before it (`审查立案78.9万件；其中省部级干部90人`);
- a named crime family between the verb and its case noun picks the family's variant (`起诉侵犯商标权、专利权等案件`).

Pure Python, no Prefect, no DuckDB.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache, lru_cache

from transforms.catalog import (
    CATALOG_DIR,
    CATALOG_PATH,
    Catalog,
    Formula,
    Indicator,
    catalog_files,
    load_catalog,
    parse_catalog,
)
from transforms.extract import Metric, simplify
from transforms.extract.text import t2s
from transforms.relations import Link, breakdown_links, rate_links, resolved_links
from transforms.sentences import break_offsets

__all__ = [
    "CATALOG_DIR",
    "CATALOG_PATH",
    "Catalog",
    "Formula",
    "Indicator",
    "Link",
    "annotate",
    "catalog_files",
    "indicator_codes",
    "load_catalog",
    "metric_phrases",
    "parse_catalog",
]

# Clause breaks a metric's phrase does not reach past (outside brackets).
_BREAKS = "，,；;。！？!?\n：:"
_CLAUSE_TAIL_RE = re.compile(r"[，,；;。！？!?\n：:(（][^，,；;。！？!?\n：:(（]*\Z")
# What stands between the two values of a range: 降至2021年的, 增长到, 上升至
_RANGE_END_RE = re.compile(
    r"[、，, ]*(?:下降|上升|增长|增加|减少|提高|降|增|升|减)?(?:至|到)(?:\d{4}年(?:底|末)?|今年|去年)?的?\s*\Z"
)
_GROUP_BREAKS = "；;。！？!?\n"  # the characters that end a clause group
_ABSOLUTE_CHANGE_KINDS = frozenset({"count", "amount", "measure"})  # a change in the base's own unit
_TOTAL_WORDS = ("共计", "合计", "总计", "共")
_LIST_JOINS = ("、", "及", "和", "以及")
_CHANGE_UNITS = frozenset({"%", "个百分点", "百分点"})
# Objects a bare verb may inherit from the metric before it (办结 after 受理案件 → 办结案件).
_OBJECTS = ("问题线索", "矛盾纠纷", "信访事项", "意见建议", "案件", "线索", "纠纷", "问题", "诉求")


def _simplified(text: str) -> str:
    """`text` in simplified characters, with the same offsets. OpenCC's conversion alone when it keeps the length
    (`transforms.extract.simplify` also folds full-width digits and commas, which phrases do not need, at about
    twice the cost), else `simplify`, which converts character by character."""
    conv = t2s(text)  # the metadata reader converted this document already: the conversion is kept
    return conv if len(conv) == len(text) else simplify(text)


def _local_text(text: str, m: Metric, floor: int) -> str:
    """The text of a metric's clause before its number, from `floor` on; brackets are kept whole."""
    window = text[floor : m.start]
    if ")" not in window and "）" not in window:
        found = _CLAUSE_TAIL_RE.search(window)  # no bracket to keep whole: the text after the last break
        return window[found.start() + 1 :] if found else window
    depth = 0
    i = m.start
    while i > floor:
        c = text[i - 1]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                break  # the number sits inside a bracket: its phrase starts there
            depth -= 1
        elif depth == 0 and c in _BREAKS:
            break
        i -= 1
    return text[i : m.start]


# A heading line of a court statistics bulletin that names the stage of the case flow its figures belong to
# (`1、收案情况`, `二、结案情况`, `（三）未结案情况`): a bare `刑事案件262件` under it is 新收 / 审结 / 未结.
_FLOW_HEADING_RE = re.compile(
    r"^[ \t　]*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）])?[ \t　]*"
    r"(?P<stage>收案|新收|受理|结案|审结|审执结|执结|未结案?|存案)(?:情况|方面|数)?[ \t　]*$",
    re.MULTILINE,
)
_FLOW_VERBS = {"收案": "新收", "新收": "新收", "受理": "新收", "结案": "审结", "审结": "审结", "审执结": "审结"}
_FLOW_VERBS |= {"执结": "执结", "未结": "未结", "未结案": "未结", "存案": "未结"}
_HEADING_LINE_RE = re.compile(r"^[^\n。；;，,]{1,16}$", re.MULTILINE)  # any short line without a sentence in it


@lru_cache(maxsize=4)
def _flow_sections(text: str) -> tuple[list[int], list[str | None]]:
    """Starts of the heading lines of `text` and, for each, the case-flow verb it sets (None for other headings)."""
    starts: list[int] = []
    verbs: list[str | None] = []
    for m in _HEADING_LINE_RE.finditer(text):
        flow = _FLOW_HEADING_RE.match(m.group())
        starts.append(m.start())
        verbs.append(_FLOW_VERBS[flow.group("stage")] if flow else None)
    return starts, verbs


def _flow_verb(text: str, pos: int) -> str | None:
    """The case-flow verb of the section `pos` lies in, when its heading names one."""
    starts, verbs = _flow_sections(text)
    k = bisect_left(starts, pos) - 1
    return verbs[k] if k >= 0 else None


def _group_breaks(text: str) -> list[int]:
    """Offsets of the characters that end a clause group in `text`, ascending (one scan per document)."""
    return break_offsets(text, _GROUP_BREAKS)


def _group_start(text: str, m: Metric) -> int:
    """Where the clause group (up to the previous ；or sentence end) of a metric starts."""
    breaks = _group_breaks(text)
    k = bisect_left(breaks, m.start) - 1  # the last break before the metric
    return max(m.sentence_start, breaks[k] + 1) if k >= 0 else m.sentence_start


def _group_start_at(text: str, pos: int, sentence_start: int) -> int:
    """Where the clause group holding offset `pos` starts (not before its sentence)."""
    breaks = _group_breaks(text)
    k = bisect_left(breaks, pos) - 1
    return max(sentence_start, breaks[k] + 1) if k >= 0 else sentence_start


def _after_text(text: str, m: Metric) -> str | None:
    """The rest of the clause when the counted noun follows the number (`8106名政法干警主动说明问题`), else None."""
    subject = m.subject_simplified or m.subject
    if not subject:
        return None
    i = m.end
    while i < m.end + 2 and i < len(text) and text[i] in "的余多":
        i += 1
    if not text.startswith(subject, i):
        return None
    j = i
    while j < m.sentence_end and text[j] not in _BREAKS and not text[j].isdigit():
        j += 1
    return text[i:j]


# How a counted noun of people ends (涉黑人员, 犯罪分子): `涉…` after a number of people is otherwise what they are
# suspected of (`拘捕10人涉煽惑他人投白票`), not what is counted.
_PEOPLE_NOUN_ENDS = ("人员", "分子", "嫌疑人", "被告人", "者", "干部", "干警", "民警", "官员")


# Prepositions that open the predicate after a counted noun (`1481起涉黑案件共对2453名犯罪分子没收…`).
_PREDICATE_PREPOSITIONS = ("对", "向", "把", "将")


def _counted_noun(catalog: Catalog, before: str, after: str, m: Metric) -> str:
    """The part of the text after a number that belongs to the metric's phrase.

    When the clause before the number already has its verb (`抽调了3名干警充实办公室力量`), the rest stops at the
    next verb or preposition (对, 向 …) after the counted noun: what comes from there is a purpose or a result
    (充实办公室力量), not what is counted. Without a verb before the number the rest of the clause is the predicate
    that says what the counted did (`8106名政法干警主动说明问题`). A `涉…` after a number of people that does not end
    with a noun of people says what they are suspected of and is dropped.
    """
    subject = m.subject_simplified or m.subject or ""
    if m.unit_family == "people" and after.startswith("涉") and not subject.endswith(_PEOPLE_NOUN_ENDS):
        return ""
    if subject and after.startswith(subject) and catalog.leading_verb(before) is not None:
        rest = after[len(subject) :]
        verb = catalog.first_heavy_verb(rest)
        cuts = [rest.index(verb)] if verb else []
        cuts += [k for k in (rest.find(p) for p in _PREDICATE_PREPOSITIONS) if k >= 0]
        if cuts:
            return after[: len(subject) + min(cuts)]
    return after


def metric_phrases(stext: str, metrics: Sequence[Metric], catalog: Catalog) -> tuple[list[str | None], list[str]]:
    """The normalised verb+object phrase of each metric (None when it says nothing), and the raw clause texts.

    The phrase is the clause before the number, followed by the rest of the clause when the counted noun comes
    after the number (`打掉3个黑恶团伙` → 打掉黑恶团伙); the previous figure's phrase for a second unit of the same
    object (`403件、579人`); the extractor's subject when the clause says nothing. `stext` is the document in
    simplified characters (`transforms.extract.simplify`, same offsets).
    """
    phrases: list[str | None] = []
    raws: list[str] = []
    last_end: dict[int, int] = {}  # sentence start → end of its latest metric so far
    for i, m in enumerate(metrics):
        prev_end = last_end.get(m.sentence_start, m.sentence_start)
        last_end[m.sentence_start] = max(prev_end, m.end)
        raw = _local_text(stext, m, max(prev_end, m.sentence_start))
        after = _after_text(stext, m)
        if after:
            raw = raw + _counted_noun(catalog, raw, after, m)
        raws.append(raw)
        phrase = catalog.normalise(_after_done_items(catalog, raw), simplified=True)
        prev = metrics[i - 1] if i else None
        if (
            prev is not None
            and prev.sentence_start == m.sentence_start
            and raw.strip("、 ") == ""
            and m.start - prev.end <= 1
            and prev.unit_family != m.unit_family
        ):
            # one object counted in two units: 起诉破坏市场经济秩序案件403件、579人
            phrase = phrases[i - 1]
        elif phrase is None or phrase in catalog.settings.scope_prefixes or _is_list_joint(raw):
            # nothing but a list's joint before it (`增加值分别增长10.6%和9.1%`): the figure's own subject
            phrase = _subject_phrase(catalog, m)
        phrases.append(phrase)
    return phrases, raws


_JOINER_CHARS = "".join(sorted(set("".join(_LIST_JOINS)))) + " "


def _is_list_joint(raw: str) -> bool:
    """Whether the text between two figures only joins them as items of one list (`、`, `和`, `及`)."""
    return raw.strip(_JOINER_CHARS) == ""


def _first_member_phrase(
    catalog: Catalog, metrics: Sequence[Metric], raws: list[str], phrase: str | None, i: int
) -> str | None:
    """The phrase of the first figure of a respectively list, which names its own member.

    `刑事、“两抢一盗”案件分别下降16.4%、19.6%`, `高技术产业和装备制造业增加值同比分别增长10.6%和9.1%`: the clause before
    the first figure names every member, and ends with the LAST one, so the first figure would take the last
    member's indicator. Its phrase is the clause with the list cut down to the member the extractor names for it
    (the verb before the list and the head after it kept: `受理刑事、民事案件` → `受理刑事案件`,
    `涉及政府部门及公营机构的投诉` → `涉及政府部门的投诉`), completed with the shortest end of the last member's name
    that makes it name an indicator (`刑事` + `案件`, `高技术产业` + `增加值`); when none does, the member without it
    (a figure without an indicator is better than one with another's). None for any other figure."""
    m = metrics[i]
    if "分别" not in raws[i] or i + 1 >= len(metrics):
        return None
    last = i
    while (
        last + 1 < len(metrics)
        and metrics[last + 1].sentence_start == m.sentence_start
        and _is_list_joint(raws[last + 1])
    ):
        last += 1
    if last == i:
        return None  # one figure after 分别: no list
    first, final = _subject_phrase(catalog, m), _subject_phrase(catalog, metrics[last])
    if not phrase or not first or not final or first == final:
        return None
    at, to = phrase.find(first), phrase.rfind(final)
    if at < 0 or to < at + len(first):
        return None  # the members are not both in the phrase as named: leave it
    before, after = phrase[:at], phrase[to + len(final) :]  # the verb before the list, the head after it
    kind = None if m.kind == "change_pct" else m.kind
    family = None if m.kind == "change_pct" else m.unit_family
    for k in range(len(final)):  # the shortest shared end of the last member's name that names an indicator
        candidate = before + first + final[len(final) - k :] + after
        if catalog.match(catalog.strip_change(candidate), kind, family) is not None:
            return candidate
    return before + first + after


def _after_done_items(catalog: Catalog, raw: str) -> str:
    """`raw` without the list items before it that are clauses of their own: an object and the verb that ends it
    (`实现命案现案全破、刑事案件同比下降` → `刑事案件同比下降`: all homicides solved, and criminal cases fell), whose
    verb does not govern what follows. Items that are a verb alone (`受理、审结案件`) or a verb and its object
    (`破获刑事案件、治安案件`) are kept: the verb may govern the next item; so are items before one that opens with a
    verb (`批捕、起诉人数`: coordinated verbs sharing what they count)."""
    k = raw.rfind("、")
    while k > 0:
        item = raw.rfind("、", 0, k) + 1  # where the item before this 、 starts
        verb = catalog.leading_verb(raw[item:k])
        rest = raw[k + 1 :]
        # an object before the verb (not a verb alone: 查封、扣押、冻结), and no verb opening the next item (not
        # coordinated verbs sharing what they count: 批捕、起诉人数)
        if verb and raw.endswith(verb, item, k) and k - item > len(verb) and not catalog.starts_with_verb(rest):
            return rest
        k = raw.rfind("、", 0, k)
    return raw


def _subject_phrase(catalog: Catalog, m: Metric) -> str | None:
    """The extractor's subject of a metric, normalised."""
    if m.subject_simplified:
        return catalog.normalise(m.subject_simplified, simplified=True)
    return catalog.normalise(m.subject)


def _domain_of(catalog: Catalog, phrase: str, verbs: frozenset[str]) -> str | None:
    """What a verb+object phrase is about, without its verb and its generic object (`受理行政公益诉讼受理线索` →
    行政公益诉讼), or None."""
    verb = catalog.first_heavy_verb(phrase)
    if verb is None:
        return None
    rest = phrase[phrase.index(verb) + len(verb) :]
    rest = next((rest[: -len(o)] for o in _OBJECTS if rest.endswith(o)), rest)
    rest = next((rest[:-k] for k in range(min(6, len(rest)), 0, -1) if rest[-k:] in verbs), rest)  # 受理
    return rest if len(rest) >= 2 else None


def _match_metric(
    catalog: Catalog, phrase: str | None, m: Metric, previous: str | None, verbs: frozenset[str]
) -> str | None:
    if phrase and phrase in verbs and previous:
        obj = next((o for o in _OBJECTS if previous.endswith(o)), None)
        if obj and (code := catalog.match(phrase + obj, m.kind, m.unit_family)):
            return code
    if phrase and previous and catalog.leading_verb(phrase) == phrase:
        # a bare verb in the field of the previous figure: 受理行政公益诉讼线索14件，立案3件 → 行政公益诉讼立案
        domain = _domain_of(catalog, previous, verbs)
        for candidate in (domain + phrase, phrase + domain) if domain else ():
            if code := catalog.match(candidate, m.kind, m.unit_family):
                return code
    code = catalog.match(phrase, m.kind, m.unit_family)
    if code is None and phrase and (bare := catalog.strip_change(phrase)) != phrase:
        # a headline puts the change after the count's object: 去年2264宗贪污投诉增18% → 贪污投诉
        code = catalog.match(bare, m.kind, m.unit_family)
    if code is None and m.subject:
        # the extractor's subject, when the phrase does not already end with it (a verb or a qualifier before it
        # was seen and refused by the match)
        subject = _subject_phrase(catalog, m)
        if subject and phrase and subject not in phrase:
            code = catalog.match(subject, m.kind, m.unit_family)
    if code is None:
        # a named crime family between the verb and its case noun: 起诉侵犯商标权、专利权等案件
        code = catalog.named_member_variant(phrase, m.kind, m.unit_family)
    return code


def _respective_member(catalog: Catalog, code: str, m: Metric) -> str:
    """In a respectively list (`涉及政府部门及公营机构的投诉分别有645宗及137宗`) the phrase ends with the last member;
    the first figure takes the member the extractor's subject names (政府部门), of the same base."""
    ind = catalog.by_code[code]
    if not (ind.derivation and ind.derivation.startswith("dim:") and ind.base):
        return code
    dim = ind.derivation[4:].split("=", 1)[0]
    member = catalog.member_of(_subject_phrase(catalog, m), (dim,))
    return (catalog.variant(ind.base, member) or code) if member else code


def _dims(catalog: Catalog, code: str | None) -> tuple[str, ...]:
    ind = catalog.by_code.get(code or "")
    if ind is None or ind.derivation is not None:
        return ()
    return ind.dims


def indicator_codes(text: str, metrics: Sequence[Metric], links: Sequence[Link], catalog: Catalog) -> list[str | None]:
    """The indicator code of each metric of one document (None where the catalog has no fitting indicator)."""
    text = _simplified(text)  # once per document: the phrases are slices of the simplified text
    phrases, raws = metric_phrases(text, metrics, catalog)
    for i in range(len(metrics)):
        if (first := _first_member_phrase(catalog, metrics, raws, phrases[i], i)) is not None:
            phrases[i] = first
    verbs = load_verbs()
    codes: list[str | None] = [None] * len(metrics)
    same_sentence_prev: list[int | None] = []
    latest: dict[int, int] = {}
    for i, m in enumerate(metrics):
        same_sentence_prev.append(latest.get(m.sentence_start))
        latest[m.sentence_start] = i
    for i, m in enumerate(metrics):
        if m.kind in ("change_pct", "rank"):
            continue
        j = same_sentence_prev[i]
        previous = phrases[j] if j is not None else None
        verb = catalog.leading_verb(previous) if raws[i].lstrip().startswith(_LIST_JOINS) else None
        if verb and phrases[i] and catalog.leading_verb(phrases[i]) is None:
            # a list goes on under the verb of its first item: 查处治安案件3983起、违法人员3312人 → 查处违法人员
            codes[i] = catalog.match(verb + phrases[i], m.kind, m.unit_family)
            if codes[i] is not None or catalog.match(phrases[i], m.kind, m.unit_family) is None:
                continue
            # the item is a whole phrase by itself that the verb does not govern: 落地项目1.65万个、总投资7329亿元
        codes[i] = _match_metric(catalog, phrases[i], m, previous, verbs)
        if m.kind == "count" and phrases[i] and catalog.leading_verb(phrases[i]) is None:
            flow = _flow_verb(text, m.start)  # 收案情况 / 刑事案件262件: new criminal cases, not police incidents
            staged = catalog.match(flow + phrases[i], m.kind, m.unit_family) if flow else None
            codes[i] = staged or codes[i]
        if "分别" in raws[i]:
            # every member of a respectively list (`法定审限内结案率和一审服判息诉率分别为99.4%和83.1%`) ends the
            # phrase with the last member: a member the extractor names as a whole indicator of its own is that one
            subject = _subject_phrase(catalog, m)
            # a verb before the first member governs every member: 破获刑事案件、治安案件 (but not 新收案件、审结案件,
            # where 审结 is the second member's own)
            verb = catalog.leading_verb(phrases[i])
            raw = _simplified(raws[i])
            if subject and verb and catalog.leading_verb(subject) is None and -1 < raw.find(verb) < raw.find(subject):
                subject = verb + subject
            own = catalog.match(subject, m.kind, m.unit_family) if subject else None
            named = catalog.by_code[own] if own is not None else None
            if named is not None and own != codes[i] and (subject == named.name_zh or subject in named.forms):
                codes[i] = own
            elif codes[i]:
                codes[i] = _respective_member(catalog, codes[i], m)
    _apply_verbs_of_the_document(catalog, metrics, phrases, codes)
    _apply_ranges(metrics, raws, codes)
    _apply_group_types(text, metrics, phrases, codes, catalog)
    _apply_members(text, metrics, phrases, codes, catalog)
    _apply_totals(text, metrics, raws, phrases, codes, catalog)
    _apply_shares(metrics, raws, codes, catalog, same_sentence_prev)
    for link in links:
        if link.relation == "part_of":
            member = catalog.member_of(phrases[link.source], _dims(catalog, codes[link.target]))
            variant = catalog.variant(codes[link.target], member) if member else None
            if variant:
                codes[link.source] = variant
        elif link.relation == "resolved_of":
            base = catalog.by_code.get(codes[link.target] or "")
            if base is not None and base.resolved:
                codes[link.source] = base.resolved
            elif codes[link.source] == codes[link.target]:
                codes[link.source] = None
    for i, m in enumerate(metrics):
        if m.kind == "rank":
            codes[i] = _rank_code(catalog, raws[i], m)
    for i, m in enumerate(metrics):
        if m.kind in _ABSOLUTE_CHANGE_KINDS and m.modifies is not None:
            # `同比减少12件` after `行政诉讼案件31件` is the count's change, not another instance of the count; the
            # catalog has no absolute-change indicators, so it has none
            codes[i] = None
        if m.kind != "change_pct" or m.unit not in _CHANGE_UNITS:
            continue
        base = codes[m.modifies] if m.modifies is not None and 0 <= m.modifies < len(metrics) else None
        if base is None:
            own = catalog.strip_change(phrases[i] or "")
            base = catalog.match(catalog.normalise(own, simplified=True), None, None)
        codes[i] = catalog.change_of(base, m.unit)
    return codes


def _apply_verbs_of_the_document(
    catalog: Catalog, metrics: Sequence[Metric], phrases: list[str | None], codes: list[str | None]
) -> None:
    """A bare verb counts what the same bare verb last counted in the document, read from its context there
    (`受理各类案件25.4万件，办结23.1万件……其中市中院受理2.8万件，办结2.4万件`: the second 办结 closes cases,
    as the first does), for a figure of the same kind and unit family, when the verb alone gave it no indicator or
    only the one the verb names out of context. A verb with an object (`抓获邪教人员`) lends nothing: the next bare
    one may count something else."""
    last: dict[tuple[str, str, str], str] = {}  # (bare verb, kind, unit family) → the indicator it last counted
    for i, m in enumerate(metrics):
        phrase = phrases[i]
        if not phrase or m.kind in ("change_pct", "rank"):
            continue
        verb = catalog.leading_verb(phrase)
        if verb is None:
            continue
        key = (verb, m.kind, m.unit_family)
        bare = phrase == verb  # the verb alone: it names nothing it counts (`受理`, `办结`)
        earlier = last.get(key) if bare else None
        if earlier is not None and codes[i] in (None, catalog.match(verb, m.kind, m.unit_family)):
            codes[i] = earlier
        if bare and codes[i] is not None:
            last[key] = codes[i]


def _rank_code(catalog: Catalog, raw: str, m: Metric) -> str | None:
    """The rank indicator of what a rank ranks: the phrase before its rank verb (`结案率位居全市法院第一`), else the
    extractor's subject (`综合满意率全省排名第9位`)."""
    cut = _rank_words_re().search(raw)
    for phrase in (catalog.normalise(raw[: cut.start()] if cut else raw, simplified=True), _subject_phrase(catalog, m)):
        base = catalog.match(phrase, None, None)
        if base and (code := catalog.rank_of(base)):
            return code
    return None


@cache
def _rank_words_re() -> re.Pattern[str]:
    from transforms.lexicon import load_lexicon

    words = sorted(set(load_lexicon().rank) | set(load_lexicon().rank_scope), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _apply_ranges(metrics: Sequence[Metric], raws: list[str], codes: list[str | None]) -> None:
    """The second value of `由A降至B` / `从A增长到B` is the same indicator as the first (`命案由9起降至2起`)."""
    for i in range(1, len(metrics)):
        m, prev = metrics[i], metrics[i - 1]
        same = codes[i] is None and codes[i - 1] and prev.sentence_start == m.sentence_start
        if same and prev.unit_family == m.unit_family and _RANGE_END_RE.match(raws[i]):
            codes[i] = codes[i - 1]


def _apply_group_types(
    text: str, metrics: Sequence[Metric], phrases: list[str | None], codes: list[str | None], catalog: Catalog
) -> None:
    """A base indicator with dimensions takes the one member its clause group names before its first number
    (`刑事案件旧存4件,新收25件`, `受理民事案件120件,旧存8件`)."""
    openings: dict[int, str | None] = {}  # group start → its normalised text before its first metric
    starts = [p.start for p in metrics]  # ascending: the metrics are in text order
    for i, m in enumerate(metrics):
        dims = _dims(catalog, codes[i])
        if not dims or catalog.members_named(phrases[i], dims):
            continue
        g = _group_start(text, m)
        if g not in openings:
            k = bisect_left(starts, g)  # the group's first metric (this one at the latest)
            first = starts[k] if k < len(starts) and starts[k] <= m.start else m.start
            openings[g] = catalog.normalise(text[g:first], simplified=True)
        named = catalog.members_named(openings[g], dims)
        variant = catalog.variant(codes[i], named.pop()) if len(named) == 1 else None
        if variant:
            codes[i] = variant


def _apply_members(
    text: str, metrics: Sequence[Metric], phrases: list[str | None], codes: list[str | None], catalog: Catalog
) -> None:
    """A figure that names only a dimension member (`其中省部级干部90人`, `县处级干部11659人`) takes that member's
    variant of the indicator of an earlier figure of its clause group, or of the indicator whose verb the group
    opens with (`审查立案各级党政官员78.9万件，其中省部级干部90人`)."""
    for i, m in enumerate(metrics):
        if codes[i] is not None or m.kind != "count":
            continue
        # the phrase may say something else (`去年全年也只有73人`): the extractor's subject may still name a member
        named = catalog.dims_of(phrases[i]) or catalog.dims_of(_subject_phrase(catalog, m))
        if named is None:
            continue
        dim, member = named
        g = _group_start(text, m)
        if g > m.sentence_start and text.startswith("其中", g):
            # `审查立案78.9万件；其中省部级干部90人`: a 其中 group breaks down the group before it
            g = _group_start_at(text, g - 1, m.sentence_start)
        earlier = [j for j in range(i - 1, -1, -1) if metrics[j].start >= g and codes[j]]
        base = None
        for j in earlier:
            ind = catalog.by_code[codes[j] or ""]
            root = catalog.by_code.get(ind.base or "") if ind.derivation and ind.derivation.startswith("dim:") else ind
            if root is not None and dim in root.dims and catalog.fits(root, m.kind, m.unit_family):
                base = root.code
                break
        if base is None:
            first = min((p.start for p in metrics if p.start >= g), default=m.start)
            base = catalog.base_named_in(catalog.normalise(text[g:first], simplified=True), dim, m.kind, m.unit_family)
        if base is None:
            base = _paragraph_base(text, metrics, codes, catalog, i, dim)
        codes[i] = catalog.variant(base, member) if base else None


# How many earlier figures a part named by its member looks back over for its total (a paragraph rarely has more).
_PARAGRAPH_LOOKBACK = 30


def _paragraph_base(
    text: str, metrics: Sequence[Metric], codes: list[str | None], catalog: Catalog, i: int, dim: str
) -> str | None:
    """The base indicator with dimension `dim` of the nearest earlier figure of the same paragraph that fits metric
    `i` (`去年2,264宗贪污投诉中……。私营机构则占1,482宗`: a part named by its member refers back to its total)."""
    m = metrics[i]
    for j in range(i - 1, max(-1, i - 1 - _PARAGRAPH_LOOKBACK), -1):
        if "\n" in text[metrics[j].end : metrics[j + 1].start]:
            return None
        ind = catalog.by_code.get(codes[j] or "")
        if ind is None:
            continue
        root = catalog.by_code.get(ind.base or "") if ind.derivation and ind.derivation.startswith("dim:") else ind
        if root is None or root.derivation is not None:
            continue
        if dim in root.dims and catalog.fits(root, m.kind, m.unit_family):
            return root.code
    return None


def _apply_shares(
    metrics: Sequence[Metric],
    raws: list[str],
    codes: list[str | None],
    catalog: Catalog,
    previous: list[int | None],
) -> None:
    """A bare share after a count (`第一种形态820人次，占68.3%`) takes the count indicator's `share` indicator."""
    for i, m in enumerate(metrics):
        j = previous[i]
        if codes[i] is not None or m.kind != "percent" or j is None:
            continue
        if not raws[i].strip("，,、 ").startswith(("占", "比例", "比重")):
            continue
        ind = catalog.by_code.get(codes[j] or "")
        if ind is not None and ind.share:
            codes[i] = ind.share


def _apply_totals(
    text: str,
    metrics: Sequence[Metric],
    raws: list[str],
    phrases: list[str | None],
    codes: list[str | None],
    catalog: Catalog,
) -> None:
    """A `共计` total after parts in its clause group takes the indicator they add up to (旧存 + 新收 = 受理)."""
    for i, m in enumerate(metrics):
        stripped = raws[i].strip("，,、 \u3000")
        if m.kind != "count" or stripped not in _TOTAL_WORDS:
            continue
        g = _group_start(text, m)
        parts = [codes[j] for j in range(i) if metrics[j].start >= g and metrics[j].kind == "count" and codes[j]]
        if len(parts) < 2:
            continue
        bases = [catalog.by_code[c].base or c for c in parts]
        members = {c.split("__", 1)[1] for c in parts if "__" in c}
        total = catalog.total_of(bases)
        if total and len(members) <= 1:
            codes[i] = catalog.variant(total, members.pop()) if members else total


@cache
def load_verbs() -> frozenset[str]:
    """Action verbs (extraction lexicon) that a bare phrase may consist of."""
    from transforms.lexicon import load_lexicon

    return frozenset(load_lexicon().action)


def annotate(text: str, metrics: Sequence[Metric], catalog: Catalog) -> tuple[list[str | None], list[Link]]:
    """Indicator codes and links for the metrics of one document (the rate links use the final codes)."""
    parts = breakdown_links(text, metrics)
    resolved = resolved_links(text, metrics, skip=set())
    codes = indicator_codes(text, metrics, parts + resolved, catalog)
    rates = rate_links(text, metrics, codes, catalog, skip={link.source for link in parts})
    return codes, parts + resolved + rates
