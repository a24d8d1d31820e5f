"""The indicator catalog: what each figure of a report is an instance of, and how a report writes it.

The catalog lives in `transforms/indicators/*.json`: `catalog.json` holds the settings (normalisation words, unit
families, dimensions), the other files one field each (court, procuratorate, police, justice, discipline,
political-legal work, economy). Each base indicator has a code, a Chinese and English name, a definition, one kind,
one unit family, the org kinds that report it and its written forms (verb and object as reports write them:
`新收案件`, `破获刑事案件`, `地区生产总值`). Two kinds of indicator are generated rather than hand-listed:

- a dimension variant per member of each dimension a base lists (`cases_new__criminal`, 新收刑事案件数), with
  written forms from the base's `dim_forms` templates;
- a change indicator of every base and variant: `<code>__yoy_pct` (percent change) for counts, amounts and
  measures, `<code>__yoy_pp` (change in percentage points) for rates. A count, its rate and its change are three
  indicators.

Mapping (`Catalog.match`) works on the verb+object phrase before a figure: the phrase is normalised (simplified
characters, bracketed asides, quotes, `的` and filler words such as 各类/共/累计 removed, leading scope words such as
全市/本院 and trailing words such as 数/总数 stripped) and the longest written form that ends it wins, provided the
indicator's kind and unit family agree with the metric. A bare object preceded by an action verb that is not part of
any form (`抽调` + `干警`) maps to nothing: the verb changes what is counted, and a wrong indicator is worse than
none. Multi-pattern search uses pyahocorasick (already a dependency) rather than a hand-written trie.

Pure Python, no Prefect, no DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

from transforms.extract import simplify
from transforms.lexicon import load_lexicon

CATALOG_DIR = Path(__file__).with_name("indicators")
CATALOG_PATH = CATALOG_DIR / "catalog.json"
CHANGE_PCT = "yoy_pct"
CHANGE_PP = "yoy_pp"
RANK = "rank"
_PP_UNITS = frozenset({"个百分点", "百分点"})
_QUOTES_RE = re.compile(r"[“”\"'‘’《》「」『』〈〉【】、\s\u3000·•…—_]")
# Bracketed asides: (其中…), （批评教育和谈话函询）. Nested brackets are rare in subjects; the inner pair goes first.
# How a report names a dimension member by itself: 刑事案件, 厅局级干部, 省部级及以上干部.
_MEMBER_SUFFIXES = ("案件", "类案件", "诉讼案件", "干部", "及以上干部", "高干", "官员", "领导干部")
# A threshold before a bare object restricts it to a subset (`资产在亿元以上的涉黑组织`, `标的额超过千万元案件`).
_THRESHOLD_RE = re.compile(r"以上|以下|以内|超过|不足|不满")
# A list of meetings: the verb that holds them and how a meeting's name ends.
_MEETING_VERBS = ("召开", "举行", "举办", "组织召开")
_MEETING_ENDS = ("会", "会议")
# The nouns a phrase that counts cases of a named crime family ends with (起诉侵犯商标权等案件).
_CASE_NOUNS = ("案件", "犯罪")
# Words that name every case of a court together (审判执行案件: trial and enforcement cases), not one case type:
# `执行案件` inside them is not the enforcement member.
_ALL_CASES_WORDS = ("审判执行", "审执")
# Dimension members that are nouns of people by themselves (村党支部书记村委会主任, 其他人员).
_PEOPLE_MEMBER_ENDS = ("人员", "主任", "书记")
# A year written in a phrase (`命案由2019年的`) says when, not what: it is dropped like a filler, and so is a
# starting point (`2018年以来`, `上世纪90年代以来` in `纠正上世纪90年代以来违规违法减刑…问题`).
_YEAR_RE = re.compile(r"(?:上世纪|上个世纪)?\d{2}年代(?:以来|至今)?|\d{4}年(?:以来|至今|度|底|末)?")
_MEMO_SIZE = 200_000
_UNKNOWN = object()
_BRACKETS_RE = re.compile(r"[(（][^()（）]*[)）]")


@dataclass(frozen=True, slots=True)
class Formula:
    """A rate = 100 × sum(numerator indicators) / sum(denominator indicators)."""

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the catalog.

    `kind` is the metric kind it is an instance of (count, amount, measure, percent, change_pct);
    `unit_family` the family of its unit and `unit_families` the metric unit families it accepts (a case count
    may be written in 件 or 条). `base` and `derivation` say how a generated indicator was derived
    (`cases_new`, `dim:case_type=criminal` or `yoy_pct`); both are None for a hand-listed one.
    """

    code: str
    name_zh: str
    name_en: str
    definition: str
    kind: str
    unit_family: str
    unit_families: tuple[str, ...]
    org_kinds: tuple[str, ...]
    forms: tuple[str, ...]
    field: str
    formulas: tuple[Formula, ...] = ()
    resolved: str | None = None
    share: str | None = None
    sum_of: tuple[str, ...] = ()
    base: str | None = None
    derivation: str | None = None
    dims: tuple[str, ...] = ()

    @property
    def kinds(self) -> tuple[str, ...]:
        """The metric kinds this indicator accepts (one)."""
        return (self.kind,)


@dataclass(frozen=True, slots=True)
class Settings:
    """Normalisation words and unit families of `catalog.json`."""

    scope_prefixes: tuple[str, ...]
    infix_fillers: tuple[str, ...]
    leading_fillers: tuple[str, ...]
    trailing_fillers: tuple[str, ...]
    change_words: tuple[str, ...]
    light_verbs: frozenset[str]
    generic_objects: tuple[str, ...]
    drop_re: re.Pattern[str]  # quotes, blanks, 的 and the infix fillers: removed anywhere in a phrase
    lead_words: tuple[str, ...]  # scope prefixes and leading fillers, longest first
    trail_words: tuple[str, ...]  # trailing fillers, longest first
    change_trail_words: tuple[str, ...]  # change words and trailing fillers, longest first
    unit_accepts: dict[str, tuple[str, ...]]
    dimensions: dict[str, tuple[tuple[str, str, str], ...]]  # dim → (code, zh, en) members
    aliases: dict[tuple[str, str], tuple[str, ...]]  # (dim, member) → other ways to write the member
    bare_verbs: dict[str, dict[str, dict[str, str]]]  # verb → org kind → unit family → the indicator it counts


@dataclass(frozen=True, slots=True)
class Catalog:
    """The indicator catalog: indicators in file order, a form automaton and a version digest of the files."""

    indicators: tuple[Indicator, ...]
    settings: Settings
    version: str
    by_code: dict[str, Indicator] = field(repr=False)
    _by_form: dict[str, tuple[Indicator, ...]] = field(repr=False)
    _automaton: Any = field(repr=False)
    _verbs: tuple[str, ...] = field(repr=False)
    _verb_re: re.Pattern[str] = field(repr=False)
    _heavy_verb_re: re.Pattern[str] = field(repr=False)
    _members: dict[tuple[str, str], str] = field(repr=False)  # (dimension, how a report names a member) → member
    _longest_form: int = field(repr=False, default=0)
    _named_terms: dict[str, tuple[tuple[str, str, str], ...]] = field(repr=False, default_factory=dict)
    # Phrases recur across reports (新收, 结案率): normalised phrases and matches are remembered, up to _MEMO_SIZE.
    _memo: dict[tuple[object, ...], object] = field(repr=False, default_factory=dict)

    @property
    def strip_prefixes(self) -> tuple[str, ...]:
        """Leading scope words removed from a subject (全市, 本院 …)."""
        return self.settings.scope_prefixes

    def name(self, code: str | None) -> str | None:
        """The Chinese name of an indicator code, or None."""
        ind = self.by_code.get(code or "")
        return ind.name_zh if ind else None

    def normalise(self, phrase: str | None, *, simplified: bool = False) -> str | None:
        """A verb+object phrase reduced to what the written forms are written as.

        `其中打击各类涉毒犯罪` → `打击涉毒犯罪`; `全市法院新收案件数` → `新收案件`; `第一種形態（批評教育）處理` →
        `第一种形态处理`. None for an empty result. `simplified`: the phrase is already in simplified characters
        (a slice of a simplified document), so the conversion is skipped.
        """
        if not phrase:
            return None
        key = ("n", phrase, simplified)
        known = self._memo.get(key, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        out = self._normalise(phrase, simplified)
        self._remember(key, out)
        return out

    def _remember(self, key: tuple[object, ...], value: object) -> None:
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value

    def _normalise(self, phrase: str, simplified: bool) -> str | None:
        s = phrase if simplified else simplify(phrase)
        if "(" in s or "（" in s:
            for _ in range(3):
                t = _BRACKETS_RE.sub("", s)
                if t == s:
                    break
                s = t
        s = self.settings.drop_re.sub("", s)
        s = _strip_ends(s, self.settings.lead_words, self.settings.trail_words)
        return s or None

    def strip_change(self, phrase: str) -> str:
        """A change's phrase without the change words at its end (`刑事发案同比下降` → `刑事发案`)."""
        key = ("change", phrase)
        known = self._memo.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            known = _strip_ends(phrase, (), self.settings.change_trail_words)
            self._remember(key, known)
        return known  # type: ignore[return-value]

    def fits(self, ind: Indicator, kind: str | None, unit_family: str | None) -> bool:
        """Whether a metric of this kind and unit family can be an instance of the indicator (None: any)."""
        return (kind is None or ind.kind == kind) and (unit_family is None or unit_family in ind.unit_families)

    def match(self, phrase: str | None, kind: str | None, unit_family: str | None) -> str | None:
        """The code of the indicator a normalised phrase ends with, for a metric of this kind and unit family.

        The longest written form that ends the phrase and whose indicator fits wins. A form that is a bare object
        (it starts with no action verb) right after an action verb of the phrase does not count (`新增高新技术企业`
        is not the stock of 高新技术企业), nor one after a verb and a qualifier (`打掉农村涉黑涉恶组织` is not every
        涉黑涉恶组织), unless the verb is a light one that does not change what is counted (`light_verbs`: 开展,
        实现, 共有) or the verbs name meetings held (`召开查究整改部署会`); nor one after a threshold
        (`资产在亿元以上的涉黑组织`).
        """
        if not phrase:
            return None
        key = ("m", phrase, kind, unit_family)
        known = self._memo.get(key, _UNKNOWN)
        if known is not _UNKNOWN:
            return known  # type: ignore[return-value]
        code = self._match(phrase, kind, unit_family)
        if code is None:
            # a verb form and the generic object it counts anyway: 批准逮捕刑事犯罪嫌疑人 → 批准逮捕
            # (the rest may open with words before the verb: 全国纪检监察机关审查立案各级党政官员 → 审查立案); the
            # rest must end with a form that starts with a verb, so a qualifier before the generic object
            # (`打掉涉黑组织成员`) still maps to nothing
            rest = next((phrase[: -len(o)] for o in self.settings.generic_objects if phrase.endswith(o)), None)
            if rest:
                code = self._match(rest, kind, unit_family, verb_forms_only=rest not in self._by_form)
        self._remember(key, code)
        return code

    def _match(
        self, phrase: str, kind: str | None, unit_family: str | None, *, verb_forms_only: bool = False
    ) -> str | None:
        # the forms that end the phrase, longest first: one dictionary look-up per suffix
        suffixes = (phrase[k:] for k in range(max(0, len(phrase) - self._longest_form), len(phrase)))
        for form in (s for s in suffixes if s in self._by_form):
            if verb_forms_only and not self.starts_with_verb(form):
                continue
            fitting = [ind for ind in self._by_form[form] if self.fits(ind, kind, unit_family)]
            if not fitting:
                continue
            head = phrase[: len(phrase) - len(form)]
            if head and not self.starts_with_verb(form):
                if self._has_other_verb(head, form) and not _names_meetings(head, form):
                    return None
                if _THRESHOLD_RE.search(head):
                    return None  # 资产在亿元以上的涉黑组织: a subset of the object, not all of it
            return fitting[0].code
        return None

    def indicator_for(self, subject: str | None, kind: str, unit_family: str) -> str | None:
        """The code of the indicator a subject of this kind and unit family means, or None."""
        return self.match(self.normalise(subject), kind, unit_family)

    def change_of(self, base: str | None, unit: str) -> str | None:
        """The change indicator of `base` for a change written in `unit` (`%` or `个百分点`), or None.

        A percent change of a count, amount or measure is `<base>__yoy_pct`; a change of a rate in percentage
        points is `<base>__yoy_pp`. A `%` change of a rate is ambiguous (relative, or points written loosely)
        and gets none.
        """
        ind = self.by_code.get(base or "")
        if ind is None or ind.derivation in (CHANGE_PCT, CHANGE_PP, RANK):
            return None
        if ind.kind == "percent":
            code = f"{ind.code}__{CHANGE_PP}" if unit in _PP_UNITS else None
        else:
            code = f"{ind.code}__{CHANGE_PCT}" if unit not in _PP_UNITS else None
        return code if code in self.by_code else None

    def rank_of(self, base: str | None) -> str | None:
        """The rank indicator of a hand-listed indicator, or None."""
        ind = self.by_code.get(base or "")
        code = f"{ind.code}__{RANK}" if ind is not None and ind.derivation is None else None
        return code if code in self.by_code else None

    def variant(self, base: str | None, member: str) -> str | None:
        """The dimension variant `<base>__<member>` of a base indicator, if the catalog has it."""
        ind = self.by_code.get(base or "")
        if ind is None:
            return None
        root = ind.base if ind.derivation and ind.derivation.startswith("dim:") else ind.code
        code = f"{root}__{member}"
        return code if code in self.by_code else None

    def member_of(self, phrase: str | None, dims: Iterable[str]) -> str | None:
        """The dimension member a phrase names by itself (`刑事案件`, `民事`, `残疾人`, `厅局级干部`), or None."""
        if not phrase:
            return None
        for dim in dims:
            member = self._members.get((dim, phrase))
            if member:
                return member
        return None

    def dims_of(self, member_phrase: str | None) -> tuple[str, str] | None:
        """The (dimension, member) a phrase names by itself, over every dimension of the catalog, or None."""
        if not member_phrase:
            return None
        key = ("dims", member_phrase)
        known = self._memo.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            known = next(
                (
                    (dim, member)
                    for dim in self.settings.dimensions
                    if (member := self._members.get((dim, member_phrase)))
                ),
                None,
            )
            self._remember(key, known)
        return known  # type: ignore[return-value]

    def base_named_in(self, phrase: str | None, dim: str, kind: str, unit_family: str) -> str | None:
        """The base indicator with dimension `dim` one of whose written forms the phrase contains (the longest),
        for a metric of this kind and unit family (`审查立案各级党政官员` → discipline_persons_filed)."""
        if not phrase:
            return None
        found = [
            (len(form), ind.code)
            for _, form in self._automaton.iter(phrase)
            for ind in self._by_form.get(form, ())
            if ind.derivation is None and dim in ind.dims and self.fits(ind, kind, unit_family)
        ]
        return max(found)[1] if found else None

    def leading_member(self, phrase: str | None, dims: Iterable[str]) -> str | None:
        """The dimension member a phrase opens with (`刑事案件旧存` → criminal), or None."""
        if not phrase:
            return None
        found = [
            (len(zh), code)
            for dim in dims
            for code, zh, _ in self.settings.dimensions.get(dim, ())
            if phrase.startswith(zh)
        ]
        return max(found)[1] if found else None

    def total_of(self, parts: Sequence[str]) -> str | None:
        """The indicator whose `sum_of` is exactly these part indicators (`旧存` + `新收` → `受理`), or None."""
        wanted = sorted(parts)
        for ind in self.indicators:
            if ind.sum_of and sorted(ind.sum_of) == wanted:
                return ind.code
        return None

    def starts_with_verb(self, phrase: str) -> bool:
        """Whether a phrase opens with an action verb of the catalog (`起诉人数`, `审结案件`)."""
        return phrase.startswith(self._verbs)

    def _has_other_verb(self, head: str, form: str) -> bool:
        """Whether `head` has a verb that changes what is counted and that the form does not repeat
        (`受理行政公益诉讼受理线索`: 受理 is the form's own verb)."""
        return any(v.group() not in form for v in self._heavy_verb_re.finditer(head))

    def leading_verb(self, phrase: str | None) -> str | None:
        """The last action verb of a phrase whose rest is its object (`去年破获刑事案件` → 破获), or None."""
        if not phrase:
            return None
        key = ("verb", phrase)
        known = self._memo.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            known = None
            for m in self._verb_re.finditer(phrase):
                known = m.group()
            self._remember(key, known)
        return known  # type: ignore[return-value]

    def named_member_variant(self, phrase: str | None, kind: str, unit_family: str) -> str | None:
        """The dimension variant of a verb's indicator for a phrase that names one member of the dimension between
        the verb and a case noun, by the member's word or by one of its crimes or areas (`起诉侵犯商标权专利权等案件`
        → cases_prosecuted__ip; `立案侦查交通市政等工程建设领域职务犯罪` → duty_crime_cases_filed__construction).

        None unless the phrase ends with a case noun (案件, 犯罪), its first verb that changes what is counted maps
        (alone or with the phrase's closing noun: 立案侦查 + 职务犯罪) to a base indicator with dimensions, and
        exactly one member is named after that verb: a qualifier that names no member (`财政补贴环节职务犯罪`)
        leaves the figure unmapped.
        """
        if not phrase or not phrase.endswith(_CASE_NOUNS):
            return None
        verb = self.first_heavy_verb(phrase)
        if verb is None:
            return None
        # the verb's indicator, alone or with the case noun that ends the phrase (立案侦查 … 职务犯罪)
        base = next(
            (
                ind
                for candidate in (verb, *(verb + phrase[-k:] for k in range(min(6, len(phrase)), 1, -1)))
                if (ind := self.by_code.get(self._match(candidate, kind, unit_family) or "")) is not None
                and ind.derivation is None
                and ind.dims
            ),
            None,
        )
        if base is None:
            return None
        rest = phrase[phrase.index(verb) + len(verb) :]
        named = {
            code
            for dim in base.dims
            for code, zh, _ in self.settings.dimensions[dim]
            for word in (zh, *self.settings.aliases.get((dim, code), ()))
            if word in rest
        }
        return self.variant(base.code, named.pop()) if len(named) == 1 else None

    def bare_verb_code(self, verb: str | None, org_kind: str | None, unit_family: str | None) -> str | None:
        """The indicator a verb standing alone (`立案369件`) counts for a body of this kind and a figure of this unit
        family (`catalog.json` `bare_verbs`: a discipline body's 立案 files discipline cases, a police body's
        criminal cases), or None: the verb alone says nothing more."""
        if not verb or not org_kind or not unit_family:
            return None
        return self.settings.bare_verbs.get(verb, {}).get(org_kind, {}).get(unit_family)

    def first_heavy_verb(self, phrase: str | None) -> str | None:
        """The first action verb of a phrase that changes what is counted (not a light one such as 组织), or None."""
        found = self._heavy_verb_re.search(phrase) if phrase else None
        return found.group() if found else None

    def members_named(self, phrase: str | None, dims: Iterable[str]) -> set[str]:
        """The dimension members a phrase names as `{T}案件` or opens with (`刑事案件旧存`, `受理民事案件`)."""
        if not phrase:
            return set()
        dims = tuple(dims)
        key = ("members", phrase, dims)
        known = self._memo.get(key, _UNKNOWN)
        if known is _UNKNOWN:
            for words in _ALL_CASES_WORDS:
                phrase = phrase.replace(words, "")
            known = frozenset(
                code
                for dim in dims
                for code, zh, cases in self._named_terms.get(dim, ())
                if cases in phrase or phrase.startswith(zh)
            )
            self._remember(key, known)
        return set(known)  # type: ignore[arg-type]


def _names_meetings(head: str, form: str) -> bool:
    """Whether a phrase is a list of meetings held (`召开动员部署会、查究整改部署会和工作调度会`): the verbs in the
    meetings' names (查究, 整改) do not change what is counted, the meetings."""
    return form.endswith(_MEETING_ENDS) and head.startswith(_MEETING_VERBS)


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def _strip_ends(s: str, lead: tuple[str, ...], trail: tuple[str, ...]) -> str:
    """`s` without the words of `lead` at its start and of `trail` at its end, repeatedly (longest word first;
    the words must be sorted longest first). Never strips a phrase down to nothing."""
    changed = True
    while changed and s:
        changed = False
        if lead and s.startswith(lead):
            w = _first_prefix(lead, s)
            if len(s) > len(w):
                s, changed = s[len(w) :], True
        if trail and s.endswith(trail):
            w = _first_suffix(trail, s)
            if len(s) > len(w):
                s, changed = s[: -len(w)], True
    return s


def _first_prefix(words: tuple[str, ...], s: str) -> str:
    for w in words:
        if s.startswith(w):
            return w
    return ""


def _first_suffix(words: tuple[str, ...], s: str) -> str:
    for w in words:
        if s.endswith(w):
            return w
    return ""


def _formulas(raw: dict[str, Any]) -> tuple[Formula, ...]:
    return tuple(Formula(tuple(f["numerator"]), tuple(f["denominator"])) for f in raw.get("formulas", ()))


def _base(raw: dict[str, Any], field_name: str, settings: Settings, normalise: Any) -> Indicator:
    unit = str(raw["unit"])
    return Indicator(
        code=str(raw["code"]),
        name_zh=str(raw["zh"]),
        name_en=str(raw["en"]),
        definition=str(raw["def"]),
        kind=str(raw["kind"]),
        unit_family=unit,
        unit_families=settings.unit_accepts.get(unit, (unit,)),
        org_kinds=tuple(raw.get("orgs", ())),
        forms=tuple(dict.fromkeys(normalise(f) for f in raw["forms"])),
        field=field_name,
        formulas=_formulas(raw),
        resolved=raw.get("resolved"),
        share=raw.get("share"),
        sum_of=tuple(raw.get("sum_of", ())),
        dims=tuple(raw.get("dims", ())),
    )


def _variants(raw: dict[str, Any], base: Indicator, settings: Settings, normalise: Any) -> list[Indicator]:
    """One indicator per member of each of the base's dimensions, named and written from the base's templates."""
    out = []
    extra: dict[str, list[str]] = raw.get("dim_extra", {})
    for dim in base.dims:
        for member, zh, en in settings.dimensions[dim]:
            words = (zh, *settings.aliases.get((dim, member), ()))
            templates = raw.get("dim_forms", ())
            if zh.endswith(_PEOPLE_MEMBER_ENDS):
                # a member that is itself a noun of people (村党支部书记村委会主任) takes no rank word after it
                templates = [re.sub(r"\{T\}(?:及以上)?(?:干部|高干|官员)", "{T}", t) for t in templates]
            forms = [t.replace("{T}", w) for t in templates for w in words] + extra.get(member, [])
            name = base.name_zh if base.name_zh.startswith(zh) else f"{zh}{base.name_zh}"
            if dim == "case_type" and base.name_zh.endswith("案件数") and not base.name_zh.startswith(zh):
                name = base.name_zh.replace("案件数", f"{zh}案件数")
            out.append(
                Indicator(
                    code=f"{base.code}__{member}",
                    name_zh=name,
                    name_en=f"{base.name_en} ({en})",
                    definition=f"{base.definition} Only {en} ones ({zh}).",
                    kind=base.kind,
                    unit_family=base.unit_family,
                    unit_families=base.unit_families,
                    org_kinds=base.org_kinds,
                    forms=tuple(dict.fromkeys(normalise(f) for f in forms)),
                    field=base.field,
                    formulas=tuple(
                        Formula(
                            tuple(f"{c}__{member}" for c in f.numerator),
                            tuple(f"{c}__{member}" for c in f.denominator),
                        )
                        for f in base.formulas
                    ),
                    sum_of=tuple(f"{c}__{member}" for c in base.sum_of),
                    base=base.code,
                    derivation=f"dim:{dim}={member}",
                )
            )
    return out


def _change(ind: Indicator) -> Indicator:
    """The change indicator of a count, amount or measure (percent) or of a rate (percentage points)."""
    if ind.kind == "percent":
        suffix, zh, en, how = CHANGE_PP, "同比变化百分点", "change in percentage points", "percentage points"
    else:
        suffix, zh, en, how = CHANGE_PCT, "同比变化", "percent change", "percent"
    return Indicator(
        code=f"{ind.code}__{suffix}",
        name_zh=f"{ind.name_zh}{zh}",
        name_en=f"{ind.name_en}: {en}",
        definition=f"Change of {ind.code} against the same period of the previous year (or the earlier period the "
        f"report compares with), in {how}.",
        kind="change_pct",
        unit_family="percent",
        unit_families=("percent", "ratio"),
        org_kinds=ind.org_kinds,
        forms=(),
        field=ind.field,
        base=ind.code,
        derivation=suffix,
    )


def _rank(ind: Indicator) -> Indicator:
    """The rank indicator of a hand-listed indicator: its place among peers (`结案率位居全市第一`)."""
    return Indicator(
        code=f"{ind.code}__{RANK}",
        name_zh=f"{ind.name_zh}排名",
        name_en=f"{ind.name_en}: rank",
        definition=f"Place of {ind.code} among the peers the report compares with (1 = first).",
        kind="rank",
        unit_family="rank",
        unit_families=("rank",),
        org_kinds=ind.org_kinds,
        forms=(),
        field=ind.field,
        base=ind.code,
        derivation=RANK,
    )


def _settings(raw: dict[str, Any]) -> Settings:
    return Settings(
        scope_prefixes=tuple(raw.get("scope_prefixes", ())),
        infix_fillers=tuple(raw.get("infix_fillers", ())),
        leading_fillers=tuple(raw.get("leading_fillers", ())),
        trailing_fillers=tuple(raw.get("trailing_fillers", ())),
        change_words=tuple(raw.get("change_words", ())),
        light_verbs=frozenset(raw.get("light_verbs", ())),
        generic_objects=_longest_first(raw.get("generic_objects", ())),
        drop_re=re.compile(
            "|".join(
                [
                    _QUOTES_RE.pattern,
                    _YEAR_RE.pattern,
                    "的",
                    *map(re.escape, _longest_first(raw.get("infix_fillers", ()))),
                ]
            )
        ),
        lead_words=_longest_first([*raw.get("scope_prefixes", ()), *raw.get("leading_fillers", ())]),
        trail_words=_longest_first(raw.get("trailing_fillers", ())),
        change_trail_words=_longest_first([*raw.get("change_words", ()), *raw.get("trailing_fillers", ())]),
        unit_accepts={k: tuple(v) for k, v in raw.get("unit_accepts", {}).items()},
        dimensions={
            dim: tuple((m["code"], m["zh"], m["en"]) for m in spec["members"])
            for dim, spec in raw.get("dimensions", {}).items()
        },
        aliases={
            (dim, m["code"]): tuple(m.get("aliases", ()))
            for dim, spec in raw.get("dimensions", {}).items()
            for m in spec["members"]
        },
        bare_verbs={verb: dict(kinds) for verb, kinds in raw.get("bare_verbs", {}).items() if not verb.startswith("_")},
    )


def parse_catalog(files: dict[str, bytes]) -> Catalog:
    """A Catalog from the bytes of its files (`catalog.json` and one file per field, by file name).

    Raises ValueError on an inconsistent catalog: a duplicate code, a reference to an unknown indicator, an
    unknown dimension, or a missing field of an indicator.
    """
    if "catalog.json" not in files:
        raise ValueError("indicator catalog: catalog.json is missing")
    raw_settings = json.loads(files["catalog.json"])
    settings = _settings(raw_settings)
    lexicon_verbs = tuple(load_lexicon().action)
    # Forms are normalised like subjects, except for the scope and filler stripping (a form is written bare).

    def normalise_form(form: str) -> str:
        s = settings.drop_re.sub("", simplify(form))
        return _strip_ends(s, (), settings.trail_words)  # 平均审理天数 is written as the phrase is read

    indicators: list[Indicator] = []
    for name in sorted(n for n in files if n != "catalog.json"):
        raw = json.loads(files[name])
        for entry in raw.get("indicators", ()):
            missing = [k for k in ("code", "zh", "en", "def", "kind", "unit", "forms") if k not in entry]
            if missing:
                raise ValueError(f"indicator catalog: {entry.get('code', '?')} in {name} lacks {missing}")
            unknown_dims = [d for d in entry.get("dims", ()) if d not in settings.dimensions]
            if unknown_dims:
                raise ValueError(f"indicator catalog: {entry['code']} uses unknown dimensions {unknown_dims}")
            base = _base(entry, name.removesuffix(".json"), settings, normalise_form)
            indicators.append(base)
            indicators.extend(_variants(entry, base, settings, normalise_form))
    indicators += [_change(ind) for ind in list(indicators)]
    indicators += [_rank(ind) for ind in list(indicators) if ind.derivation is None]
    by_code = {ind.code: ind for ind in indicators}
    if len(by_code) != len(indicators):
        seen: set[str] = set()
        dup = sorted({i.code for i in indicators if i.code in seen or seen.add(i.code)})  # type: ignore[func-returns-value]
        raise ValueError(f"indicator catalog: duplicate indicator codes {dup}")
    for ind in indicators:
        refs = [c for f in ind.formulas for c in (*f.numerator, *f.denominator)] + list(ind.sum_of)
        refs += [c for c in (ind.resolved, ind.share) if c]
        unknown = [c for c in refs if c not in by_code]
        if unknown:
            raise ValueError(f"indicator catalog: {ind.code} refers to unknown indicators {unknown}")
    for verb, kinds in settings.bare_verbs.items():
        unknown = [c for families in kinds.values() for c in families.values() if c not in by_code]
        if unknown:
            raise ValueError(f"indicator catalog: bare verb {verb} refers to unknown indicators {unknown}")
    by_form: dict[str, list[Indicator]] = {}
    for ind in indicators:
        for form in ind.forms:
            by_form.setdefault(form, []).append(ind)
    automaton = ahocorasick.Automaton()
    for form in by_form:
        automaton.add_word(form, form)
    automaton.make_automaton()
    verbs = _longest_first([*lexicon_verbs, *raw_settings.get("verbs", ())])
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return Catalog(
        indicators=tuple(indicators),
        settings=settings,
        version=digest.hexdigest()[:12],
        by_code=by_code,
        _by_form={k: tuple(v) for k, v in by_form.items()},
        _automaton=automaton,
        _verbs=verbs,
        _verb_re=re.compile("|".join(map(re.escape, verbs))),
        _heavy_verb_re=re.compile("|".join(re.escape(v) for v in verbs if v not in settings.light_verbs)),
        _longest_form=max((len(f) for f in by_form), default=0),
        _named_terms={
            dim: tuple((code, zh, f"{zh}案件") for code, zh, _ in members)
            for dim, members in settings.dimensions.items()
        },
        _members={
            (dim, word + suffix): code
            for dim, members in settings.dimensions.items()
            for code, zh, _ in members
            for word in (zh, *settings.aliases.get((dim, code), ()))
            for suffix in ("", *_MEMBER_SUFFIXES)
        },
    )


def catalog_files(folder: Path = CATALOG_DIR) -> dict[str, bytes]:
    """The bytes of every catalog file in a folder, by file name."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


@cache
def load_catalog(folder: Path = CATALOG_DIR) -> Catalog:
    """The catalog in the repository, read once per process."""
    return parse_catalog(catalog_files(folder))
