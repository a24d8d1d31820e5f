"""The attribution lexicons as regular expressions and the records attribution reads from a text: scope words
(`全省`) and organisations as written (`区法院`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from transforms.lexicon import alternation as alt
from transforms.lexicon import lexicon
from transforms.metadata import CITY, COUNTY, PROVINCE

LEVEL_OF_RANK = {PROVINCE: "province", CITY: "city", COUNTY: "county"}
LIST_GAPS = frozenset({"", "、", "和", "及", "与", "，", ","})
CONJUNCTIONS = "和及与、"
PHRASE_ENDS = "，,：:"  # punctuation after which a phrase opens
NAME_OPENERS = ("“", "《", '"', "「")
DESCRIPTOR_CHARS = 16
PLACE_DESCRIPTOR_CHARS = 2  # words between a place and any suffix that belong to the body's name (`司法`)
HEAD_GAP = 1  # characters between a figure and the body right after it whose members it counts (`458名政法干警`)


@dataclass(frozen=True, slots=True)
class Patterns:
    """Regular expressions built once from the lexicons."""

    scope: re.Pattern[str]
    scope_kinds: dict[str, str]
    comparison: tuple[re.Pattern[str], ...]
    org: re.Pattern[str]
    org_entries: dict[str, dict[str, Any]]
    meeting: re.Pattern[str]
    self_ref: re.Pattern[str]
    anaphor: re.Pattern[str]
    joiners: tuple[str, ...]
    frame: re.Pattern[str]
    subject_lead: re.Pattern[str]
    self_words: frozenset[str]
    announce: re.Pattern[str]


@cache
def patterns() -> Patterns:
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
    anaphor = re.compile(alt(list(orgs["anaphors"])))
    frame = re.compile(
        rf"""(?:{alt(orgs["frame_openers"])})              # 在, 受
             [^。；;！？!?\n]{{1,30}}?                        # ... the bodies that lead or oversee ...
             (?:{alt(orgs["frame_words"])})[^，。；,;\n]{{0,6}}?下  # ... 领导, 指导, 监督 ... 下""",
        re.VERBOSE,
    )
    subject_lead = re.compile(  # 2015年， 近年来， （某某社某地电） 我代表
        rf"[\s，,、]*(?:(?:\d{{4}}年度?(?:以来)?|[（(【][^）)】]{{1,24}}[）)】]|{alt(orgs['subject_openers'])})[，,、\s]*)*"
    )
    return Patterns(
        scope,
        scope_kinds,
        comparison,
        org,
        org_entries,
        meeting,
        self_ref,
        anaphor,
        tuple(orgs["joiners"]),
        frame,
        subject_lead,
        frozenset(orgs["self_references"]),
        re.compile(alt(orgs["announce_verbs"])),
    )


def is_word_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch.isdigit()


class Scope(NamedTuple):
    """A scope word at [start, end) as written (`word`), and its `kind`: `fixed` (a region's own word, `全港`),
    `national` (`全国`), `multi` (levels of the document's division, `省市两级`) or `level` (a prefix and a level
    character, `全省`, `我市`)."""

    start: int
    end: int
    word: str
    kind: str


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation as written, and its normalized name when its own prefix settles it (`written` alone when
    the name was bare and the metric's region may complete it)."""

    written: str
    name: str | None
    suffix: str
    code: str | None = None
    kind: str | None = None


PHRASE_BREAK_RE = re.compile("[，,；;。！？!?\n]")  # ends the phrase a location dates
