"""The organisation of each metric mention: the nearest body named in its clause, else one opening a phrase of its
sentence or a clause of its paragraph, else the document's lead body; a bare body (`检察院`) is completed with the
mention's region (`石峰区人民检察院`)."""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Any

from transforms.attribution.document import DocumentModel
from transforms.attribution.patterns import (
    CONJUNCTIONS,
    DESCRIPTOR_CHARS,
    HEAD_GAP,
    LEVEL_OF_RANK,
    PHRASE_ENDS,
    PLACE_DESCRIPTOR_CHARS,
    Org,
    is_word_char,
)
from transforms.attribution.regions import Regions
from transforms.evidence import Evidence, nearest
from transforms.lexicon import lexicon
from transforms.metadata import DocumentMeta, simplified
from transforms.periods import Periods


class Organisations:
    """The organisation evidence of one document and its lead body, read once; `org_at` answers each mention."""

    def __init__(self, doc: DocumentModel, regions: Regions, periods: Periods, meta: DocumentMeta) -> None:
        self.doc = doc
        self.regions = regions
        self.periods = periods
        self.resolved: dict[tuple[Org, str | None], tuple[str | None, str | None]] = {}
        self.orgs = self._orgs()
        self.lead: Org | None = None
        self.lead = self._lead_body(meta)
        self._work_kinds: dict[str, str | None] = {}
        self.orgs = sorted(self.orgs + self._self_references() + self._anaphors(), key=lambda e: (e.start, e.end))
        self.org_starts = [e.start for e in self.orgs]
        self._subjects: tuple[list[Evidence], list[int]] | None = None
        self._phrase_subjects: tuple[list[Evidence], list[int]] | None = None
        if self.lead is None:
            self.lead = self._lead_kind()

    def _label(self, code: str) -> str:
        """The short name of a division as it opens an organisation's name (石峰区, 全国, 香港)."""
        if code == self.doc.national_code:
            return self.doc.national_name
        name = self.doc.gaz.by_code[code].name
        return name.removesuffix("特别行政区")

    def _org_name(self, code: str, joiner: str, suffix: str) -> str:
        level = "nation" if code == self.doc.national_code else LEVEL_OF_RANK[self.doc.gaz.by_code[code].rank]
        entry = self.doc.pat.org_entries[suffix]
        if regional := entry.get("regional", {}).get(code):  # 香港警方 → 香港警务处: a region's own body
            return self._label(code) + joiner + regional
        return self._label(code) + joiner + entry.get("canonical", {}).get(level, suffix)

    def _orgs(self) -> list[Evidence]:
        """Organisation names: a suffix from the lexicon (`公安分局`, `检察院`) and what stands before it — a place
        (`石峰`, `遂宁市`), a scope word (`全省`), a level character (`区`) or nothing — with joiners (`委`,
        `各级`) allowed between, or for named groups a description (`省政法队伍教育整顿第三督导组`). A bare name
        right after another body and a conjunction shares its region (`全省纪检监察机关和政法单位`)."""
        place_ends = {p.end: (p.start, d.code) for p, d in self.regions.places}
        scope_ends = {scope.end: scope for scope in self.doc.scope_matches}
        levels = lexicon("scopes")["level_chars"]
        not_after = tuple(lexicon("orgs")["not_after"])
        not_in_names = lexicon("orgs")["not_in_names"]
        text = self.doc.text
        out: list[Evidence] = []

        def prefix_at(cut: int) -> tuple[int, str | None, bool] | None:
            """(start, region code, keep as written) of a prefix ending at `cut`."""
            if cut in place_ends:
                start, code = place_ends[cut]
                return start, code, False
            if cut in scope_ends:
                scope = scope_ends[cut]
                return scope.start, self.regions.scope_code(scope), scope.kind == "multi"
            if cut > 0 and text[cut - 1] in levels and cut not in self.doc.name_ends:
                # a level character (`市`, `州`) that does not end a place's name (`广州`): the document's own level
                return cut - 1, self.regions.by_level(text[cut - 1]), False
            return None

        for m in self.doc.org_matches:
            suffix, entry = m.group(), self.doc.pat.org_entries[m.group()]
            if self.doc.is_masked(m.start()) or text.startswith(not_after, m.end()):
                continue
            if self.doc.pat.meeting.match(text, m.end()):  # `市委政法工作会议` names a meeting
                continue
            if self.doc.in_frame(m.start()):  # `在市委的坚强领导下` names who leads, not who counts
                continue
            kind = entry.get("kind")
            if entry.get("national"):
                name = entry.get("canonical", {}).get("nation", suffix)
                out.append(Evidence(m.start(), m.end(), Org(suffix, name, suffix, self.doc.national_code, kind)))
                continue
            if home := entry.get("region"):  # a body that exists in one place only (廉政公署)
                start = m.start()
                if (hit := prefix_at(start)) is not None and hit[1] == home:
                    start = hit[0]
                name = self._label(home) + entry.get("canonical", {}).get("province", suffix)
                out.append(Evidence(start, m.end(), Org(text[start : m.end()], name, suffix, home, kind)))
                continue
            found, joiner = None, ""
            for j in ("", *self.doc.pat.joiners):
                if text.startswith(j, m.start() - len(j)) and (hit := prefix_at(m.start() - len(j))):
                    found, joiner = hit, j
                    break
            if found is None and entry.get("descriptor"):
                run = m.start()
                while run > 0 and m.start() - run < DESCRIPTOR_CHARS and is_word_char(text[run - 1]):
                    run -= 1
                for cut in range(run + 1, m.start()):
                    if (hit := prefix_at(cut)) is not None and hit[0] == run:
                        found, joiner = hit, text[cut : m.start()]
                        break
            if found is None and not entry.get("descriptor"):  # `澳门司法警察局`: a place, a word of two, the suffix
                for size in range(1, PLACE_DESCRIPTOR_CHARS + 1):
                    cut = m.start() - size
                    words = text[cut : m.start()]
                    if cut in place_ends and all("\u4e00" <= ch <= "\u9fff" for ch in words):
                        if not any(w in words for w in not_in_names):
                            found, joiner = (place_ends[cut][0], place_ends[cut][1], False), words
                        break
            if found is None and entry.get("requires_prefix"):
                continue
            if found is None and not entry.get("collective") and (own := self._proper_name(m.start())) is not None:
                out.append(Evidence(own, m.end(), Org(text[own : m.end()], text[own : m.end()], suffix, None, kind)))
                continue
            if found is None and out and m.start() > 0 and text[m.start() - 1] in CONJUNCTIONS:
                prev: Org = out[-1].value
                if out[-1].end == m.start() - 1 and prev.code is not None:
                    found = (m.start(), prev.code, False)
            begin = found[0] if found else m.start()
            code = found[1] if found else None
            written = text[begin : m.end()]
            name = None if code is None or (found and found[2]) else self._org_name(code, joiner, suffix)
            if name and found and not joiner and begin == m.start() - 1 and text[begin] in levels:
                forms = entry.get("body_forms", {})  # `市法院` is the city's court: 中级人民法院
                level = LEVEL_OF_RANK.get(self.doc.gaz.by_code[code].rank) if code in self.doc.gaz.by_code else None
                if level in forms:
                    name = self._label(code) + forms[level]
            out.append(Evidence(begin, m.end(), Org(written, name, suffix, code, kind)))
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
        for m in self.doc.pat.self_ref.finditer(self.doc.text):
            head = ends[m.group()]
            if self.lead and self.lead.name and self.lead.name.endswith(head):
                out.append(Evidence(m.start(), m.end(), self.lead))
                continue
            kinds = Counter(
                e.value.kind for e in self.orgs if e.value.suffix.endswith(head) and e.value.kind is not None
            )
            kind = next(iter(kinds)) if len(kinds) == 1 else None if kinds else self._kind_from_work_words(head)
            if kind is not None:
                out.append(Evidence(m.start(), m.end(), Org(m.group(), None, m.group(), None, kind)))
        return out

    def _anaphors(self) -> list[Evidence]:
        """`该院`, `该所`: the body the text named last before it (at most `anaphor_chars` back) whose suffix ends
        with the word's head (`吉安市中级人民法院……该院审结` → 吉安市中级人民法院); no evidence when there is none."""
        heads = lexicon("orgs")["anaphors"]
        reach = lexicon("orgs")["anaphor_chars"]
        named = self.orgs  # the bodies named in the text, by start (self-references are not antecedents)
        starts = [e.start for e in named]
        out: list[Evidence] = []
        for m in self.doc.pat.anaphor.finditer(self.doc.text):
            head = heads[m.group()]
            i = bisect.bisect_left(starts, m.start()) - 1
            while i >= 0 and named[i].end > m.start() - reach:
                if named[i].end <= m.start() and named[i].value.suffix.endswith(head):
                    out.append(Evidence(m.start(), m.end(), named[i].value))
                    break
                i -= 1
        return out

    def _kind_from_work_words(self, head: str) -> str | None:
        """The kind of a body that names itself only by its head (`我院` in an unsigned statistic) from the work its
        text describes: the kind whose words (`orgs.json` `self_reference_kinds`: 审结, 执结 for a court; 批捕,
        提起公诉 for a procuratorate) occur at least 3 times and twice as often as the other's; else None."""
        if head not in self._work_kinds:
            words = lexicon("orgs")["self_reference_kinds"].get(head, {})
            counts = sorted(
                ((sum(self.doc.text.count(w) for w in ws), kind) for kind, ws in words.items()), reverse=True
            )
            best = counts[0] if counts else (0, None)
            runner_up = counts[1][0] if len(counts) > 1 else 0
            self._work_kinds[head] = best[1] if best[0] >= 3 and best[0] >= 2 * runner_up else None
        return self._work_kinds[head]

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
        clause = self.doc.segments.clause_start(ev.start)
        if phrase:
            clause = max([clause] + [self.doc.text.rfind(ch, clause, ev.start) + 1 for ch in PHRASE_ENDS])
        spans, starts = self.periods.evidence, self.periods.starts
        i = bisect.bisect_left(starts, clause)
        parts, cut = [], clause
        while i < len(spans) and spans[i].end <= ev.start:
            parts.append(self.doc.text[cut : spans[i].start])
            cut = spans[i].end
            i += 1
        parts.append(self.doc.text[cut : ev.start])
        return all(self.doc.pat.subject_lead.fullmatch(part) for part in parts)

    def _lead_kind(self) -> Org | None:
        """With no lead body: the kind alone of the body a report names only by a self-reference (`我院` in an
        unsigned court statistic), when all its self-references agree."""
        kinds = {e.value.kind for e in self.orgs if e.value.suffix in self.doc.pat.self_words and e.value.kind}
        return Org("", None, "", self.doc.doc_code, kinds.pop()) if len(kinds) == 1 else None

    def _lead_body(self, meta: DocumentMeta) -> Org | None:
        """The body the document reports on: its own body (`DocumentMeta.body`); else the first body its title
        names; else the first body that opens a clause in the opening paragraphs (`全市检察机关在市委的领导下…`);
        else the body whose campaign the title or opening names (`全国政法队伍教育整顿` → 全国政法系统)."""
        if meta.body:
            entry = self._entry_of(meta.body)
            return Org(meta.body, meta.body, meta.body, self.doc.doc_code, entry.get("kind") if entry else None)
        title_spans: list[tuple[int, int]] = []
        if meta.title and (at := self.doc.text.find(simplified(meta.title))) >= 0:
            title_spans.append((at, at + len(meta.title)))
        for begin, end in title_spans:
            named = [ev for ev in self.orgs if begin <= ev.start and ev.end <= end and (ev.value.name or ev.value.kind)]
            # a body before a colon is the headline's source (`最高法：全国法院新收案…`), another is its subject
            subjects = [ev for ev in named if not self.doc.text.startswith((":", "："), ev.end)] or named
            if subjects:
                return self._completed(subjects[0].value)
        starts = [ev.start for ev in self.orgs]
        found = [
            ev
            for begin, end in self.doc.lead_spans
            for ev in self.orgs[bisect.bisect_left(starts, begin) : bisect.bisect_left(starts, end)]
            if ev.end <= end and (ev.value.name or ev.value.kind) and self._subject_position(ev, phrase=True)
        ]
        # a party committee or government opening a phrase mostly leads the work (`省委高度重视，…`): the body
        # that does it comes first
        found.sort(key=lambda ev: ev.value.kind == "government")
        if not found:  # else the body whose campaign the title or opening names
            spans = title_spans + self.doc.lead_spans
            found = [ev for ev in self.campaign_orgs if any(b <= ev.start and ev.end <= e for b, e in spans)]
        if not found:
            return None
        ev = found[0]
        sentence_end = self.doc.text.find("。", ev.end)
        return self._completed(
            self._scoped(ev.value, ev.end, sentence_end if sentence_end >= 0 else len(self.doc.text), None)
        )

    def _completed(self, org: Org) -> Org:
        """A bare organisation (`公安局`) completed with the document's region, as `org_name` would."""
        if org.name or (self.doc.doc_code is None and not self.doc.doc_is_national):
            return org
        code = self.doc.national_code if self.doc.doc_is_national else self.doc.doc_code
        name, kind = self._resolve(org, code)
        return Org(org.written, name, org.suffix, code, kind)

    def _entry_of(self, name: str) -> dict[str, Any] | None:
        """The lexicon entry of the longest suffix that ends `name` (`石峰区人民法院` → 人民法院)."""
        best = None
        for suffix, entry in self.doc.pat.org_entries.items():
            if name.endswith(suffix) and (best is None or len(suffix) > len(best["suffix"])):
                best = entry
        return best

    def _proper_name(self, end: int) -> int | None:
        """Start of a body's own name of 2 to 4 characters ending at `end` (`蓬南` of 蓬南派出所), when a boundary
        stands before it and it is no generic word (`辖区`, `各`)."""
        orgs = lexicon("orgs")
        text = self.doc.text
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

    def _resolve(self, org: Org, region_code: str | None) -> tuple[str | None, str | None]:
        """(name, kind) of one organisation for a metric of `region_code`: its own normalized name; a bare name
        (`检察院`, `公安机关`) completed by the region (石峰区人民检察院, 甘肃省公安机关), except a body that needs a
        proper name of its own (`派出所`) or one that no region of that level has (`全国公安局`): then the kind
        alone, as for a body the text names only by its kind. A county's body named by its own name (`蓬南派出所`) is
        named under the county body it belongs to (`orgs.json` `parent`: 蓬溪县公安局蓬南派出所)."""
        entry = self.doc.pat.org_entries.get(org.suffix)
        if org.name:
            parent = entry.get("parent") if entry and org.code is None and org.name == org.written else None
            division = self.doc.gaz.by_code.get(region_code) if parent and region_code else None
            if parent and division is not None and LEVEL_OF_RANK.get(division.rank) == "county":
                return self._label(division.code) + parent + org.name, org.kind
            return org.name, org.kind
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
            and region_code in (lead.code, self.doc.doc_code)
        ):
            return lead.name, lead.kind  # `政法干警` in a report on `全省各级政法单位` are that body's
        if region_code is None or entry.get("named"):
            return None, org.kind
        level = "nation" if region_code == self.doc.national_code else None
        if region_code in self.doc.gaz.by_code:
            level = LEVEL_OF_RANK[self.doc.gaz.by_code[region_code].rank]
        if level is None:
            return None, org.kind
        full = entry.get("regional", {}).get(region_code) or entry.get("canonical", {}).get(level)
        if full is None and (entry.get("collective") or level != "nation"):
            full = org.suffix
        if full is None:
            return None, org.kind
        return self._label(region_code) + full, org.kind

    def _scoped(self, org: Org, after: int, before: int, region_code: str | None) -> Org:
        """The bodies of `org`'s kind in a whole division when that division's scope word stands between the
        body and the figure after a verb of announcing (`省公安厅通报，全省破获案件2.5万起` → 甘肃省公安机关): the
        body announces the figure of all bodies of its kind there. Collective bodies and bodies of no known kind
        stay as they are; with `region_code` None the scope of any whole division counts."""
        i = bisect.bisect_left(self.regions.whole_scope_starts, after)
        if i >= len(self.regions.whole_scopes) or self.regions.whole_scopes[i].end > before:
            return org  # no whole division's scope between them: the common case, answered first
        entry = self.doc.pat.org_entries.get(org.suffix, {})
        collective = lexicon("orgs")["kind_collectives"].get(org.kind or "")
        if entry.get("collective") or collective is None:
            return org
        while i < len(self.regions.whole_scopes) and self.regions.whole_scopes[i].end <= before:
            scope = self.regions.whole_scopes[i]
            if not self.doc.pat.announce.search(self.doc.text, after, scope.start):
                break
            code = scope.value
            if (region_code is None or code == region_code) and (
                code == self.doc.national_code or code in self.doc.gaz.by_code
            ):
                return Org(
                    self.doc.text[scope.start : scope.end], self._label(code) + collective, collective, code, org.kind
                )
            i += 1
        return org

    def org_at(self, start: int, region_code: str | None, end: int | None = None) -> tuple[str | None, str | None]:
        """(name, kind) of the organisation for a mention at `start`: the nearest organisation in its clause, else
        its sentence, else its paragraph; else the document's lead body (its own body, or the body its title or
        opening names) when the mention's region is the lead body's. Unknown values are None."""
        seg = self.doc.segments
        ev = nearest(self.orgs, self.org_starts, start, seg.clause_start(start))
        if ev is None and end is not None:  # the members of a body counted by the figure (`458名政法干警`)
            i = bisect.bisect_left(self.org_starts, end)
            if i < len(self.orgs) and self.orgs[i].start - end <= HEAD_GAP:
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
        if lead is not None and (
            region_code is None or lead.code is None or region_code in (lead.code, self.doc.doc_code)
        ):
            return lead.name, lead.kind
        return None, None
