"""The document model attribution reads once per report: its text in simplified characters, where its clauses,
sentences and paragraphs start, its division from the metadata, the places, scope words and organisation names it
writes, the spans that name a comparison's field (`位居全省第一`) or who leads (`在市委的领导下`), and its opening
paragraphs. The resolvers (`regions`, `orgs`, `transforms.periods`) answer each mention from it."""

from __future__ import annotations

import bisect

from transforms.attribution.patterns import Scope, patterns
from transforms.evidence import lead_paragraphs
from transforms.lexicon import lexicon
from transforms.metadata import DocumentMeta, Gazetteer, gazetteer, read_places
from transforms.scan import branch_finditer
from transforms.sentences import Segments


class DocumentModel:
    """One report as attribution reads it, built once (see the module docstring)."""

    def __init__(self, text: str, meta: DocumentMeta) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.pat = patterns()
        self.text, self.mentions = read_places(text)
        self.segments = Segments(self.text)
        national = lexicon("scopes")["national"]
        self.national_code: str = national["code"]
        self.national_name: str = national["name"]
        self.doc_code = meta.region_code if meta.region_code in self.gaz.by_code else None
        self.doc_is_national = meta.region_code == self.national_code
        self.masked = self._comparison_mask()
        self.frames = self._frames()
        self.frame_starts = [f[0] for f in self.frames]
        kinds = self.pat.scope_kinds
        self.scope_matches = [
            Scope(m.start(), m.end(), m.group(), kinds[m.group()]) for m in self.pat.scope.finditer(self.text)
        ]
        self.org_matches = list(self.pat.org.finditer(self.text))
        # where every place name the gazetteer knows ends, believed or not (`广州` in a report of unknown region)
        self.name_ends = {m.end for m in self.mentions}
        lead = lexicon("orgs")["lead"]
        self.lead_spans = lead_paragraphs(self.text, lead["paragraphs"], lead["min_chars"])

    def _comparison_mask(self) -> list[tuple[int, int]]:
        return [m.span() for _, m in branch_finditer(self.pat.comparison, self.text)]

    def is_masked(self, start: int) -> bool:
        # the masked spans are a regex's matches: ordered and apart, so only the last one opening at or before
        # `start` may hold it
        if not self.masked:
            return False
        i = bisect.bisect_right(self.masked, (start, len(self.text) + 1)) - 1
        return i >= 0 and start < self.masked[i][1]

    def in_frame(self, pos: int) -> bool:
        """Whether `pos` lies inside a frame naming who leads or oversees (`在市委的坚强领导下`)."""
        i = bisect.bisect_right(self.frame_starts, pos) - 1
        return i >= 0 and pos < self.frames[i][1]

    def _frames(self) -> list[tuple[int, int]]:
        return [m.span() for m in self.pat.frame.finditer(self.text)]
