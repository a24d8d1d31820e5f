"""The region of each metric mention: the nearest place, scope word (`全市`) or national body before it in its
sentence, else in its paragraph, else the document's division."""

from __future__ import annotations

from collections.abc import Sequence

from transforms.attribution.document import DocumentModel
from transforms.attribution.patterns import LIST_GAPS, NAME_OPENERS, PHRASE_BREAK_RE, Org, Scope
from transforms.evidence import Evidence, nearest
from transforms.lexicon import lexicon
from transforms.metadata import ABBR, PROVINCE, SHORT, Division, Gazetteer, PlaceMention, dateline_place_ends


class Regions:
    """The region evidence of one document, read once from its model; `region_at` answers each mention."""

    def __init__(self, doc: DocumentModel) -> None:
        self.doc = doc
        self.level_codes: dict[str, str | None] = {}
        self.places = self._places(doc.mentions)
        self.whole_scopes: list[Evidence] = []  # 全省, 全市, 全国: a figure of a whole division
        self.region_names: dict[str, str] = {}
        self.evidence = self._regions()
        self.whole_scope_starts = [e.start for e in self.whole_scopes]
        self.starts = [e.start for e in self.evidence]

    def _in_doc(self, div: Division, depth: int) -> bool:
        """Whether `div` lies in the document's province (depth 0) or city (depth 1)."""
        if self.doc.doc_code is None:
            return False
        anchor = self.doc.doc_code[:2] + "0000" if depth == 0 else self.doc.doc_code[:4] + "00"
        if depth == 1 and self.doc.doc_code.endswith("0000"):
            anchor = self.doc.doc_code
        return Gazetteer.within(div.code, anchor)

    def _places(self, mentions: Sequence[PlaceMention]) -> list[tuple[PlaceMention, Division]]:
        """Places believed to be named in the text, each resolved to one division: full names anywhere,
        abbreviations of provinces anywhere, abbreviations of cities and counties inside the document's province
        or right after their parent (`海南万宁`), short county names only inside the document's city."""
        out: list[tuple[PlaceMention, Division]] = []
        filed_at = dateline_place_ends(self.doc.text)  # `新华社北京6月15日电`: where the story was filed
        for m in mentions:
            if self.doc.is_masked(m.start) or m.end in filed_at:
                continue
            prev = out[-1] if out and out[-1][0].end == m.start else None
            under_prev = [d for d in m.candidates if prev and Gazetteer.within(d.code, prev[1].code)]
            in_province = [d for d in m.candidates if self._in_doc(d, 0)]
            chosen: Division | None
            if under_prev:
                chosen = under_prev[0]
            elif m.form == SHORT:
                city_doc = self.doc.doc_code is not None and not self.doc.doc_code.endswith("0000")
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

    def by_level(self, level_char: str) -> str | None:
        """The document's region or its nearest parent whose name ends with `level_char` (全市 → 株洲市)."""
        if self.doc.doc_code is None:
            return None
        if level_char not in self.level_codes:
            lineage = self.doc.gaz.lineage(self.doc.doc_code)
            self.level_codes[level_char] = next((d.code for d in lineage if d.name.endswith(level_char)), None)
        return self.level_codes[level_char]

    def scope_code(self, scope: Scope) -> str | None:
        if scope.kind == "fixed":
            return str(lexicon("scopes")["region_words"][scope.word])  # 全港: Hong Kong, whatever the document's region
        if scope.kind == "national":
            return self.doc.national_code
        if scope.kind == "multi":
            if self.doc.doc_is_national:
                return self.doc.national_code
            return self.by_level(scope.word[0]) or self.doc.doc_code
        level = scope.word[-1]
        if scope.word[:-1] in lexicon("scopes")["recent_prefixes"]:
            before = [d for p, d in self.places if p.end <= scope.start and d.name.endswith(level)]
            return before[-1].code if before else None
        return self.by_level(level)

    def _regions(self) -> list[Evidence]:
        """Region evidence: places other than the parents of the document's own region (a district report that
        names its city, `杭州未来科技城`, still reports for the district), scope words other than those that
        qualify a name (`全省“科技创新鼎”`), and national bodies (`最高人民法院`)."""
        parents = {d.code for d in self.doc.gaz.lineage(self.doc.doc_code)[1:]} if self.doc.doc_code else set()
        # a place after 在 or 于 is where something happened (`盘踞在中山市实施电诈的犯罪集团`): evidence for the
        # figures of its own clause, not for the clauses after it
        at = tuple(lexicon("scopes")["location_markers"])
        evidence = [
            Evidence(p.start, p.end, d.code, clause_only=self.doc.text.endswith(at, 0, p.start))
            for p, d in self.places
            if d.code not in parents
        ]
        for scope in self.doc.scope_matches:
            if not self.doc.is_masked(scope.start) and not self.doc.text.startswith(NAME_OPENERS, scope.end):
                evidence.append(Evidence(scope.start, scope.end, self.scope_code(scope)))
                if scope.kind in ("national", "fixed") or (scope.kind == "level" and scope.word[:-1] == "全"):
                    self.whole_scopes.append(evidence[-1])
        for m in self.doc.org_matches:
            entry = self.doc.pat.org_entries[m.group()]
            if (entry.get("national") or entry.get("region")) and not self.doc.is_masked(m.start()):
                evidence.append(Evidence(m.start(), m.end(), entry.get("region") or self.doc.national_code))
        evidence.sort(key=lambda e: (e.start, e.end))
        return evidence

    def _lca(self, codes: list[str]) -> str | None:
        common = set.intersection(*({d.code for d in self.doc.gaz.lineage(c)} for c in codes))
        return max(common, key=lambda c: self.doc.gaz.by_code[c].rank, default=None)

    def _listed(self, ev: Evidence) -> str | None:
        """For a place that closes a list (`红古区、清水县、渭源县等`), the division holding the whole list."""
        if not self.doc.text.startswith("等", ev.end):
            return ev.value
        idx = next((i for i, (p, _) in enumerate(self.places) if p.start == ev.start), None)
        if idx is None:
            return ev.value
        codes = [self.places[idx][1].code]
        while idx > 0:
            prev, div = self.places[idx - 1]
            if self.doc.text[prev.end : self.places[idx][0].start] not in LIST_GAPS:
                break
            codes.append(div.code)
            idx -= 1
        return self._lca(codes) if len(codes) > 1 else ev.value

    def region_at(self, start: int, lead: Org | None) -> str | None:
        """Division code for a mention at `start`: nearest region evidence in its paragraph, else the document's (a
        document that names no place but whose lead body `lead` is national covers the whole country)."""

        def here(e: Evidence) -> bool:  # a location (`在中山市`) counts in its own phrase only
            return not e.clause_only or PHRASE_BREAK_RE.search(self.doc.text, e.end, start) is None

        ev = nearest(self.evidence, self.starts, start, self.doc.segments.sentence_start(start), here)
        if ev is None:
            ev = nearest(self.evidence, self.starts, start, self.doc.segments.paragraph_start(start), here)
        if ev is not None:
            return self._listed(ev) if ev.value and ev.value != self.doc.national_code else ev.value
        if self.doc.doc_is_national:
            return self.doc.national_code
        if self.doc.doc_code is None and lead is not None and lead.code == self.doc.national_code:
            return self.doc.national_code  # an unplaced report whose lead body is national (最高人民法院)
        return self.doc.doc_code

    def region_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code == self.doc.national_code:
            return self.doc.national_name
        if (name := self.region_names.get(code)) is None:
            name = self.region_names[code] = self.doc.gaz.full_name(code)
        return name
