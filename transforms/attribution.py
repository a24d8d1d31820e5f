"""Attribution of metric mentions: the body that reported a figure, the division it belongs to, and its period.

Input is one report's text, the [start, end) offsets of its metric mentions, and the report's `DocumentMeta`.
Output is one `Attribution` per mention. Evidence is collected once per document (places, scope words such as
`全区`, organisation names, period phrases) and each mention takes the nearest evidence before it, looking no
further than its clause, sentence or paragraph depending on the kind of evidence; a mention with no region evidence
belongs to the document's region. Anything the text does not settle stays None.
"""

from __future__ import annotations

import bisect
import calendar
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from transforms.metadata import (
    ABBR,
    CITY,
    COUNTY,
    PROVINCE,
    SHORT,
    Division,
    DocumentMeta,
    Gazetteer,
    PlaceMention,
    gazetteer,
    lexicon,
    read_places,
    simplified,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who reported one metric mention and for when: `org` is the reporting body, normalized to its full name when
    the region makes that unambiguous (`区法院` in 石峰区 → 石峰区人民法院); `region` the full name of its division
    (湖南省株洲市石峰区, or 全国) and `region_code` its six-digit code; `period_start`/`period_end` the window a
    flow figure covers and `as_of` the date a stock figure was counted at; `org_kind` the kind of body (one of
    `ORG_KINDS`), also when the text names the body only by its kind (`我院`). Unknown values are None."""

    org: str | None
    region: str | None
    region_code: str | None
    period_start: date | None
    period_end: date | None
    as_of: date | None
    org_kind: str | None = None


EMPTY = Attribution(None, None, None, None, None, None)

ORG_KINDS = ("court", "procuratorate", "police", "justice", "political_legal", "discipline", "government")
"""Kinds of body: courts, procuratorates, public security, justice administration (司法行政: legal aid, mediation,
prisons), the political-legal committee or system as a whole, discipline inspection, and party or government."""

_LEVEL_OF_RANK = {PROVINCE: "province", CITY: "city", COUNTY: "county"}
_SENTENCE_END_RE = re.compile("[。！？!?\n]")
_CLAUSE_END_RE = re.compile("[。！？!?\n；;]")
_LIST_GAPS = frozenset({"", "、", "和", "及", "与", "，", ","})
_CONJUNCTIONS = "和及与、"
_ANY: Callable[[Any], bool] = lambda _: True  # noqa: E731  (any evidence will do)
_REQUIRED = {  # a period phrase of this kind holds one of these words; a text with none skips its pattern
    "plan": ("五期间", "五时期", "五以来", "五来", "五规划"),
    "as_of_now": ("截",),
    "as_of": ("截",),
    "since_now": ("来",),
    "since": ("以来", "起"),
    "since_event": ("以来",),
    "month_rel": ("月",),
    "years_since": ("年",),
    "date": ("日", "号"),
}
_PHRASE_ENDS = "，,：:"  # punctuation after which a phrase opens
_STOCK_STOPS = frozenset("，,、；;：:（(。！？!?\n")  # a stock word is looked for after the last of these
_NAME_OPENERS = ("“", "《", '"', "「")
_DESCRIPTOR_CHARS = 16
_PLACE_DESCRIPTOR_CHARS = 2  # words between a place and any suffix that belong to the body's name (`司法`)
_HEAD_GAP = 1  # characters between a figure and the body right after it whose members it counts (`458名政法干警`)
_HEADING_MAX_CHARS = 40
_HEADING_END_CHARS = "。！？!?；;，,：:、"
_HEADLINE_DIGITS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d年月日号]|\s*[-—–~至到]\s*\d)")  # a figure, not a date
_HEADING_MARKERS = (  # numbering of a section heading, outermost first; an unnumbered heading line is level 0
    (1, re.compile(r"[一二三四五六七八九十]+[、.．]")),  # 一、
    (2, re.compile(r"[（(][一二三四五六七八九十]+[)）]")),  # （一）
    (3, re.compile(r"\d{1,2}[、.．](?!\d)")),  # 1.
    (4, re.compile(r"[（(]\d{1,2}[)）]")),  # （1）
)


# ---------------------------------------------------------------------------------------------------------------
# Lexicon-built patterns


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Regular expressions built once from the lexicons."""

    scope: re.Pattern[str]
    comparison: re.Pattern[str]
    org: re.Pattern[str]
    org_entries: dict[str, dict[str, Any]]
    meeting: re.Pattern[str]
    self_ref: re.Pattern[str]
    joiners: tuple[str, ...]
    periods: tuple[tuple[str, re.Pattern[str]], ...]
    frame: re.Pattern[str]
    subject_lead: re.Pattern[str]
    self_words: frozenset[str]
    announce: re.Pattern[str]
    stock: re.Pattern[str]


def _alt(words: Sequence[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@cache
def _patterns() -> _Patterns:
    scopes = lexicon("scopes")
    levels = "".join(scopes["level_chars"])
    prefixes = _alt(scopes["document_prefixes"] + scopes["recent_prefixes"])
    scope = re.compile(
        rf"""(?P<national>{_alt(scopes["national_words"])})
           | (?P<multi>{_alt(scopes["multi_level"])})
           | (?P<prefix>{prefixes})(?P<level>[{levels}])""",
        re.VERBOSE,
    )
    comparison = re.compile(
        rf"""(?:{_alt(scopes["comparison_verbs"] + scopes["title_verbs"])})  # 位居, 跃居, 获评 ...
             (?=全国|全[{levels}]|[{levels}]内|同[级类])  # ... followed by the ranking's field or the title's scope
             [^，。；、,;！？!?\n]*                        # masked up to the next punctuation
           | (?:全国|全[{levels}])(?:范围内|内)?           # or a whole division's scope ...
             (?={_alt(scopes["ranking_after"])})          # ... before the rank it is the field of (全省排名第9位)
             [^，。；、,;！？!?\n]*""",
        re.VERBOSE,
    )
    orgs = lexicon("orgs")
    org_entries = {e["suffix"]: e for e in orgs["suffixes"]}
    org = re.compile(_alt(list(org_entries)))
    meeting = re.compile(
        rf"""(?:(?!{_alt(orgs["meeting_verbs"])})[\u4e00-\u9fff]){{0,8}}?  # a few words that are no verb of holding it
             (?:{_alt(orgs["meeting_words"])})                          # ... then a meeting word""",
        re.VERBOSE,
    )

    p = lexicon("periods")
    num = "[0-9〇零一二两三四五六七八九十]+"
    year = rf"(?:\d{{4}}年|{_alt(list(p['relative_years']))})"
    point = rf"""(?P<py>{year})?
                 (?:(?P<pm>{num})月(?:(?P<pd>{num})[日号]|(?P<pe>底|末|份))?
                   |(?P<pye>年底|年末|(?<=年)底|(?<=年)末))"""  # 2021年底, 去年底
    periods = (
        ("ignore", re.compile(_alt(p["comparison_bases"]))),
        ("ignore", re.compile(rf"(?:{_alt(p['comparing_words'])})(?:{_alt(list(p['relative_years']))})")),
        (
            "as_of_now",
            re.compile(rf"(?:{_alt(p['as_of_markers'])})\s*(?:{_alt(p['as_of_now'])})"),
        ),
        ("as_of", re.compile(rf"(?:{_alt(p['as_of_markers'])})\s*{point}", re.VERBOSE)),
        ("since_now", re.compile(_alt(p["since_now"]))),
        ("since", re.compile(rf"自?{point}(?:以来|起)", re.VERBOSE)),
        (
            "since_event",  # 自2018年开展专项斗争以来: since the year (and month) an event began
            re.compile(rf"自(?P<py>\d{{4}}年)(?:(?P<pm>{num})月)?[^，。；,;！？!?\n]{{1,16}}?以来"),
        ),
        (
            "month_rel",
            re.compile(rf"(?:{_alt(list(p['relative_months']))})(?!份?[0-9〇零一二两三四五六七八九十]+[日号])"),
        ),
        ("years_since", re.compile(rf"(?:近|过去)?(?P<n>{num})个?年多?(?:来|以来)|(?:近|过去)(?P<n2>{num})年")),
        ("plan", re.compile(r"(?P<plan>十?[一二三四五六七八九])五(?:规划)?(?:期间|时期|以来|来)")),  # 十三五期间
        (
            "date",  # 6月11日; with a second day a range (`range`): 2016年1月1日至2016年4月15日, 1月1日至4月15日
            re.compile(
                rf"""(?P<y>\d{{4}})?年?(?<![0-9])(?P<m>{num})月(?P<d>{num})[日号]
                     (?:\s*(?:至|到|-|—|–|~)\s*(?P<y2>\d{{4}}年)?(?:(?P<m2>{num})月)?(?P<d2>{num})[日号])?""",
                re.VERBOSE,
            ),
        ),
        (
            "year_part",
            re.compile(
                rf"""(?P<y>{year})?
                     (?:(?P<part>{_alt(list(p["year_parts"]))})
                       |前(?P<first>{num})个?月
                       |第?(?P<q1>{num})\s*(?:至|到|-|—|–|~)\s*第?(?P<q2>{num})季度?   # 第1至3季
                       |第(?P<q>{num})季度?                                     # 第3季
                       |前(?P<qf>{num})个?季度?                                  # 前3季
                       |(?P<m1>{num})\s*(?:至|-|—|–|~|到)\s*(?P<m2>{num})月份?
                       |(?P<m>{num})月份?)""",
                re.VERBOSE,
            ),
        ),
        (
            "year",  # 2020年, 去年; with a second year a range (`year_range`): 2018年至2022年, 2018—2022年
            re.compile(
                rf"""(?P<y>\d{{4}})(?:年?\s*(?:至|到|-|—|–|~)\s*(?P<y2>\d{{4}}))?年(?![0-9代])
                   |(?P<rel>{_alt(list(p["relative_years"]))})""",
                re.VERBOSE,
            ),
        ),
    )
    # a phrase that may open with an optional part opens with one of these characters: checking it first keeps the
    # scan fast (a pattern that opens with a word is scanned faster without it)
    opener = "(?=[0-9〇零一二两三四五六七八九十今本当去上下前后年全截自近过第同首])"
    optional_start = {"since", "years_since", "range", "date", "year_part"}
    periods = tuple(
        (kind, re.compile(opener + pattern.pattern, pattern.flags) if kind in optional_start else pattern)
        for kind, pattern in periods
    )
    self_ref = re.compile(_alt(list(orgs["self_references"])))
    frame = re.compile(
        rf"""(?:{_alt(orgs["frame_openers"])})              # 在, 受
             [^。；;！？!?\n]{{1,30}}?                        # ... the bodies that lead or oversee ...
             (?:{_alt(orgs["frame_words"])})[^，。；,;\n]{{0,6}}?下  # ... 领导, 指导, 监督 ... 下""",
        re.VERBOSE,
    )
    subject_lead = re.compile(  # 2015年， 近年来， （某某社某地电） 我代表
        rf"[\s，,、]*(?:(?:\d{{4}}年度?(?:以来)?|[（(【][^）)】]{{1,24}}[）)】]|{_alt(orgs['subject_openers'])})[，,、\s]*)*"
    )
    return _Patterns(
        scope,
        comparison,
        org,
        org_entries,
        meeting,
        self_ref,
        tuple(orgs["joiners"]),
        periods,
        frame,
        subject_lead,
        frozenset(orgs["self_references"]),
        re.compile(_alt(orgs["announce_verbs"])),
        re.compile(rf"(?P<open>{_alt(p['opening_stock'])})|(?P<close>{_alt(p['closing_stock'])})"),
    )


def _number(word: str | None) -> int | None:
    """A small number written in digits or Chinese numerals (`9`, `九`, `十二`, `两`)."""
    if not word:
        return None
    if word.isdigit():
        return int(word)
    digits = lexicon("periods")["numerals"]
    if "十" in word:
        tens, _, ones = word.partition("十")
        return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    value = 0
    for ch in word:
        if ch not in digits:
            return None
        value = value * 10 + digits[ch]
    return value


def _is_word_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isdigit()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_year(
    window: tuple[date | None, date | None, date | None], year: int
) -> tuple[date | None, date | None, date | None] | None:
    """A window within one year (1 January to 15 April) moved to `year`; None when it spans years."""
    first, last, _ = window
    if first is None or last is None or first.year != last.year:
        return None
    try:
        return first.replace(year=year), last.replace(year=year), None
    except ValueError:  # 29 February
        return None


def _plausible(
    window: tuple[date | None, date | None, date | None] | None,
) -> tuple[date | None, date | None, date | None] | None:
    """`window` when every date in it lies in the years a report can speak of (`year_bounds` of the periods
    lexicon), else None: a misread date (the year 4, 9999) is unknown, never a value that fails validation."""
    if window is None:
        return None
    first, last = lexicon("periods")["year_bounds"]
    if all(d is None or first <= d.year <= last for d in window):
        return window
    return None


# ---------------------------------------------------------------------------------------------------------------
# Evidence


@dataclass(frozen=True, slots=True)
class _Evidence:
    """One piece of evidence at [start, end): `value` is a division code (region), an `_Org` (organisation) or a
    `(start, end, as_of)` triple (period); None means the text names something here that cannot be resolved, which
    stops the search rather than letting a farther piece of evidence stand in."""

    start: int
    end: int
    value: Any
    clause_only: bool = False


@dataclass(frozen=True, slots=True)
class _Org:
    """An organisation as written, and its normalized name when its own prefix settles it (`written` alone when
    the name was bare and the metric's region may complete it)."""

    written: str
    name: str | None
    suffix: str
    code: str | None = None
    kind: str | None = None


@dataclass(slots=True)
class _Heading:
    """A section heading line at [start, end): its numbering level, the window its own period phrase names (if
    any), the year it writes (if any), and the heading it sits under."""

    start: int
    end: int
    level: int
    parent: _Heading | None
    window: tuple[date | None, date | None, date | None] | None = None
    year: int | None = None

    def inherited_window(self) -> tuple[date | None, date | None, date | None] | None:
        head: _Heading | None = self
        while head is not None and head.window is None:
            head = head.parent
        return head.window if head else None

    def inherited_year(self) -> int | None:
        head: _Heading | None = self
        while head is not None and head.year is None:
            head = head.parent
        return head.year if head else None


def _headings(text: str) -> list[_Heading]:
    """Section headings: short lines without closing punctuation (`一、2022年工作回顾`), each under the nearest
    earlier heading of an outer level (a heading of the same or an outer level closes a section)."""
    out: list[_Heading] = []
    stack: list[_Heading] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group().strip()
        if not line or len(line) > _HEADING_MAX_CHARS or line[-1] in _HEADING_END_CHARS:
            continue
        if not any("\u4e00" <= ch <= "\u9fff" for ch in line):
            continue
        level, marker = next(((lv, mk.match(line)) for lv, mk in _HEADING_MARKERS if mk.match(line)), (0, None))
        if _HEADLINE_DIGITS.search(line, marker.end() if marker else 0):
            continue  # a headline with figures (`去年破获案件2.5万起`) is a title, not a section heading
        while stack and stack[-1].level >= level:
            stack.pop()
        head = _Heading(m.start(), m.end(), level, stack[-1] if stack else None)
        stack.append(head)
        out.append(head)
    return out


class _Segments:
    """Clause, sentence and paragraph starts of a text, to find the one a position lies in."""

    def __init__(self, text: str) -> None:
        self.para = [m.start() for m in re.finditer("\n", text)]
        self.sent = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
        self.clause = [m.start() for m in _CLAUSE_END_RE.finditer(text)]

    @staticmethod
    def _start(bounds: list[int], pos: int) -> int:
        i = bisect.bisect_left(bounds, pos)
        return bounds[i - 1] + 1 if i else 0

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.clause, pos)
        return self.clause[i - 1] + 1 if i else 0

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.sent, pos)
        return self.sent[i - 1] + 1 if i else 0

    def paragraph_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.para, pos)
        return self.para[i - 1] + 1 if i else 0


def _nearest(
    evidence: list[_Evidence], starts: list[int], pos: int, floor: int, allow: Callable[[_Evidence], bool]
) -> _Evidence | None:
    """The last evidence that ends at or before `pos` and starts at or after `floor`."""
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0 and evidence[i].start >= floor:
        ev = evidence[i]
        if ev.end <= pos and allow(ev):
            return ev
        i -= 1
    return None


class _DocumentContext:
    """All evidence of one document, built once; `attribute` then answers each mention by bisection."""

    def __init__(self, text: str, meta: DocumentMeta) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.pat = _patterns()
        self.text, mentions = read_places(text)
        self.segments = _Segments(self.text)
        national = lexicon("scopes")["national"]
        self.national_code: str = national["code"]
        self.national_name: str = national["name"]
        self.doc_code = meta.region_code if meta.region_code in self.gaz.by_code else None
        self.doc_is_national = meta.region_code == self.national_code
        doc_date = meta.published_at.date() if meta.published_at else None
        self.doc_date = doc_date if _plausible((doc_date, None, None)) else None
        self.masked = self._comparison_mask()
        self.frames = self._frames()
        self.frame_starts = [f[0] for f in self.frames]
        self.level_codes: dict[str, str | None] = {}
        self.scope_matches = list(self.pat.scope.finditer(self.text))
        self.org_matches = list(self.pat.org.finditer(self.text))
        self.places = self._places(mentions)
        self.whole_scopes: list[_Evidence] = []  # 全省, 全市, 全国: a figure of a whole division
        self.region_names: dict[str, str] = {}
        self.lead_spans: list[tuple[int, int]] | None = None
        self.regions = self._regions()
        self.whole_scope_starts = [e.start for e in self.whole_scopes]
        self.region_starts = [e.start for e in self.regions]
        self.headings = _headings(self.text)
        self.heading_starts = [h.start for h in self.headings]
        self.periods = self._periods()
        self.period_starts = [e.start for e in self.periods]
        self.doc_window = self._document_window(meta.title)
        self.stock_hits = self._stock_words()
        self.stock_ends = [h[0] for h in self.stock_hits]
        self.orgs = self._orgs()
        self.lead: _Org | None = None
        self.lead = self._lead_body(meta)
        self.orgs = sorted(self.orgs + self._self_references(), key=lambda e: (e.start, e.end))
        self.org_starts = [e.start for e in self.orgs]
        self._subjects: tuple[list[_Evidence], list[int]] | None = None
        if self.lead is None:
            self.lead = self._lead_kind()

    # -- regions ------------------------------------------------------------------------------------------------

    def _comparison_mask(self) -> list[tuple[int, int]]:
        return [m.span() for m in self.pat.comparison.finditer(self.text)]

    def _is_masked(self, start: int) -> bool:
        return any(s <= start < e for s, e in self.masked)

    def _in_doc(self, div: Division, depth: int) -> bool:
        """Whether `div` lies in the document's province (depth 0) or city (depth 1)."""
        if self.doc_code is None:
            return False
        anchor = self.doc_code[:2] + "0000" if depth == 0 else self.doc_code[:4] + "00"
        if depth == 1 and self.doc_code.endswith("0000"):
            anchor = self.doc_code
        return Gazetteer.within(div.code, anchor)

    def _places(self, mentions: Sequence[PlaceMention]) -> list[tuple[PlaceMention, Division]]:
        """Places believed to be named in the text, each resolved to one division: full names anywhere,
        abbreviations of provinces anywhere, abbreviations of cities and counties inside the document's province
        or right after their parent (`海南万宁`), short county names only inside the document's city."""
        out: list[tuple[PlaceMention, Division]] = []
        for m in mentions:
            if self._is_masked(m.start):
                continue
            prev = out[-1] if out and out[-1][0].end == m.start else None
            under_prev = [d for d in m.candidates if prev and Gazetteer.within(d.code, prev[1].code)]
            in_province = [d for d in m.candidates if self._in_doc(d, 0)]
            chosen: Division | None
            if under_prev:
                chosen = under_prev[0]
            elif m.form == SHORT:
                city_doc = self.doc_code is not None and not self.doc_code.endswith("0000")
                chosen = next((d for d in m.candidates if city_doc and self._in_doc(d, 1)), None)
            elif m.candidates[0].rank == PROVINCE:
                chosen = m.candidates[0]
            elif m.form == ABBR or m.end - m.start <= 2:  # `遂宁`, `范县` (also the tail of 示范县)
                chosen = in_province[0] if in_province else None
            else:
                chosen = in_province[0] if in_province else m.candidates[0]
            if chosen is not None:
                out.append((m, chosen))
        return out

    def _by_level(self, level_char: str) -> str | None:
        """The document's region or its nearest parent whose name ends with `level_char` (全市 → 株洲市)."""
        if self.doc_code is None:
            return None
        if level_char not in self.level_codes:
            lineage = self.gaz.lineage(self.doc_code)
            self.level_codes[level_char] = next((d.code for d in lineage if d.name.endswith(level_char)), None)
        return self.level_codes[level_char]

    def _scope_code(self, m: re.Match[str]) -> str | None:
        if m.group("national"):
            return self.national_code
        if multi := m.group("multi"):
            if self.doc_is_national:
                return self.national_code
            return self._by_level(multi[0]) or self.doc_code
        level = m.group("level")
        if m.group("prefix") in lexicon("scopes")["recent_prefixes"]:
            before = [d for p, d in self.places if p.end <= m.start() and d.name.endswith(level)]
            return before[-1].code if before else None
        return self._by_level(level)

    def _regions(self) -> list[_Evidence]:
        """Region evidence: places other than the parents of the document's own region (a district report that
        names its city, `杭州未来科技城`, still reports for the district), scope words other than those that
        qualify a name (`全省“科技创新鼎”`), and national bodies (`最高人民法院`)."""
        parents = {d.code for d in self.gaz.lineage(self.doc_code)[1:]} if self.doc_code else set()
        evidence = [_Evidence(p.start, p.end, d.code) for p, d in self.places if d.code not in parents]
        for m in self.scope_matches:
            if not self._is_masked(m.start()) and not self.text.startswith(_NAME_OPENERS, m.end()):
                evidence.append(_Evidence(m.start(), m.end(), self._scope_code(m)))
                if m.group("national") or m.group("prefix") == "全":
                    self.whole_scopes.append(evidence[-1])
        for m in self.org_matches:
            entry = self.pat.org_entries[m.group()]
            if (entry.get("national") or entry.get("region")) and not self._is_masked(m.start()):
                evidence.append(_Evidence(m.start(), m.end(), entry.get("region") or self.national_code))
        evidence.sort(key=lambda e: (e.start, e.end))
        return evidence

    def _lca(self, codes: list[str]) -> str | None:
        common = set.intersection(*({d.code for d in self.gaz.lineage(c)} for c in codes))
        return max(common, key=lambda c: self.gaz.by_code[c].rank, default=None)

    def _listed(self, ev: _Evidence) -> str | None:
        """For a place that closes a list (`红古区、清水县、渭源县等`), the division holding the whole list."""
        if not self.text.startswith("等", ev.end):
            return ev.value
        idx = next((i for i, (p, _) in enumerate(self.places) if p.start == ev.start), None)
        if idx is None:
            return ev.value
        codes = [self.places[idx][1].code]
        while idx > 0:
            prev, div = self.places[idx - 1]
            if self.text[prev.end : self.places[idx][0].start] not in _LIST_GAPS:
                break
            codes.append(div.code)
            idx -= 1
        return self._lca(codes) if len(codes) > 1 else ev.value

    def region_at(self, start: int) -> str | None:
        """Division code for a mention at `start`: nearest region evidence in its paragraph, else the document's."""
        for floor in (self.segments.sentence_start(start), self.segments.paragraph_start(start)):
            ev = _nearest(self.regions, self.region_starts, start, floor, lambda e: True)
            if ev is not None:
                return self._listed(ev) if ev.value and ev.value != self.national_code else ev.value
        if self.doc_is_national:
            return self.national_code
        return self.doc_code

    # -- organisations ------------------------------------------------------------------------------------------

    def _label(self, code: str) -> str:
        """The short name of a division as it opens an organisation's name (石峰区, 全国, 香港)."""
        if code == self.national_code:
            return self.national_name
        name = self.gaz.by_code[code].name
        return name.removesuffix("特别行政区")

    def _org_name(self, code: str, joiner: str, suffix: str) -> str:
        level = "nation" if code == self.national_code else _LEVEL_OF_RANK[self.gaz.by_code[code].rank]
        canonical = self.pat.org_entries[suffix].get("canonical", {})
        return self._label(code) + joiner + canonical.get(level, suffix)

    def _orgs(self) -> list[_Evidence]:
        """Organisation names: a suffix from the lexicon (`公安分局`, `检察院`) and what stands before it — a place
        (`石峰`, `遂宁市`), a scope word (`全省`), a level character (`区`) or nothing — with joiners (`委`,
        `各级`) allowed between, or for named groups a description (`省政法队伍教育整顿第三督导组`). A bare name
        right after another body and a conjunction shares its region (`全省纪检监察机关和政法单位`)."""
        place_ends = {p.end: (p.start, d.code) for p, d in self.places}
        scope_ends = {m.end(): m for m in self.scope_matches}
        levels = lexicon("scopes")["level_chars"]
        not_after = tuple(lexicon("orgs")["not_after"])
        not_in_names = lexicon("orgs")["not_in_names"]
        text = self.text
        out: list[_Evidence] = []

        def prefix_at(cut: int) -> tuple[int, str | None, bool] | None:
            """(start, region code, keep as written) of a prefix ending at `cut`."""
            if cut in place_ends:
                start, code = place_ends[cut]
                return start, code, False
            if cut in scope_ends:
                m = scope_ends[cut]
                return m.start(), self._scope_code(m), bool(m.group("multi"))
            if cut > 0 and text[cut - 1] in levels:
                return cut - 1, self._by_level(text[cut - 1]), False
            return None

        for m in self.org_matches:
            suffix, entry = m.group(), self.pat.org_entries[m.group()]
            if self._is_masked(m.start()) or text.startswith(not_after, m.end()):
                continue
            if self.pat.meeting.match(text, m.end()):  # `市委政法工作会议` names a meeting
                continue
            if self._in_frame(m.start()):  # `在市委的坚强领导下` names who leads, not who counts
                continue
            kind = entry.get("kind")
            if entry.get("national"):
                name = entry.get("canonical", {}).get("nation", suffix)
                out.append(_Evidence(m.start(), m.end(), _Org(suffix, name, suffix, self.national_code, kind)))
                continue
            if home := entry.get("region"):  # a body that exists in one place only (廉政公署)
                start = m.start()
                if (hit := prefix_at(start)) is not None and hit[1] == home:
                    start = hit[0]
                name = self._label(home) + entry.get("canonical", {}).get("province", suffix)
                out.append(_Evidence(start, m.end(), _Org(text[start : m.end()], name, suffix, home, kind)))
                continue
            found, joiner = None, ""
            for j in ("", *self.pat.joiners):
                if text.startswith(j, m.start() - len(j)) and (hit := prefix_at(m.start() - len(j))):
                    found, joiner = hit, j
                    break
            if found is None and entry.get("descriptor"):
                run = m.start()
                while run > 0 and m.start() - run < _DESCRIPTOR_CHARS and _is_word_char(text[run - 1]):
                    run -= 1
                for cut in range(run + 1, m.start()):
                    if (hit := prefix_at(cut)) is not None and hit[0] == run:
                        found, joiner = hit, text[cut : m.start()]
                        break
            if found is None and not entry.get("descriptor"):  # `澳门司法警察局`: a place, a word of two, the suffix
                for size in range(1, _PLACE_DESCRIPTOR_CHARS + 1):
                    cut = m.start() - size
                    words = text[cut : m.start()]
                    if cut in place_ends and all("\u4e00" <= ch <= "\u9fff" for ch in words):
                        if not any(w in words for w in not_in_names):
                            found, joiner = (place_ends[cut][0], place_ends[cut][1], False), words
                        break
            if found is None and entry.get("requires_prefix"):
                continue
            if found is None and not entry.get("collective") and (own := self._proper_name(m.start())):
                out.append(_Evidence(own, m.end(), _Org(text[own : m.end()], text[own : m.end()], suffix, None, kind)))
                continue
            if found is None and out and m.start() > 0 and text[m.start() - 1] in _CONJUNCTIONS:
                prev: _Org = out[-1].value
                if out[-1].end == m.start() - 1 and prev.code is not None:
                    found = (m.start(), prev.code, False)
            begin = found[0] if found else m.start()
            code = found[1] if found else None
            written = text[begin : m.end()]
            name = None if code is None or (found and found[2]) else self._org_name(code, joiner, suffix)
            out.append(_Evidence(begin, m.end(), _Org(written, name, suffix, code, kind)))
        # a body right after a word that makes it an object (`向市检察院提请`, `投诉的是警务处`) does not count
        markers = tuple(lexicon("orgs")["object_markers"])
        out = [e for e in out if not text.endswith(markers, 0, e.start)]
        out.sort(key=lambda e: (e.start, e.end))
        return out

    def _self_references(self) -> list[_Evidence]:
        """`我院`, `本局`: the document's own body when its name ends with the word's head character; else, with no
        name, the kind of the document's bodies of that head (`我院` among courts → court), or nothing."""
        ends = lexicon("orgs")["self_references"]
        out: list[_Evidence] = []
        for m in self.pat.self_ref.finditer(self.text):
            head = ends[m.group()]
            if self.lead and self.lead.name and self.lead.name.endswith(head):
                out.append(_Evidence(m.start(), m.end(), self.lead))
                continue
            kinds = Counter(
                e.value.kind for e in self.orgs if e.value.suffix.endswith(head) and e.value.kind is not None
            )
            if len(kinds) == 1:
                out.append(_Evidence(m.start(), m.end(), _Org(m.group(), None, m.group(), None, next(iter(kinds)))))
        return out

    def _in_frame(self, pos: int) -> bool:
        """Whether `pos` lies inside a frame naming who leads or oversees (`在市委的坚强领导下`)."""
        i = bisect.bisect_right(self.frame_starts, pos) - 1
        return i >= 0 and pos < self.frames[i][1]

    def _frames(self) -> list[tuple[int, int]]:
        return [m.span() for m in self.pat.frame.finditer(self.text)]

    def subjects(self) -> tuple[list[_Evidence], list[int]]:
        """The organisations that open their clause, and their starts (found on first use)."""
        if self._subjects is None:
            found = [e for e in self.orgs if self._subject_position(e)]
            self._subjects = found, [e.start for e in found]
        return self._subjects

    def _subject_position(self, ev: _Evidence, phrase: bool = False) -> bool:
        """Whether an organisation opens its clause (with `phrase`, its comma-separated phrase), after at most a
        time phrase (`2015年，全市检察机关…`, `近年来，某县公安局在…`) or `我代表` (a work report delivered for it)."""
        clause = self.segments.clause_start(ev.start)
        if phrase:
            clause = max([clause] + [self.text.rfind(ch, clause, ev.start) + 1 for ch in _PHRASE_ENDS])
        i = bisect.bisect_left(self.period_starts, clause)
        parts, cut = [], clause
        while i < len(self.periods) and self.periods[i].end <= ev.start:
            parts.append(self.text[cut : self.periods[i].start])
            cut = self.periods[i].end
            i += 1
        parts.append(self.text[cut : ev.start])
        return all(self.pat.subject_lead.fullmatch(part) for part in parts)

    def _lead_kind(self) -> _Org | None:
        """With no lead body: the kind alone of the body a report names only by a self-reference (`我院` in an
        unsigned court statistic), when all its self-references agree."""
        kinds = {e.value.kind for e in self.orgs if e.value.suffix in self.pat.self_words and e.value.kind}
        return _Org("", None, "", self.doc_code, kinds.pop()) if len(kinds) == 1 else None

    def _lead_body(self, meta: DocumentMeta) -> _Org | None:
        """The body the document reports on: its own body (`DocumentMeta.body`); else the first body its title
        names; else the first body that opens a clause in the opening paragraphs (`全市检察机关在市委的领导下…`)."""
        if meta.body:
            entry = self._entry_of(meta.body)
            return _Org(meta.body, meta.body, meta.body, self.doc_code, entry.get("kind") if entry else None)
        if meta.title:
            title = simplified(meta.title)
            at = self.text.find(title)
            named = [
                ev
                for ev in self.orgs
                if at >= 0 and at <= ev.start and ev.end <= at + len(title) and (ev.value.name or ev.value.kind)
            ]
            # a body before a colon is the headline's source (`最高法：全国法院新收案…`), another is its subject
            subjects = [ev for ev in named if not self.text.startswith((":", "："), ev.end)] or named
            if subjects:
                return self._completed(subjects[0].value)
        starts = [ev.start for ev in self.orgs]
        found = [
            ev
            for begin, end in self._lead_paragraphs()
            for ev in self.orgs[bisect.bisect_left(starts, begin) : bisect.bisect_left(starts, end)]
            if ev.end <= end and (ev.value.name or ev.value.kind) and self._subject_position(ev, phrase=True)
        ]
        # a party committee or government opening a phrase mostly leads the work (`省委高度重视，…`): the body
        # that does it comes first
        found.sort(key=lambda ev: ev.value.kind == "government")
        if not found:
            return None
        ev = found[0]
        sentence_end = self.text.find("。", ev.end)
        return self._completed(
            self._scoped(ev.value, ev.end, sentence_end if sentence_end >= 0 else len(self.text), None)
        )

    def _lead_paragraphs(self) -> list[tuple[int, int]]:
        """The opening: the first `paragraphs` paragraphs of at least `min_chars` characters (short lines above
        them are a page's furniture, a site name or a byline)."""
        if self.lead_spans is not None:
            return self.lead_spans
        lead = lexicon("orgs")["lead"]
        out: list[tuple[int, int]] = []
        for m in re.finditer(r"[^\n]+", self.text):
            if len(m.group().strip()) >= lead["min_chars"]:
                out.append(m.span())
                if len(out) >= lead["paragraphs"]:
                    break
        self.lead_spans = out
        return out

    def _completed(self, org: _Org) -> _Org:
        """A bare organisation (`公安局`) completed with the document's region, as `org_name` would."""
        if org.name or (self.doc_code is None and not self.doc_is_national):
            return org
        code = self.national_code if self.doc_is_national else self.doc_code
        name, kind = self._resolve(org, code)
        return _Org(org.written, name, org.suffix, code, kind)

    def _entry_of(self, name: str) -> dict[str, Any] | None:
        """The lexicon entry of the longest suffix that ends `name` (`石峰区人民法院` → 人民法院)."""
        best = None
        for suffix, entry in self.pat.org_entries.items():
            if name.endswith(suffix) and (best is None or len(suffix) > len(best["suffix"])):
                best = entry
        return best

    def _proper_name(self, end: int) -> int | None:
        """Start of a body's own name of 2 to 4 characters ending at `end` (`蓬南` of 蓬南派出所), when a boundary
        stands before it and it is no generic word (`辖区`, `各`)."""
        orgs = lexicon("orgs")
        text = self.text
        if end < 1 or not "\u4e00" <= text[end - 1] <= "\u9fff":
            return None
        for size in (2, 3, 4):  # each longer name adds one character in front of the shorter one
            begin = end - size
            if begin < 0 or not "\u4e00" <= text[begin] <= "\u9fff":
                return None
            if begin == 0 or text[begin - 1] in orgs["name_boundaries"] or text[begin - 1].isspace():
                name = text[begin:end]
                return None if any(w in name for w in orgs["not_in_names"]) else begin
        return None

    def _resolve(self, org: _Org, region_code: str | None) -> tuple[str | None, str | None]:
        """(name, kind) of one organisation for a metric of `region_code`: its own normalized name; a bare name
        (`检察院`, `公安机关`) completed by the region (石峰区人民检察院, 甘肃省公安机关), except a body that needs a
        proper name of its own (`派出所`) or one that no region of that level has (`全国公安局`): then the kind
        alone, as for a body the text names only by its kind."""
        if org.name:
            return org.name, org.kind
        entry = self.pat.org_entries.get(org.suffix)
        if entry is None:  # a self-reference (`我院`) whose body is not named: its kind alone
            return None, org.kind
        if org.written != org.suffix:
            return org.written, org.kind
        lead = self.lead
        if (
            lead is not None
            and lead.name
            and lead.kind == org.kind
            and lead.code is not None
            and region_code in (lead.code, self.doc_code)
        ):
            return lead.name, lead.kind  # `政法干警` in a report on `全省各级政法单位` are that body's
        if region_code is None or entry.get("named"):
            return None, org.kind
        level = "nation" if region_code == self.national_code else None
        if region_code in self.gaz.by_code:
            level = _LEVEL_OF_RANK[self.gaz.by_code[region_code].rank]
        if level is None:
            return None, org.kind
        full = entry.get("canonical", {}).get(level)
        if full is None and (entry.get("collective") or level != "nation"):
            full = org.suffix
        if full is None:
            return None, org.kind
        return self._label(region_code) + full, org.kind

    def _scoped(self, org: _Org, after: int, before: int, region_code: str | None) -> _Org:
        """The bodies of `org`'s kind in a whole division when that division's scope word stands between the
        body and the figure after a verb of announcing (`省公安厅通报，全省破获案件2.5万起` → 甘肃省公安机关): the
        body announces the figure of all bodies of its kind there. Collective bodies and bodies of no known kind
        stay as they are; with `region_code` None the scope of any whole division counts."""
        entry = self.pat.org_entries.get(org.suffix, {})
        collective = lexicon("orgs")["kind_collectives"].get(org.kind or "")
        if entry.get("collective") or collective is None:
            return org
        i = bisect.bisect_left(self.whole_scope_starts, after)
        while i < len(self.whole_scopes) and self.whole_scopes[i].end <= before:
            scope = self.whole_scopes[i]
            if not self.pat.announce.search(self.text, after, scope.start):
                break
            code = scope.value
            if (region_code is None or code == region_code) and (
                code == self.national_code or code in self.gaz.by_code
            ):
                return _Org(
                    self.text[scope.start : scope.end], self._label(code) + collective, collective, code, org.kind
                )
            i += 1
        return org

    def org_at(self, start: int, region_code: str | None, end: int | None = None) -> tuple[str | None, str | None]:
        """(name, kind) of the organisation for a mention at `start`: the nearest organisation in its clause, else
        its sentence, else its paragraph; else the document's lead body (its own body, or the body its title or
        opening names) when the mention's region is the lead body's. Unknown values are None."""
        seg = self.segments
        ev = _nearest(self.orgs, self.org_starts, start, seg.clause_start(start), lambda e: True)
        if ev is None and end is not None:  # the members of a body counted by the figure (`458名政法干警`)
            i = bisect.bisect_left(self.org_starts, end)
            if i < len(self.orgs) and self.orgs[i].start - end <= _HEAD_GAP:
                ev = self.orgs[i]
        for floor in (seg.sentence_start(start), seg.paragraph_start(start)):
            if ev is not None:
                break
            ev = _nearest(*self.subjects(), start, floor, _ANY)
        if ev is not None:
            return self._resolve(self._scoped(ev.value, ev.end, start, region_code), region_code)
        lead = self.lead
        if lead is not None and (region_code is None or lead.code is None or region_code in (lead.code, self.doc_code)):
            return lead.name, lead.kind
        return None, None

    # -- periods ------------------------------------------------------------------------------------------------

    def _periods(self) -> list[_Evidence]:
        found: list[tuple[int, int, int, str, re.Match[str]]] = []
        for priority, (kind, pattern) in enumerate(self.pat.periods):
            if not any(w in self.text for w in _REQUIRED.get(kind, ("",))):  # a word every such phrase holds
                continue
            for m in pattern.finditer(self.text):
                if m.end() > m.start():
                    found.append((m.start(), -(m.end() - m.start()), priority, kind, m))
        found.sort(key=lambda f: f[:3])
        out: list[_Evidence] = []
        last_end = -1
        context_year: tuple[int, int] | None = None  # (paragraph start, year) of the last written year
        # (paragraph start, window) of the last part of a year written without its year (`同期（1月1日至4月15日）`)
        same_window: tuple[int, tuple[date | None, date | None, date | None]] | None = None
        for start, _, _, kind, m in found:
            if start < last_end:
                continue
            last_end = m.end()
            if kind == "ignore":
                continue
            if kind == "date" and m.group("d2"):
                kind = "range"
            elif kind == "year" and m.group("y2"):
                kind = "year_range"
            para = self.segments.paragraph_start(start)
            if context_year and context_year[0] != para:
                context_year = None
            head = self.heading_at(start)
            in_heading = head is not None and head.start <= start < head.end
            section_year = head.inherited_year() if head and not in_heading else None
            if in_heading and head and head.parent:
                section_year = head.parent.inherited_year()
            year = context_year[1] if context_year else section_year or (self.doc_date.year if self.doc_date else None)
            written = re.match(r"\d{4}", m.group())
            try:
                value = _plausible(self._resolve_period(kind, m, year))
            except (ValueError, TypeError, OverflowError):
                value = None
            if kind == "year" and written and value and same_window and same_window[0] == para:
                value = _in_year(same_window[1], int(written.group())) or value  # `2015年` of the same window
            elif kind in ("range", "year_part") and not written and value and value[0]:
                same_window = (para, value)
            if written and kind in ("year", "year_part", "date"):
                context_year = (para, int(written.group()))
            if in_heading and head and head.window is None and value and value[0] and kind != "date":
                head.window = value  # the first window a heading names covers its section
                head.year = int(written.group()) if written else None
            out.append(_Evidence(start, m.end(), value, clause_only=kind == "date"))
        return out

    def heading_at(self, pos: int) -> _Heading | None:
        """The heading whose line or section holds `pos`."""
        i = bisect.bisect_right(self.heading_starts, pos) - 1
        return self.headings[i] if i >= 0 else None

    def _year_of(self, word: str | None, context: int | None) -> int | None:
        """The year a written year word names: `2021年` itself, `去年` relative to the document's date, none
        written → the paragraph's last written year or the document's year."""
        if not word:
            return context
        if word[:4].isdigit():
            return int(word[:4])
        offset = lexicon("periods")["relative_years"].get(word)
        if offset is None or self.doc_date is None:
            return None
        return self.doc_date.year + offset

    def _point(self, m: re.Match[str], context: int | None) -> tuple[date, date] | None:
        """First and last day of a written point in time (`6月11日`, `8月底`, `2021年底`)."""
        year = self._year_of(m.group("py"), context)
        if year is None:
            return None
        if m.group("pye"):
            return date(year, 12, 31), date(year, 12, 31)
        month = _number(m.group("pm"))
        if month is None:
            return None
        if (day := _number(m.group("pd"))) is not None:
            return date(year, month, day), date(year, month, day)
        if m.group("pe") == "份":
            return date(year, month, 1), _month_end(year, month)
        return _month_end(year, month), _month_end(year, month)

    def _resolve_period(
        self, kind: str, m: re.Match[str], context: int | None
    ) -> tuple[date | None, date | None, date | None] | None:
        """(period_start, period_end, as_of) of one period phrase, or None when it depends on an unknown date."""
        doc = self.doc_date
        if kind == "as_of_now":
            return (None, None, doc) if doc else None
        if kind == "as_of":
            point = self._point(m, context)
            return (None, None, point[1]) if point else None
        if kind == "since_now":
            return (date(doc.year, 1, 1), doc, None) if doc else None
        if kind == "since":
            point = self._point(m, context)
            return (point[0], doc, None) if point else None
        if kind == "since_event":
            month = _number(m.group("pm")) or 1
            return date(int(m.group("py")[:4]), month, 1), doc, None
        if kind == "month_rel":
            if doc is None:
                return None
            month = doc.month + lexicon("periods")["relative_months"][m.group()]
            year = doc.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            return date(year, month, 1), _month_end(year, month), None
        if kind == "years_since":
            return self._years_since(_number(m.group("n") or m.group("n2")))
        if kind == "range":
            first_year = self._year_of(m.group("y"), context)
            last_year = self._year_of(m.group("y2"), first_year)
            first_month, last_month = _number(m.group("m")), _number(m.group("m2")) or _number(m.group("m"))
            first_day, last_day = _number(m.group("d")), _number(m.group("d2"))
            if None in (first_year, last_year, first_month, last_month, first_day, last_day):
                return None
            return date(first_year, first_month, first_day), date(last_year, last_month, last_day), None
        if kind == "date":
            year = int(m.group("y")) if m.group("y") else context
            month, day = _number(m.group("m")), _number(m.group("d"))
            if year is None or month is None or day is None:
                return None
            return date(year, month, day), date(year, month, day), None
        if kind == "year_range":
            return date(int(m.group("y")), 1, 1), date(int(m.group("y2")), 12, 31), None
        if kind == "plan":
            return self._plan_years(_number(m.group("plan")), m.group().endswith("来"))
        if kind == "year":
            year = int(m.group("y")) if m.group("y") else self._year_of(m.group("rel"), None)
            return (date(year, 1, 1), date(year, 12, 31), None) if year else None
        # year_part
        year = self._year_of(m.group("y"), context)
        if year is None:
            return None
        if part := m.group("part"):
            first, last = lexicon("periods")["year_parts"][part]
        elif m.group("first"):
            first, last = 1, _number(m.group("first")) or 0
        elif m.group("q1"):
            first, last = (_number(m.group("q1")) or 0) * 3 - 2, (_number(m.group("q2")) or 0) * 3
        elif m.group("q"):
            first, last = (_number(m.group("q")) or 0) * 3 - 2, (_number(m.group("q")) or 0) * 3
        elif m.group("qf"):
            first, last = 1, (_number(m.group("qf")) or 0) * 3
        elif m.group("m1"):
            first, last = _number(m.group("m1")) or 0, _number(m.group("m2")) or 0
        else:
            first = last = _number(m.group("m")) or 0
        return date(year, first, 1), _month_end(year, last), None

    def _plan_years(self, n: int | None, to_date: bool) -> tuple[date | None, date | None, date | None] | None:
        """The years of the n-th five-year plan (`十三五期间` → 2016-2020; the third plan began in 1966 after a
        three-year gap), or from its first year to the report's date (`十四五以来`). Own rule: JioNLP's parse_time
        does not read plan names (`十三五期间` raises)."""
        if n is None or n < 3:
            return None
        first = 1966 + 5 * (n - 3)
        if to_date:
            return (date(first, 1, 1), self.doc_date, None) if self.doc_date else None
        return date(first, 1, 1), date(first + 4, 12, 31), None

    def _years_since(self, n: int | None) -> tuple[date | None, date | None, date | None] | None:
        """`三年来`, `近五年`, `过去五年` in a report dated `doc`: the last n calendar years the report reviews. A
        report of the first quarter reviews the n years up to the last one (`五年来` on 2023-02-02: 2018-01-01 to
        2022-12-31), a later one the n years up to its own date, the current year counting as one. JioNLP's
        parse_time counts n + 1 years here (三年来 on 2021-05-20 → 2018-01-01) and knows no report quarter."""
        doc = self.doc_date
        if doc is None or not n:
            return None
        if doc.month <= lexicon("periods")["review_months"]:
            return date(doc.year - n, 1, 1), date(doc.year - 1, 12, 31), None
        return date(doc.year - n + 1, 1, 1), doc, None

    def period_at(self, start: int) -> tuple[date | None, date | None, date | None]:
        """Period for a mention at `start`: nearest period phrase in its clause; farther back within the paragraph
        only phrases that set a window or a count date (an event's date covers its own clause only); else the window
        its section heading names (`一、2022年工作回顾` → the paragraphs below it)."""
        seg = self.segments
        ev = _nearest(self.periods, self.period_starts, start, seg.clause_start(start), lambda e: True)
        if ev is None:
            ev = _nearest(
                self.periods,
                self.period_starts,
                start,
                seg.paragraph_start(start),
                lambda e: not e.clause_only,
            )
        if ev is None:
            head = self.heading_at(start)
            window = head.inherited_window() if head and head.end <= start else None
            if window is None and self.doc_window is not None:
                window = self.doc_window
            if window is None and self.doc_date is not None:
                window = (None, None, self.doc_date)  # a figure no period settles: a total at publication
            return self._as_stock(start, window or (None, None, None))
        if ev.value is None:
            return None, None, None
        return self._as_stock(start, ev.value)

    def _as_stock(
        self, start: int, window: tuple[date | None, date | None, date | None]
    ) -> tuple[date | None, date | None, date | None]:
        """A stock figure's date instead of its window: an opening stock (`旧存110件`) holds at the window's first
        day, a closing one (`未结27件`, `在押`, `现有`) at its last day, or at the publication date when that is
        earlier (`2012年，全国共有监狱681所` in a report of April 2012). Other figures keep their window."""
        period_start, period_end, as_of = window
        if as_of is not None or (period_start is None and period_end is None):
            return window
        stock = self._stock_word(start)
        if stock == "opening":
            return None, None, period_start
        if stock == "closing":
            end = period_end
            if end is not None and self.doc_date is not None and self.doc_date < end:
                end = self.doc_date
            return None, None, end
        return window

    def _stock_word(self, start: int) -> str | None:
        """`opening` or `closing` when a stock word stands in the words right before a figure (after the last
        punctuation, at most `stock_chars` characters back), else None."""
        i = bisect.bisect_right(self.stock_ends, start) - 1
        if i < 0:
            return None
        _, begin, kind = self.stock_hits[i]
        if begin < start - lexicon("periods")["stock_chars"]:
            return None
        if any(ch in _STOCK_STOPS for ch in self.text[begin:start]):
            return None
        return kind

    def _stock_words(self) -> list[tuple[int, int, str]]:
        """(end, start, `opening` or `closing`) of every stock word of the text, by end (an opening word last of
        those ending together)."""
        hits = [
            (m.end(), m.start(), "opening" if m.group("open") else "closing")
            for m in self.pat.stock.finditer(self.text)
        ]
        return sorted(hits, key=lambda h: (h[0], h[2] == "opening"))

    def _document_window(self, title: str | None) -> tuple[date | None, date | None, date | None] | None:
        """The window a report covers as a whole: the first window its title names, else the first its opening
        paragraphs name (`2007年，市中级人民法院…`, `今年1至9月…`); a fallback for figures that nothing nearer
        dates."""
        spans: list[tuple[int, int]] = []
        if title and (at := self.text.find(simplified(title))) >= 0:
            spans.append((at, at + len(title)))
        spans.extend(self._lead_paragraphs())
        for begin, end in spans:
            i = bisect.bisect_left(self.period_starts, begin)
            while i < len(self.periods) and self.periods[i].end <= end:
                ev = self.periods[i]
                if not ev.clause_only and ev.value is not None and ev.value[0] is not None:
                    return ev.value
                i += 1
        return None

    # -- one mention --------------------------------------------------------------------------------------------

    def region_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code == self.national_code:
            return self.national_name
        if (name := self.region_names.get(code)) is None:
            name = self.region_names[code] = self.gaz.full_name(code)
        return name

    def attribute(self, start: int, end: int) -> Attribution:
        start = max(0, min(start, len(self.text)))
        code = self.region_at(start)
        period_start, period_end, as_of = self.period_at(start)
        org, org_kind = self.org_at(start, code, end)
        return Attribution(
            org=org,
            org_kind=org_kind,
            region=self.region_name(code),
            region_code=code,
            period_start=period_start,
            period_end=period_end,
            as_of=as_of,
        )


def attribute(
    text: str,
    spans: Sequence[tuple[int, int]],
    meta: DocumentMeta,
    modifies: Sequence[int | None] | None = None,
) -> list[Attribution]:
    """One `Attribution` per (start, end) mention span of `text`, in the same order. `modifies[i]`, when given, is
    the index of the metric that mention i is a change of (`同比上升249%` of `136人`): a change takes that metric's
    attribution. Never raises: a span or a document that cannot be read gets an all-None attribution."""
    try:
        items = list(spans)
    except Exception:
        logger.exception("attribution: spans are not iterable")
        return []
    context: _DocumentContext | None
    try:
        context = _DocumentContext(text, meta)
    except Exception:
        logger.exception("attribution: could not read the document")
        context = None
    out: list[Attribution] = []
    for span in items:
        try:
            out.append(context.attribute(int(span[0]), int(span[1])) if context else EMPTY)
        except Exception:
            logger.exception("attribution: could not attribute span %r", span)
            out.append(EMPTY)
    for i, base in enumerate(modifies or ()):
        if i < len(out) and isinstance(base, int) and 0 <= base < len(out) and base != i:
            out[i] = out[base]
    return out
