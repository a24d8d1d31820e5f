"""Attribution of metric mentions: the body that reported a figure, the division it belongs to, and its period.

Input is one report's text, the [start, end) offsets of its metric mentions, and the report's `DocumentMeta`.
Output is one `Attribution` per mention. Evidence is collected once per document (places, scope words such as
`全区`, organisation names; period phrases in `transforms.periods`) and each mention takes the nearest evidence
before it, looking no further than its clause, sentence or paragraph depending on the kind of evidence. A mention
with no region evidence belongs to the document's region; one with no body in its sentence or paragraph to the
document's lead body (its own body, or the body its title or opening names). Anything the text does not settle
stays None.

The package's rooms: `document` (the document model, read once per report), the resolvers `regions` and `orgs`
(with `transforms.periods` for periods), and `patterns` (the lexicons as regular expressions, and the records read
from a text).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from transforms.attribution.document import DocumentModel
from transforms.attribution.orgs import Organisations
from transforms.attribution.regions import Regions
from transforms.metadata import DocumentMeta
from transforms.periods import Periods

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


class _Reader:
    """One document's model and resolvers, built once; `attribute` then answers each mention by bisection."""

    def __init__(self, text: str, meta: DocumentMeta) -> None:
        self.doc = DocumentModel(text, meta)
        self.regions = Regions(self.doc)
        published = meta.published_at.date() if meta.published_at else None
        self.periods = Periods(self.doc.text, self.doc.segments, published, meta.title, self.doc.lead_spans)
        self.orgs = Organisations(self.doc, self.regions, self.periods, meta)
        # one (immutable) Attribution per distinct reading: a document's metrics share a few readings
        self.readings: dict[tuple[object, ...], Attribution] = {}

    def attribute(self, start: int, end: int) -> Attribution:
        start = max(0, min(start, len(self.doc.text)))
        code = self.regions.region_at(start, self.orgs.lead)
        period_start, period_end, as_of = self.periods.period_at(start)
        org, org_kind = self.orgs.org_at(start, code, end)
        key = (org, org_kind, code, period_start, period_end, as_of)
        if (known := self.readings.get(key)) is None:
            known = self.readings[key] = Attribution(
                org=org,
                org_kind=org_kind,
                region=self.regions.region_name(code),
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
    context: _Reader | None
    try:
        context = _Reader(text, meta)
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
