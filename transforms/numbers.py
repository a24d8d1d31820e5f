"""Parsing of numerals as written in Chinese reports into exact decimals.

A numeral is either Arabic (``1379``, ``69.11``, ``1,234``, ``4 598``, full-width ``１２``) or Chinese
(``十八``, ``两千三百``, ``三万五千``, ``二〇二一``).  Values are :class:`decimal.Decimal` so that ``24.2万``
scales to exactly ``242000``.

Chinese numerals are parsed by hand rather than with ``cn2an``: cn2an is slow on a hot path, raises on
the partial strings a scanner produces, and gives no character offsets.  The grammar needed here is small.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

#: Full-width digits and punctuation that occur inside numbers, mapped one-to-one (length preserving).
FULLWIDTH = str.maketrans("０１２３４５６７８９％．（）", "0123456789%.()")

#: Chinese digit characters and their values (traditional forms are converted before parsing).
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip

#: Chinese small multipliers within a section of four digits.
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

#: Large multipliers; they close a section.
CN_LARGE_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

#: The decimal point of a Chinese numeral: 九十五点二 → 95.2 (traditional 點 is converted before parsing).
CN_POINT = "点"

#: Multipliers after which a lone last digit counts the next lower place (三万五 = 35000, 1万2 = 12000).
_TAIL_MULTIPLIERS: dict[str, int] = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_ZEROS = frozenset("零〇○Ｏ")

#: Every character that can occur in a Chinese numeral.
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_LARGE_UNITS) + CN_POINT

#: A full-width comma before three full-width digits; when a full-width digit also precedes it, it groups
#: thousands (１，２３４) and cannot be a clause break, so it is folded to ``,``; elsewhere ``，`` stays a
#: clause break.
FULLWIDTH_GROUP_RE = re.compile(r"，(?=[０-９]{3}(?![０-９]))")  # starts with a literal: fast to scan for

_ARABIC_SEPARATORS = str.maketrans("", "", ", \u00a0\u2009\u202f")
#: A well-formed Arabic numeral: plain, or grouped in thousands by commas or (thin) spaces.
_ARABIC_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:(?:,|[ \u00a0\u2009\u202f])[0-9]{3})+(?:\.[0-9]+)?")


def parse_arabic(s: str) -> Decimal | None:
    """Parse an Arabic numeral such as ``1,234``, ``4 598``, ``69.11`` or full-width ``１２``.

    Returns None when the string is not a number.
    """
    t = s.translate(FULLWIDTH)
    if not _ARABIC_RE.fullmatch(t):
        return None
    t = t.translate(_ARABIC_SEPARATORS)
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - guarded by the checks above
        return None


def parse_chinese(s: str) -> Decimal | None:
    """Parse a Chinese numeral: ``十八`` → 18, ``一百零五`` → 105, ``三万五千`` → 35000, ``二〇二一`` → 2021.

    A run of bare digits without multipliers is read positionally (``二〇二一``); digits after ``点`` are
    decimals (``九十五点二`` → 95.2).  Returns None when the string holds a character that is not part of
    a Chinese numeral or is empty.
    """
    if not s or any(c not in CN_NUMERAL_CHARS for c in s):
        return None
    if CN_POINT in s:
        whole, _, frac = s.partition(CN_POINT)
        if not frac or any(c not in CN_DIGITS for c in frac):
            return None
        base = parse_chinese(whole) if whole else Decimal(0)
        if base is None:
            return None
        return base + Decimal("0." + "".join(str(CN_DIGITS[c]) for c in frac))
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        return Decimal("".join(str(CN_DIGITS[c]) for c in s))
    if len(s) >= 3 and s[-2] in _TAIL_MULTIPLIERS and s[-1] in CN_DIGITS and s[-1] not in _CN_ZEROS:
        # an abbreviated tail: 三万五 → 35000, 两千六 → 2600, 一百五 → 150 (the digit counts the next lower place)
        head = parse_chinese(s[:-1])
        if head is None:
            return None
        return head + CN_DIGITS[s[-1]] * _TAIL_MULTIPLIERS[s[-2]] // 10
    total = 0  # everything already multiplied by 亿
    wan = 0  # the section multiplied by 万
    section = 0  # the current section below 万
    digit = 0
    seen_digit = False
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
            seen_digit = True
        elif c in CN_SMALL_UNITS:
            # 十八: a leading 十 means 一十, and so does 十 after 零 (一万零十二 → 10012)
            section += (digit if seen_digit and digit else 1) * CN_SMALL_UNITS[c]
            digit, seen_digit = 0, False
        elif c == "万":
            wan = (section + digit if (section or seen_digit) else 1) * 10_000
            section, digit, seen_digit = 0, 0, False
        else:  # 亿
            base = total + wan + section + digit
            total = (base if base else 1) * 100_000_000
            wan, section, digit, seen_digit = 0, 0, 0, False
    return Decimal(total + wan + section + digit)


#: One token of a numeral that mixes Arabic digits with Chinese multipliers (1万2千, 3亿5千万).
_MIXED_TOKEN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|[十百千万亿]")
_MULTIPLIERS = frozenset("十百千万亿")


def parse_mixed(s: str) -> Decimal | None:
    """Parse Arabic digits grouped by Chinese multipliers: ``1万2千`` → 12000, ``3亿5千万`` → 350000000.

    The grammar is that of :func:`parse_chinese` with Arabic runs in place of Chinese digits.  Returns None
    when ``s`` holds anything else.
    """
    s = s.translate(_ARABIC_SEPARATORS)  # 1,234万5千
    tokens = _MIXED_TOKEN_RE.findall(s)
    if not tokens or "".join(tokens) != s:
        return None
    if len(tokens) >= 3 and tokens[-2] in _TAIL_MULTIPLIERS and len(tokens[-1]) == 1 and tokens[-1].isdigit():
        # an abbreviated tail: 1万2 → 12000, 3亿5 → 350000000 (but 12万3456 is 123456)
        head = parse_mixed("".join(tokens[:-1]))
        if head is None:  # pragma: no cover - the head is made of valid tokens
            return None
        return head + int(tokens[-1]) * _TAIL_MULTIPLIERS[tokens[-2]] // 10
    total = wan = section = digit = Decimal(0)
    seen_digit = False
    for t in tokens:
        if t[0].isdigit():
            digit, seen_digit = Decimal(t), True
        elif t in CN_SMALL_UNITS:
            section += (digit if seen_digit else 1) * CN_SMALL_UNITS[t]
            digit, seen_digit = Decimal(0), False
        elif t == "万":
            wan = (section + digit if (section or seen_digit) else 1) * 10_000
            section, digit, seen_digit = Decimal(0), Decimal(0), False
        else:  # 亿
            base = total + wan + section + digit
            total = (base if base else 1) * 100_000_000
            wan, section, digit, seen_digit = Decimal(0), Decimal(0), Decimal(0), False
    return total + wan + section + digit


_RANGE_DIGITS = {c: v for c, v in CN_DIGITS.items() if v}  # 一 … 九 and 两: digits of an estimate


def parse_chinese_range(s: str) -> tuple[Decimal, Decimal] | None:
    """Read adjacent digits as an estimate: ``两三`` → (2, 3), ``七八`` → (7, 8), ``十七八`` → (17, 18),
    ``三四十`` → (30, 40), ``两三百`` → (200, 300), ``三五`` → (3, 5).

    Two non-zero digits that touch, the second one or two above the first, are the two bounds of a rough
    number (GOLD_SPEC: estimates written as adjacent numerals are a range); the rest of the numeral applies to
    both.  A longer run of bare digits is positional (``二〇二一``) and not a range.  Returns ``(low, high)``
    or None when ``s`` is not such an estimate.
    """
    if len(s) < 2 or (len(s) > 2 and all(c in CN_DIGITS for c in s)):
        return None
    pairs = [
        i
        for i in range(len(s) - 1)
        if s[i] in _RANGE_DIGITS
        and s[i + 1] in _RANGE_DIGITS
        and 1 <= _RANGE_DIGITS[s[i + 1]] - _RANGE_DIGITS[s[i]] <= 2
    ]
    if len(pairs) != 1:
        return None
    i = pairs[0]
    low = parse_chinese(s[: i + 1] + s[i + 2 :])
    high = parse_chinese(s[:i] + s[i + 1 :])
    if low is None or high is None or low >= high:
        return None
    return low, high


#: Financial (anti-fraud) numerals used on cheques and in budgets, mapped to the common ones; 圆 is 元.
_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟圆", "一二三四五六七八九十百千元")
#: A run of financial numerals: it must hold a financial digit and a multiplier (伍 alone is in 队伍).
_FINANCIAL_RUN_RE = re.compile(
    r"""[零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿]*
        (?:[壹贰叁肆伍陆柒捌玖][零〇壹贰叁肆伍陆柒捌玖]*[拾佰仟万亿]|[拾佰仟][零〇]*[壹贰叁肆伍陆柒捌玖])
        [零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿]*圆?""",
    re.VERBOSE,
)
_FINANCIAL_HINT_RE = re.compile(r"[壹贰叁肆伍陆柒捌玖]")
_FINANCIAL_RUN_CHARS = frozenset("零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿")


def fold_financial(text: str) -> str:
    """``壹拾贰万伍仟圆`` → ``一十二万五千元`` (same length), leaving words such as 队伍 or 收拾 alone.

    Only runs that hold both a financial digit and a multiplier are folded.  The text must be in simplified
    characters (``貳`` → ``贰`` first).
    """
    if not _FINANCIAL_HINT_RE.search(text):
        return text
    # Every run holds a financial digit: the runs are found from those digits (rare but for 伍 in 队伍) and only
    # they are matched, since the run pattern, which opens with an optional part, would be tried at every offset.
    parts: list[str] = []
    done = 0
    for hint in _FINANCIAL_HINT_RE.finditer(text):
        if hint.start() < done:
            continue  # inside the run just folded
        a, b = hint.start(), hint.end()
        while a > done and text[a - 1] in _FINANCIAL_RUN_CHARS:
            a -= 1
        while b < len(text) and text[b] in _FINANCIAL_RUN_CHARS:
            b += 1
        if text.startswith("圆", b):
            b += 1
        parts += (text[done:a], _FINANCIAL_RUN_RE.sub(lambda m: m.group().translate(_FINANCIAL), text[a:b]))
        done = b
    parts.append(text[done:])
    return "".join(parts)


_CACHED_CHARS = 24  # numerals up to this length are parsed once per process (a report repeats 1, 12, 100 …)


def parse_number(s: str) -> Decimal | None:
    """Parse an Arabic, Chinese or mixed numeral (see :func:`parse_arabic`, :func:`parse_chinese`,
    :func:`parse_mixed`)."""
    if not s:
        return None
    if len(s) <= _CACHED_CHARS:
        return _parse_short(s)  # a Decimal is immutable: one parsed value may be shared
    return _parse_number(s)


@lru_cache(maxsize=8192)
def _parse_short(s: str) -> Decimal | None:
    return _parse_number(s)


def _parse_number(s: str) -> Decimal | None:
    if s[0] in CN_NUMERAL_CHARS:
        return parse_chinese(s)
    if not _MULTIPLIERS.isdisjoint(s):
        return parse_mixed(s)
    return parse_arabic(s)


def scale_factor(scale: str) -> Decimal:
    """Multiplier for a scale word written after a number: ``万`` → 10000, ``亿`` → 1e8, ``万亿`` → 1e12."""
    factor = Decimal(1)
    for c in scale:
        if c == "万":
            factor *= 10_000
        elif c == "亿":
            factor *= 100_000_000
        elif c == "千":
            factor *= 1000
        elif c == "百":
            factor *= 100
        elif c == "十":
            factor *= 10
    return factor


def normalize(value: Decimal) -> Decimal:
    """Canonical form: integral values lose their exponent (``2.42E+5`` → ``242000``, ``1.0`` → ``1``)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
