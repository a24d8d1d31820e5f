"""Periods of metric mentions: the window a figure covers, or the date a stock figure holds at.

Period phrases (`今年以来`, `1-9月`, `上半年`, `今年首季`, `去年`, `五年来`, `2018年以来`, `截至8月底`, `十三五期间`,
`2016年1月1日至4月15日`) are read once per document and resolved against the document's reference date, the year
its paragraph or section writes, or its own numbers. A mention takes the nearest phrase of its clause, a window
farther back in its paragraph, the window of its section heading, the window its title or opening names, and
otherwise holds at the publication date. A stock figure (`旧存`, `未结`, `在押`) holds at the first or last day of
its window. Years outside `year_bounds` resolve to no period, so a misread date never reaches validation.

Own code, not JioNLP's `parse_time` (measured on these phrases with jionlp 1.5.31): it reads `1-9月` as 9
January, `今年首季` as the whole year, `三年来` as four calendar years, cannot read `十三五期间` or `截至目前`, gives
`今年以来` an open end, knows no comparison base (`较前年`) and no stock; it also pulls in 165 MB of dependencies,
takes 0.7-2.8 s to import and prints a banner to standard output, which `report-metrics extract --format jsonl`
writes to.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from transforms.evidence import Evidence, nearest
from transforms.lexicon import alternation as alt
from transforms.lexicon import lexicon
from transforms.metadata import simplified
from transforms.scan import JointScan
from transforms.sentences import Segments

Window = tuple[date | None, date | None, date | None]
"""(period_start, period_end, as_of) of a figure: a window, or a stock's date in `as_of`; None where unknown."""

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
_EVENT_STOP_RE = re.compile("[，,。；;：:！？!?\n（(]")  # an event's name runs up to one of these
_EVENT_NAME_CHARS = 30  # a year this far from an event word is no part of its name
_STOCK_STOPS = frozenset("，,、；;：:（(。！？!?\n")  # a stock word is looked for after the last of these

_HEADING_MAX_CHARS = 40
_HEADING_END_CHARS = "。！？!?；;，,：:、"
_HEADLINE_DIGITS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d年月日号]|\s*[-—–~至到]\s*\d)")  # a figure, not a date
_HEADING_MARKERS = (  # numbering of a section heading, outermost first; an unnumbered heading line is level 0
    (1, re.compile(r"[一二三四五六七八九十]+[、.．]")),  # 一、
    (2, re.compile(r"[（(][一二三四五六七八九十]+[)）]")),  # （一）
    (3, re.compile(r"\d{1,2}[、.．](?!\d)")),  # 1.
    (4, re.compile(r"[（(]\d{1,2}[)）]")),  # （1）
)


@dataclass(frozen=True, slots=True)
class _PeriodPatterns:
    """Regular expressions built once from the periods lexicon."""

    periods: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern), by priority
    required: tuple[tuple[str, ...] | None, ...]  # per pattern of `periods`, words one of which its phrases hold
    joint: JointScan  # the patterns of `periods` at `joint_at`, scanned together
    joint_at: tuple[int, ...]
    stock: re.Pattern[str]
    opening_stock: frozenset[str]  # the stock scan's words that open a period (the others close one)


@cache
def _patterns() -> _PeriodPatterns:
    p = lexicon("periods")
    num = "[0-9〇零一二两三四五六七八九十]+"
    year = rf"(?:\d{{4}}年|{alt(list(p['relative_years']))})"
    point = rf"""(?P<py>{year})?
                 (?:(?P<pm>{num})月(?:(?P<pd>{num})[日号]|(?P<pe>底|末|份))?
                   |(?P<pye>年底|年末|(?<=年)底|(?<=年)末))"""  # 2021年底, 去年底
    periods = (
        ("ignore", re.compile(alt(p["comparison_bases"]))),
        ("ignore", re.compile(rf"(?:{alt(p['comparing_words'])})(?:{alt(list(p['relative_years']))})")),
        (
            "as_of_now",
            re.compile(rf"(?:{alt(p['as_of_markers'])})\s*(?:{alt(p['as_of_now'])})"),
        ),
        ("as_of", re.compile(rf"(?:{alt(p['as_of_markers'])})\s*{point}", re.VERBOSE)),
        ("since_now", re.compile(alt(p["since_now"]))),
        ("since", re.compile(rf"自?{point}(?:以来|起)", re.VERBOSE)),
        (
            "since_event",  # 自2018年开展专项斗争以来: since the year (and month) an event began
            re.compile(rf"自(?P<py>\d{{4}}年)(?:(?P<pm>{num})月)?[^，。；,;！？!?\n]{{1,16}}?以来"),
        ),
        (
            "month_rel",
            re.compile(rf"(?:{alt(list(p['relative_months']))})(?!份?[0-9〇零一二两三四五六七八九十]+[日号])"),
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
                     (?:(?P<part>{alt(list(p["year_parts"]))})
                       |(?:前|头|首)(?P<first>{num})个?月
                       |第?(?P<q1>{num})\s*(?:至|到|-|—|–|~)\s*第?(?P<q2>{num})季度?   # 第1至3季
                       |第(?P<q>{num})季度?                                     # 第3季
                       |前(?P<qf>{num})个?季度?                                  # 前3季
                       |(?P<m1>{num})\s*(?:至|-|—|–|~|到)\s*(?P<m2>{num})月份?
                       |(?P<m>{num})月份?)""",
                re.VERBOSE,
            ),
        ),
        (
            "year",  # 2020年; with a second year a range (`year_range`): 2018年至2022年, 2018—2022年
            # (`\d\d{3}`, not `\d{4}`: a pattern that opens with a class is scanned fast, transforms.scan)
            re.compile(r"(?P<y>\d\d{3})(?:年?\s*(?:至|到|-|—|–|~)\s*(?P<y2>\d{4}))?年(?![0-9代])"),
        ),
        ("relative_year", re.compile(alt(list(p["relative_years"])))),  # 去年, 今年
    )
    # a phrase that may open with an optional part opens with one of these characters, and never inside a run of
    # numerals (where trying every digit of a long run would take time quadratic in the run's length); such
    # phrases are scanned together from those characters (transforms.scan.JointScan: a pattern that opens with a
    # look-ahead or an optional group is tried at every position of the text)
    numeral = "0-9〇零一二两三四五六七八九十"
    optional_start = ("since", "years_since", "date", "year_part")
    joint_at = tuple(i for i, (kind, _) in enumerate(periods) if kind in optional_start)
    joint = JointScan(
        f"{numeral}今本当去上下前后年全截自近过第同首头",
        f"(?:(?<![{numeral}])|(?![{numeral}]))",
        [periods[i][1] for i in joint_at],
    )
    return _PeriodPatterns(
        periods,
        tuple(_REQUIRED.get(kind) for kind, _ in periods),
        joint,
        joint_at,
        re.compile("|".join((alt(p["opening_stock"]), alt(p["closing_stock"])))),  # literals: a fast scan
        frozenset(p["opening_stock"]),
    )


def number(word: str | None) -> int | None:
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


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _in_year(window: Window, year: int) -> Window | None:
    """A window within one year (1 January to 15 April) moved to `year`; None when it spans years."""
    first, last, _ = window
    if first is None or last is None or first.year != last.year:
        return None
    try:
        return first.replace(year=year), last.replace(year=year), None
    except ValueError:  # 29 February
        return None


def plausible(
    window: Window | None,
) -> Window | None:
    """`window` when every date in it lies in the years a report can speak of (`year_bounds` of the periods
    lexicon), else None: a misread date (the year 4, 9999) is unknown, never a value that fails validation."""
    if window is None:
        return None
    first, last = lexicon("periods")["year_bounds"]
    if all(d is None or first <= d.year <= last for d in window):
        return window
    return None


@dataclass(slots=True)
class _Heading:
    """A section heading line at [start, end): its numbering level, the window its own period phrase names (if
    any), the year it writes (if any), and the heading it sits under."""

    start: int
    end: int
    level: int
    parent: _Heading | None
    window: Window | None = None
    year: int | None = None

    def inherited_window(self) -> Window | None:
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


def _title_year(title: str | None) -> int | None:
    """The one year a title writes (`某法院2016年1-9月审判数据` → 2016), the year of an undated report's figures."""
    years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})年", title or "")}
    return years.pop() if len(years) == 1 else None


class Periods:
    """The period phrases of one document, read once; `period_at` then answers each mention by bisection."""

    def __init__(
        self,
        text: str,
        segments: Segments,
        doc_date: date | None,
        title: str | None,
        lead_spans: list[tuple[int, int]],
    ) -> None:
        """`text` in simplified characters, its `segments`, the document's reference date, its title and the spans
        of its opening paragraphs (for the window the whole report covers)."""
        self.text = text
        self.segments = segments
        self.doc_date = doc_date if plausible((doc_date, None, None)) else None
        self.lead_spans = lead_spans
        self.reference_year = self.doc_date.year if self.doc_date else _title_year(title)
        self.headings = _headings(text)
        self.heading_starts = [h.start for h in self.headings]
        self.evidence = self._read()
        self.starts = [e.start for e in self.evidence]
        self.doc_window = self._document_window(title)
        self.stock_hits = self._stock_words()
        self.stock_ends = [h[0] for h in self.stock_hits]

    def _read(self) -> list[Evidence]:
        found: list[tuple[int, int, int, str, re.Match[str]]] = []
        pats = _patterns()
        text = self.text
        # a word every phrase of a kind holds: a text without it skips the kind's pattern
        live = [words is None or any(w in text for w in words) for words in pats.required]
        for priority, (kind, pattern) in enumerate(pats.periods):
            if live[priority] and priority not in pats.joint_at:
                for m in pattern.finditer(text):
                    if m.end() > m.start():
                        found.append((m.start(), -(m.end() - m.start()), priority, kind, m))
        for j, m in pats.joint.finditer(text, [live[i] for i in pats.joint_at]):
            priority = pats.joint_at[j]
            found.append((m.start(), -(m.end() - m.start()), priority, pats.periods[priority][0], m))
        found.sort(key=lambda f: f[:3])
        out: list[Evidence] = []
        last_end = -1
        context_year: tuple[int, int] | None = None  # (paragraph start, year) of the last written year
        # (paragraph start, window) of the last part of a year written without its year (`同期（1月1日至4月15日）`)
        same_window: tuple[int, Window] | None = None
        comparing = tuple(lexicon("periods")["comparing_words"])
        records = tuple(lexicon("periods")["record_after"])
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
            year = context_year[1] if context_year else section_year or self.reference_year
            written = re.match(r"\d{4}", m.group())
            try:
                value = plausible(self._resolve_period(kind, m, year))
            except (ValueError, TypeError, OverflowError):
                value = None
            if self.text.endswith(comparing, 0, start) or self.text.startswith(records, m.end()):
                # `比2012年增长`, `较2022年的`, `与上半年持平`: a comparison's base; `自1974年以来的新低`: a record's
                out.append(Evidence(start, m.end(), value, clause_only=True, base=True))
                continue
            if kind == "year" and written and self._names_event(m.end()):
                out.append(Evidence(start, m.end(), value, clause_only=True))  # `2026年…新闻发布会`: the event's
                continue
            if kind == "year" and written and value and same_window and same_window[0] == para:
                value = _in_year(same_window[1], int(written.group())) or value  # `2015年` of the same window
            elif kind in ("range", "year_part") and not written and value and value[0]:
                same_window = (para, value)
            if written and kind in ("year", "year_part", "date"):
                context_year = (para, int(written.group()))
            if in_heading and head and head.window is None and value and value[0] and kind != "date":
                head.window = value  # the first window a heading names covers its section
                head.year = int(written.group()) if written else None
            out.append(Evidence(start, m.end(), value, clause_only=kind == "date" or self._passing_month(kind, m)))
        return out

    def _names_event(self, end: int) -> bool:
        """Whether the words after a year, up to the next punctuation, name an event (`periods.json` `event_words`:
        `2026年四川公安“向人民报告”新闻发布会`)."""
        stop = _EVENT_STOP_RE.search(self.text, end, end + _EVENT_NAME_CHARS)
        words = self.text[end : stop.start() if stop else min(len(self.text), end + _EVENT_NAME_CHARS)]
        return bool(words) and words.endswith(tuple(lexicon("periods")["event_words"]))

    def _passing_month(self, kind: str, m: re.Match[str]) -> bool:
        """Whether `m` is one month written inside a sentence (`…，8月份招录10名`, `3月份单月零发案`): the month of that
        clause's event, not a window for the rest of the paragraph, which a month opening its sentence sets."""
        if kind != "year_part" or not m.group("m") or m.group("y"):
            return False
        return bool(self.text[self.segments.sentence_start(m.start()) : m.start()].strip())

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
        month = number(m.group("pm"))
        if month is None:
            return None
        if (day := number(m.group("pd"))) is not None:
            return date(year, month, day), date(year, month, day)
        if m.group("pe") == "份":
            return date(year, month, 1), _month_end(year, month)
        return _month_end(year, month), _month_end(year, month)

    def _resolve_period(self, kind: str, m: re.Match[str], context: int | None) -> Window | None:
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
            month = number(m.group("pm")) or 1
            return date(int(m.group("py")[:4]), month, 1), doc, None
        if kind == "month_rel":
            if doc is None:
                return None
            month = doc.month + lexicon("periods")["relative_months"][m.group()]
            year = doc.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            return date(year, month, 1), _month_end(year, month), None
        if kind == "years_since":
            return self._years_since(number(m.group("n") or m.group("n2")))
        if kind == "range":
            first_year = self._year_of(m.group("y"), context)
            last_year = self._year_of(m.group("y2"), first_year)
            first_month, last_month = number(m.group("m")), number(m.group("m2")) or number(m.group("m"))
            first_day, last_day = number(m.group("d")), number(m.group("d2"))
            if None in (first_year, last_year, first_month, last_month, first_day, last_day):
                return None
            return date(first_year, first_month, first_day), date(last_year, last_month, last_day), None
        if kind == "date":
            year = int(m.group("y")) if m.group("y") else context
            month, day = number(m.group("m")), number(m.group("d"))
            if year is None or month is None or day is None:
                return None
            return date(year, month, day), date(year, month, day), None
        if kind == "year_range":
            return date(int(m.group("y")), 1, 1), date(int(m.group("y2")), 12, 31), None
        if kind == "plan":
            return self._plan_years(number(m.group("plan")), m.group().endswith("来"))
        if kind in ("year", "relative_year"):
            year = int(m.group("y")) if kind == "year" else self._year_of(m.group(), None)
            return (date(year, 1, 1), date(year, 12, 31), None) if year else None
        # year_part
        year = self._year_of(m.group("y"), context)
        if year is None:
            return None
        if part := m.group("part"):
            first, last = lexicon("periods")["year_parts"][part]
        elif m.group("first"):
            first, last = 1, number(m.group("first")) or 0
        elif m.group("q1"):
            first, last = (number(m.group("q1")) or 0) * 3 - 2, (number(m.group("q2")) or 0) * 3
        elif m.group("q"):
            first, last = (number(m.group("q")) or 0) * 3 - 2, (number(m.group("q")) or 0) * 3
        elif m.group("qf"):
            first, last = 1, (number(m.group("qf")) or 0) * 3
        elif m.group("m1"):
            first, last = number(m.group("m1")) or 0, number(m.group("m2")) or 0
        else:
            first = last = number(m.group("m")) or 0
        return date(year, first, 1), _month_end(year, last), None

    def _plan_years(self, n: int | None, to_date: bool) -> Window | None:
        """The years of the n-th five-year plan (`十三五期间` → 2016-2020; the third plan began in 1966 after a
        three-year gap), or from its first year to the report's date (`十四五以来`). Own rule: JioNLP's parse_time
        does not read plan names (`十三五期间` raises)."""
        if n is None or n < 3:
            return None
        first = 1966 + 5 * (n - 3)
        if to_date:
            return (date(first, 1, 1), self.doc_date, None) if self.doc_date else None
        return date(first, 1, 1), date(first + 4, 12, 31), None

    def _years_since(self, n: int | None) -> Window | None:
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

    def period_at(self, start: int) -> Window:
        """Period for a mention at `start`: nearest period phrase in its clause; farther back within the paragraph
        only phrases that set a window or a count date (an event's date covers its own clause only; the base of a
        comparison, `比2012年`, only the figure right after it and `的`); else the window its section heading names
        (`一、2022年工作回顾` → the paragraphs below it)."""
        seg = self.segments
        text = self.text
        ev = nearest(
            self.evidence,
            self.starts,
            start,
            seg.clause_start(start),
            lambda e: not e.base or text[e.end : start] == "的",  # a base dates only the figure it qualifies
        )
        if ev is None:
            ev = nearest(
                self.evidence,
                self.starts,
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

    def _as_stock(self, start: int, window: Window) -> Window:
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
        opening = _patterns().opening_stock
        hits = [
            (m.end(), m.start(), "opening" if m.group() in opening else "closing")
            for m in _patterns().stock.finditer(self.text)
        ]
        return sorted(hits, key=lambda h: (h[0], h[2] == "opening"))

    def _document_window(self, title: str | None) -> Window | None:
        """The window a report covers as a whole: a cut-off date its title or opening states (`截至7月31日`, the
        date its figures are counted at), else the first window its title names, else the first its opening
        paragraphs name (`2007年，市中级人民法院…`, `今年1至9月…`); a fallback for figures that nothing nearer
        dates."""
        spans: list[tuple[int, int]] = []
        if title and (at := self.text.find(simplified(title))) >= 0:
            spans.append((at, at + len(title)))
        spans.extend(self.lead_spans)
        window: Window | None = None
        for begin, end in spans:
            i = bisect.bisect_left(self.starts, begin)
            while i < len(self.evidence) and self.evidence[i].end <= end:
                ev = self.evidence[i]
                i += 1
                if ev.base:
                    continue
                cut_off = ev.value[2] if ev.value is not None else None
                if not ev.clause_only and cut_off is not None and cut_off != self.doc_date:
                    return ev.value  # a cut-off date (`截至7月31日`): the report's figures are counted at it
                if window is None and not ev.clause_only and ev.value is not None and ev.value[0] is not None:
                    window = ev.value
        return window
