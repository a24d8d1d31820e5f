"""Attribution of metric mentions: the body that reported a figure, the division it belongs to, and its period.

Input is one report's text, the [start, end) offsets of its metric mentions, and the report's `DocumentMeta`.
Output is one `Attribution` per mention. Evidence is collected once per document (places, scope words such as
`全区`, organisation names; period phrases in `transforms.periods`) and each mention takes the nearest evidence
before it, looking no further than its clause, sentence or paragraph depending on the kind of evidence. A mention
with no region evidence belongs to the document's region; one with no body in its sentence or paragraph to the
document's lead body (its own body, or the body its title or opening names). Anything the text does not settle
stays None.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from transforms.evidence import Evidence, Segments, alt, lead_paragraphs, nearest
from transforms.lexicon import lexicon
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
    dateline_place_ends,
    gazetteer,
    read_places,
    simplified,
)
from transforms.periods import Periods
from transforms.scan import branch_finditer

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
_LIST_GAPS = frozenset({"", "、", "和", "及", "与", "，", ","})
_CONJUNCTIONS = "和及与、"
_PHRASE_ENDS = "，,：:"  # punctuation after which a phrase opens
_NAME_OPENERS = ("“", "《", '"', "「")
_DESCRIPTOR_CHARS = 16
_PLACE_DESCRIPTOR_CHARS = 2  # words between a place and any suffix that belong to the body's name (`司法`)
_HEAD_GAP = 1  # characters between a figure and the body right after it whose members it counts (`458名政法干警`)


# ---------------------------------------------------------------------------------------------------------------
# Lexicon-built patterns


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Regular expressions built once from the lexicons."""

    scope: re.Pattern[str]
    scope_kinds: dict[str, str]
    comparison: tuple[re.Pattern[str], ...]
    org: re.Pattern[str]
    org_entries: dict[str, dict[str, Any]]
    meeting: re.Pattern[str]
    self_ref: re.Pattern[str]
    joiners: tuple[str, ...]
    frame: re.Pattern[str]
    subject_lead: re.Pattern[str]
    self_words: frozenset[str]
    announce: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    scopes = lexicon("scopes")
    levels = "".join(scopes["level_chars"])
    # every scope word is a literal (`全省` is a prefix and a level character), so the scan opens with a literal
    # (transforms.scan); earlier groups win where words of two groups could start at one place
    scope_groups = (
        ("fixed", list(scopes["region_words"])),
        ("national", scopes["national_words"]),
        ("multi", scopes["multi_level"]),
        ("level", [p + lv for p in scopes["document_prefixes"] + scopes["recent_prefixes"] for lv in levels]),
    )
    scope_kinds: dict[str, str] = {}
    for kind, words in scope_groups:
        for word in words:
            scope_kinds.setdefault(word, kind)
    scope = re.compile("|".join(alt(words) for _, words in scope_groups))
    # the two branches are scanned apart (transforms.scan.branch_finditer): each then opens with a literal
    comparison = (
        re.compile(
            rf"""(?:{alt(scopes["comparison_verbs"] + scopes["title_verbs"])})  # 位居, 跃居, 获评 ...
                 (?=[“"《「]?(?:全国|全[{levels}]|[{levels}]内|同[级类]))  # ... then the ranking's field or the title's
                 [^，。；、,;！？!?\n]*  # scope (入选“全省典型案例”), masked up to the punctuation""",
            re.VERBOSE,
        ),
        re.compile(
            rf"""(?:全国|全[{levels}])(?:范围内|内)?           # or a whole division's scope ...
                 (?=[^，。；、,;！？!?\n]{{0,{scopes["rank_gap_chars"]}}}?
                    (?:{alt(scopes["ranking_after"])}
                      |第[一二三四五六七八九十\d]+[名位]?(?![{"".join(scopes["not_rank_after"])}])
                      |最[{"".join(scopes["superlatives"])}](?=[^\u4e00-\u9fff]|的|水平)))  # ... before the rank it
                 [^，。；、,;！？!?\n]*""",  # is the field of (全省排名第9位, 全市降幅第一, 全市最低; not 最高人民法院)
            re.VERBOSE,
        ),
    )
    orgs = lexicon("orgs")
    org_entries = {e["suffix"]: e for e in orgs["suffixes"]}
    org = re.compile(alt(list(org_entries)))
    meeting = re.compile(
        rf"""(?:(?!{alt(orgs["meeting_verbs"])})[\u4e00-\u9fff]){{0,8}}?  # a few words that are no verb of holding it
             (?:{alt(orgs["meeting_words"])})                          # ... then a meeting word""",
        re.VERBOSE,
    )

    self_ref = re.compile(alt(list(orgs["self_references"])))
    frame = re.compile(
        rf"""(?:{alt(orgs["frame_openers"])})              # 在, 受
             [^。；;！？!?\n]{{1,30}}?                        # ... the bodies that lead or oversee ...
             (?:{alt(orgs["frame_words"])})[^，。；,;\n]{{0,6}}?下  # ... 领导, 指导, 监督 ... 下""",
        re.VERBOSE,
    )
    subject_lead = re.compile(  # 2015年， 近年来， （某某社某地电） 我代表
        rf"[\s，,、]*(?:(?:\d{{4}}年度?(?:以来)?|[（(【][^）)】]{{1,24}}[）)】]|{alt(orgs['subject_openers'])})[，,、\s]*)*"
    )
    return _Patterns(
        scope,
        scope_kinds,
        comparison,
        org,
        org_entries,
        meeting,
        self_ref,
        tuple(orgs["joiners"]),
        frame,
        subject_lead,
        frozenset(orgs["self_references"]),
        re.compile(alt(orgs["announce_verbs"])),
    )


def _is_word_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isdigit()


# ---------------------------------------------------------------------------------------------------------------
# Evidence


class _Scope(NamedTuple):
    """A scope word at [start, end) as written (`word`), and its `kind`: `fixed` (a region's own word, `全港`),
    `national` (`全国`), `multi` (levels of the document's division, `省市两级`) or `level` (a prefix and a level
    character, `全省`, `我市`)."""

    start: int
    end: int
    word: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Org:
    """An organisation as written, and its normalized name when its own prefix settles it (`written` alone when
    the name was bare and the metric's region may complete it)."""

    written: str
    name: str | None
    suffix: str
    code: str | None = None
    kind: str | None = None


_PHRASE_BREAK_RE = re.compile("[，,；;。！？!?\n]")  # ends the phrase a location dates


class _DocumentContext:
    """All evidence of one document, built once; `attribute` then answers each mention by bisection."""

    def __init__(self, text: str, meta: DocumentMeta) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.pat = _patterns()
        self.text, mentions = read_places(text)
        self.segments = Segments(self.text)
        national = lexicon("scopes")["national"]
        self.national_code: str = national["code"]
        self.national_name: str = national["name"]
        self.doc_code = meta.region_code if meta.region_code in self.gaz.by_code else None
        self.doc_is_national = meta.region_code == self.national_code
        self.masked = self._comparison_mask()
        self.frames = self._frames()
        self.frame_starts = [f[0] for f in self.frames]
        self.level_codes: dict[str, str | None] = {}
        kinds = self.pat.scope_kinds
        self.scope_matches = [
            _Scope(m.start(), m.end(), m.group(), kinds[m.group()]) for m in self.pat.scope.finditer(self.text)
        ]
        self.org_matches = list(self.pat.org.finditer(self.text))
        self.places = self._places(mentions)
        # where every place name the gazetteer knows ends, believed or not (`广州` in a report of unknown region)
        self.name_ends = {m.end for m in mentions}
        self.whole_scopes: list[Evidence] = []  # 全省, 全市, 全国: a figure of a whole division
        self.region_names: dict[str, str] = {}
        self.resolved: dict[tuple[_Org, str | None], tuple[str | None, str | None]] = {}
        # one (immutable) Attribution per distinct reading: a document's metrics share a few readings
        self.readings: dict[tuple[object, ...], Attribution] = {}
        self.regions = self._regions()
        self.whole_scope_starts = [e.start for e in self.whole_scopes]
        self.region_starts = [e.start for e in self.regions]
        lead = lexicon("orgs")["lead"]
        self.lead_spans = lead_paragraphs(self.text, lead["paragraphs"], lead["min_chars"])
        published = meta.published_at.date() if meta.published_at else None
        self.periods = Periods(self.text, self.segments, published, meta.title, self.lead_spans)
        self.orgs = self._orgs()
        self.lead: _Org | None = None
        self.lead = self._lead_body(meta)
        self._work_kinds: dict[str, str | None] = {}
        self.orgs = sorted(self.orgs + self._self_references(), key=lambda e: (e.start, e.end))
        self.org_starts = [e.start for e in self.orgs]
        self._subjects: tuple[list[Evidence], list[int]] | None = None
        self._phrase_subjects: tuple[list[Evidence], list[int]] | None = None
        if self.lead is None:
            self.lead = self._lead_kind()

    # -- regions ------------------------------------------------------------------------------------------------

    def _comparison_mask(self) -> list[tuple[int, int]]:
        return [m.span() for _, m in branch_finditer(self.pat.comparison, self.text)]

    def _is_masked(self, start: int) -> bool:
        # the masked spans are a regex's matches: ordered and apart, so only the last one opening at or before
        # `start` may hold it
        if not self.masked:
            return False
        i = bisect.bisect_right(self.masked, (start, len(self.text) + 1)) - 1
        return i >= 0 and start < self.masked[i][1]

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
        filed_at = dateline_place_ends(self.text)  # `新华社北京6月15日电`: where the story was filed
        for m in mentions:
            if self._is_masked(m.start) or m.end in filed_at:
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

    def _scope_code(self, scope: _Scope) -> str | None:
        if scope.kind == "fixed":
            return str(lexicon("scopes")["region_words"][scope.word])  # 全港: Hong Kong, whatever the document's region
        if scope.kind == "national":
            return self.national_code
        if scope.kind == "multi":
            if self.doc_is_national:
                return self.national_code
            return self._by_level(scope.word[0]) or self.doc_code
        level = scope.word[-1]
        if scope.word[:-1] in lexicon("scopes")["recent_prefixes"]:
            before = [d for p, d in self.places if p.end <= scope.start and d.name.endswith(level)]
            return before[-1].code if before else None
        return self._by_level(level)

    def _regions(self) -> list[Evidence]:
        """Region evidence: places other than the parents of the document's own region (a district report that
        names its city, `杭州未来科技城`, still reports for the district), scope words other than those that
        qualify a name (`全省“科技创新鼎”`), and national bodies (`最高人民法院`)."""
        parents = {d.code for d in self.gaz.lineage(self.doc_code)[1:]} if self.doc_code else set()
        # a place after 在 or 于 is where something happened (`盘踞在中山市实施电诈的犯罪集团`): evidence for the
        # figures of its own clause, not for the clauses after it
        at = tuple(lexicon("scopes")["location_markers"])
        evidence = [
            Evidence(p.start, p.end, d.code, clause_only=self.text.endswith(at, 0, p.start))
            for p, d in self.places
            if d.code not in parents
        ]
        for scope in self.scope_matches:
            if not self._is_masked(scope.start) and not self.text.startswith(_NAME_OPENERS, scope.end):
                evidence.append(Evidence(scope.start, scope.end, self._scope_code(scope)))
                if scope.kind in ("national", "fixed") or (scope.kind == "level" and scope.word[:-1] == "全"):
                    self.whole_scopes.append(evidence[-1])
        for m in self.org_matches:
            entry = self.pat.org_entries[m.group()]
            if (entry.get("national") or entry.get("region")) and not self._is_masked(m.start()):
                evidence.append(Evidence(m.start(), m.end(), entry.get("region") or self.national_code))
        evidence.sort(key=lambda e: (e.start, e.end))
        return evidence

    def _lca(self, codes: list[str]) -> str | None:
        common = set.intersection(*({d.code for d in self.gaz.lineage(c)} for c in codes))
        return max(common, key=lambda c: self.gaz.by_code[c].rank, default=None)

    def _listed(self, ev: Evidence) -> str | None:
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
        """Division code for a mention at `start`: nearest region evidence in its paragraph, else the document's (a
        document that names no place but whose lead body is national covers the whole country)."""

        def here(e: Evidence) -> bool:  # a location (`在中山市`) counts in its own phrase only
            return not e.clause_only or _PHRASE_BREAK_RE.search(self.text, e.end, start) is None

        ev = nearest(self.regions, self.region_starts, start, self.segments.sentence_start(start), here)
        if ev is None:
            ev = nearest(self.regions, self.region_starts, start, self.segments.paragraph_start(start), here)
        if ev is not None:
            return self._listed(ev) if ev.value and ev.value != self.national_code else ev.value
        if self.doc_is_national:
            return self.national_code
        if self.doc_code is None and self.lead is not None and self.lead.code == self.national_code:
            return self.national_code  # an unplaced report whose lead body is national (最高人民法院)
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
        entry = self.pat.org_entries[suffix]
        if regional := entry.get("regional", {}).get(code):  # 香港警方 → 香港警务处: a region's own body
            return self._label(code) + joiner + regional
        return self._label(code) + joiner + entry.get("canonical", {}).get(level, suffix)

    def _orgs(self) -> list[Evidence]:
        """Organisation names: a suffix from the lexicon (`公安分局`, `检察院`) and what stands before it — a place
        (`石峰`, `遂宁市`), a scope word (`全省`), a level character (`区`) or nothing — with joiners (`委`,
        `各级`) allowed between, or for named groups a description (`省政法队伍教育整顿第三督导组`). A bare name
        right after another body and a conjunction shares its region (`全省纪检监察机关和政法单位`)."""
        place_ends = {p.end: (p.start, d.code) for p, d in self.places}
        scope_ends = {scope.end: scope for scope in self.scope_matches}
        levels = lexicon("scopes")["level_chars"]
        not_after = tuple(lexicon("orgs")["not_after"])
        not_in_names = lexicon("orgs")["not_in_names"]
        text = self.text
        out: list[Evidence] = []

        def prefix_at(cut: int) -> tuple[int, str | None, bool] | None:
            """(start, region code, keep as written) of a prefix ending at `cut`."""
            if cut in place_ends:
                start, code = place_ends[cut]
                return start, code, False
            if cut in scope_ends:
                scope = scope_ends[cut]
                return scope.start, self._scope_code(scope), scope.kind == "multi"
            if cut > 0 and text[cut - 1] in levels and cut not in self.name_ends:
                # a level character (`市`, `州`) that does not end a place's name (`广州`): the document's own level
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
                out.append(Evidence(m.start(), m.end(), _Org(suffix, name, suffix, self.national_code, kind)))
                continue
            if home := entry.get("region"):  # a body that exists in one place only (廉政公署)
                start = m.start()
                if (hit := prefix_at(start)) is not None and hit[1] == home:
                    start = hit[0]
                name = self._label(home) + entry.get("canonical", {}).get("province", suffix)
                out.append(Evidence(start, m.end(), _Org(text[start : m.end()], name, suffix, home, kind)))
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
                out.append(Evidence(own, m.end(), _Org(text[own : m.end()], text[own : m.end()], suffix, None, kind)))
                continue
            if found is None and out and m.start() > 0 and text[m.start() - 1] in _CONJUNCTIONS:
                prev: _Org = out[-1].value
                if out[-1].end == m.start() - 1 and prev.code is not None:
                    found = (m.start(), prev.code, False)
            begin = found[0] if found else m.start()
            code = found[1] if found else None
            written = text[begin : m.end()]
            name = None if code is None or (found and found[2]) else self._org_name(code, joiner, suffix)
            if name and found and not joiner and begin == m.start() - 1 and text[begin] in levels:
                forms = entry.get("body_forms", {})  # `市法院` is the city's court: 中级人民法院
                level = _LEVEL_OF_RANK.get(self.gaz.by_code[code].rank) if code in self.gaz.by_code else None
                if level in forms:
                    name = self._label(code) + forms[level]
            out.append(Evidence(begin, m.end(), _Org(written, name, suffix, code, kind)))
        # a body right after a word that makes it an object (`向市检察院提请`, `投诉的是警务处`) does not count
        markers = tuple(lexicon("orgs")["object_markers"])
        out = [e for e in out if not text.endswith(markers, 0, e.start)]
        # a body that names a campaign (`全国政法队伍教育整顿`) is no evidence, but may still name the lead body
        campaigns = tuple(lexicon("orgs")["campaign_after"])
        self.campaign_orgs = [e for e in out if text.startswith(campaigns, e.end)]
        out = [e for e in out if not text.startswith(campaigns, e.end)]
        out.sort(key=lambda e: (e.start, e.end))
        return out

    def _self_references(self) -> list[Evidence]:
        """`我院`, `本局`: the document's own body when its name ends with the word's head character; else, with no
        name, the kind of the document's bodies of that head (`我院` among courts → court), or nothing."""
        ends = lexicon("orgs")["self_references"]
        out: list[Evidence] = []
        for m in self.pat.self_ref.finditer(self.text):
            head = ends[m.group()]
            if self.lead and self.lead.name and self.lead.name.endswith(head):
                out.append(Evidence(m.start(), m.end(), self.lead))
                continue
            kinds = Counter(
                e.value.kind for e in self.orgs if e.value.suffix.endswith(head) and e.value.kind is not None
            )
            kind = next(iter(kinds)) if len(kinds) == 1 else None if kinds else self._kind_from_work_words(head)
            if kind is not None:
                out.append(Evidence(m.start(), m.end(), _Org(m.group(), None, m.group(), None, kind)))
        return out

    def _kind_from_work_words(self, head: str) -> str | None:
        """The kind of a body that names itself only by its head (`我院` in an unsigned statistic) from the work its
        text describes: the kind whose words (`orgs.json` `self_reference_kinds`: 审结, 执结 for a court; 批捕,
        提起公诉 for a procuratorate) occur at least 3 times and twice as often as the other's; else None."""
        if head not in self._work_kinds:
            words = lexicon("orgs")["self_reference_kinds"].get(head, {})
            counts = sorted(((sum(self.text.count(w) for w in ws), kind) for kind, ws in words.items()), reverse=True)
            best = counts[0] if counts else (0, None)
            runner_up = counts[1][0] if len(counts) > 1 else 0
            self._work_kinds[head] = best[1] if best[0] >= 3 and best[0] >= 2 * runner_up else None
        return self._work_kinds[head]

    def _in_frame(self, pos: int) -> bool:
        """Whether `pos` lies inside a frame naming who leads or oversees (`在市委的坚强领导下`)."""
        i = bisect.bisect_right(self.frame_starts, pos) - 1
        return i >= 0 and pos < self.frames[i][1]

    def _frames(self) -> list[tuple[int, int]]:
        return [m.span() for m in self.pat.frame.finditer(self.text)]

    def subjects(self) -> tuple[list[Evidence], list[int]]:
        """The organisations that open their clause, and their starts (found on first use)."""
        if self._subjects is None:
            found = [e for e in self.orgs if self._subject_position(e)]
            self._subjects = found, [e.start for e in found]
        return self._subjects

    def phrase_subjects(self) -> tuple[list[Evidence], list[int]]:
        """The organisations that open their comma-separated phrase (`…，全市公安机关共抓获…`), and their starts: the
        subject of the phrases after them in their sentence (found on first use)."""
        if self._phrase_subjects is None:
            found = [e for e in self.orgs if self._subject_position(e, phrase=True)]
            self._phrase_subjects = found, [e.start for e in found]
        return self._phrase_subjects

    def _subject_position(self, ev: Evidence, phrase: bool = False) -> bool:
        """Whether an organisation opens its clause (with `phrase`, its comma-separated phrase), after at most a
        time phrase (`2015年，全市检察机关…`, `近年来，某县公安局在…`) or `我代表` (a work report delivered for it)."""
        clause = self.segments.clause_start(ev.start)
        if phrase:
            clause = max([clause] + [self.text.rfind(ch, clause, ev.start) + 1 for ch in _PHRASE_ENDS])
        spans, starts = self.periods.evidence, self.periods.starts
        i = bisect.bisect_left(starts, clause)
        parts, cut = [], clause
        while i < len(spans) and spans[i].end <= ev.start:
            parts.append(self.text[cut : spans[i].start])
            cut = spans[i].end
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
        names; else the first body that opens a clause in the opening paragraphs (`全市检察机关在市委的领导下…`);
        else the body whose campaign the title or opening names (`全国政法队伍教育整顿` → 全国政法系统)."""
        if meta.body:
            entry = self._entry_of(meta.body)
            return _Org(meta.body, meta.body, meta.body, self.doc_code, entry.get("kind") if entry else None)
        title_spans: list[tuple[int, int]] = []
        if meta.title and (at := self.text.find(simplified(meta.title))) >= 0:
            title_spans.append((at, at + len(meta.title)))
        for begin, end in title_spans:
            named = [ev for ev in self.orgs if begin <= ev.start and ev.end <= end and (ev.value.name or ev.value.kind)]
            # a body before a colon is the headline's source (`最高法：全国法院新收案…`), another is its subject
            subjects = [ev for ev in named if not self.text.startswith((":", "："), ev.end)] or named
            if subjects:
                return self._completed(subjects[0].value)
        starts = [ev.start for ev in self.orgs]
        found = [
            ev
            for begin, end in self.lead_spans
            for ev in self.orgs[bisect.bisect_left(starts, begin) : bisect.bisect_left(starts, end)]
            if ev.end <= end and (ev.value.name or ev.value.kind) and self._subject_position(ev, phrase=True)
        ]
        # a party committee or government opening a phrase mostly leads the work (`省委高度重视，…`): the body
        # that does it comes first
        found.sort(key=lambda ev: ev.value.kind == "government")
        if not found:  # else the body whose campaign the title or opening names
            spans = title_spans + self.lead_spans
            found = [ev for ev in self.campaign_orgs if any(b <= ev.start and ev.end <= e for b, e in spans)]
        if not found:
            return None
        ev = found[0]
        sentence_end = self.text.find("。", ev.end)
        return self._completed(
            self._scoped(ev.value, ev.end, sentence_end if sentence_end >= 0 else len(self.text), None)
        )

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
        full = entry.get("regional", {}).get(region_code) or entry.get("canonical", {}).get(level)
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
        i = bisect.bisect_left(self.whole_scope_starts, after)
        if i >= len(self.whole_scopes) or self.whole_scopes[i].end > before:
            return org  # no whole division's scope between them: the common case, answered first
        entry = self.pat.org_entries.get(org.suffix, {})
        collective = lexicon("orgs")["kind_collectives"].get(org.kind or "")
        if entry.get("collective") or collective is None:
            return org
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
        ev = nearest(self.orgs, self.org_starts, start, seg.clause_start(start))
        if ev is None and end is not None:  # the members of a body counted by the figure (`458名政法干警`)
            i = bisect.bisect_left(self.org_starts, end)
            if i < len(self.orgs) and self.orgs[i].start - end <= _HEAD_GAP:
                ev = self.orgs[i]
        if ev is None:  # a body opening a phrase of the sentence, else a clause of the paragraph
            ev = nearest(*self.phrase_subjects(), start, seg.sentence_start(start))
        if ev is None:
            ev = nearest(*self.subjects(), start, seg.paragraph_start(start))
        if ev is not None:
            key = (self._scoped(ev.value, ev.end, start, region_code), region_code)
            if (known := self.resolved.get(key)) is None:
                known = self.resolved[key] = self._resolve(*key)
            return known
        lead = self.lead
        if lead is not None and (region_code is None or lead.code is None or region_code in (lead.code, self.doc_code)):
            return lead.name, lead.kind
        return None, None

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
        period_start, period_end, as_of = self.periods.period_at(start)
        org, org_kind = self.org_at(start, code, end)
        key = (org, org_kind, code, period_start, period_end, as_of)
        if (known := self.readings.get(key)) is None:
            known = self.readings[key] = Attribution(
                org=org,
                org_kind=org_kind,
                region=self.region_name(code),
                region_code=code,
                period_start=period_start,
                period_end=period_end,
                as_of=as_of,
            )
        return known


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

    def one(span: tuple[int, int]) -> Attribution:
        try:
            return context.attribute(int(span[0]), int(span[1])) if context else EMPTY
        except Exception:
            logger.exception("attribution: could not attribute span %r", span)
            return EMPTY

    n = len(items)
    bases = list(modifies or ())
    changes = [isinstance(base, int) and 0 <= base < n and base != i for i, base in enumerate(bases[:n])]
    changes += [False] * (n - len(changes))
    # a change's own reading is replaced by its base's below: it is read only if another change takes it as base
    out: list[Attribution | None] = [None if change else one(span) for span, change in zip(items, changes, strict=True)]
    for i, base in enumerate(bases[:n]):
        if changes[i]:
            if (known := out[base]) is None:
                known = out[base] = one(items[base])
            out[i] = known
    return [a if a is not None else EMPTY for a in out]
