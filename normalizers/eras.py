"""Japanese era dates (和暦) → Gregorian.

Impossible dates are kept and flagged, never silently fixed: an era year past the era's end
(平成32年 → 2020) or a day before its start (令和元年4月1日) converts with ``valid = False``;
a day that does not exist (2月30日) gives no date and a warning.

Precision: ``day`` (iso ``YYYY-MM-DD``), ``month`` (``YYYY-MM``), ``year`` (``YYYY``) and
``fiscal_year`` for ``…年度``: iso ``YYYY`` is the calendar year in which the Japanese fiscal
year (April–March) starts, so 令和4年度 → ``2022`` = 2022-04-01…2023-03-31. Only day precision
carries a ``date``.

明治 dates before 1873 are read as Gregorian (the lunar calendar they were printed in is not
modelled); 明治 starts 1868-01-25 here, the Gregorian date of 明治元年1月1日.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import regex

from normalizers.numbers import to_int


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    first: dt.date
    last: dt.date | None  # None: the current era


ERAS = (
    Era("明治", "M", dt.date(1868, 1, 25), dt.date(1912, 7, 29)),
    Era("大正", "T", dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    Era("昭和", "S", dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    Era("平成", "H", dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    Era("令和", "R", dt.date(2019, 5, 1), None),
)
_BY_KEY = {k: e for e in ERAS for k in (e.name, e.letter, e.name[0])}


@dataclass
class EraDate:
    raw: str
    iso: str | None
    date: dt.date | None
    era: str
    era_year: int
    valid: bool
    precision: str  # day | month | year | fiscal_year
    warnings: list[str] = field(default_factory=list)


@dataclass
class EraDateMatch(EraDate):
    start: int = field(default=0, kw_only=True)  # offsets of ``raw`` in the searched text
    end: int = field(default=0, kw_only=True)


@dataclass
class DateRange:
    start: EraDate
    end: EraDate
    stated_days: int | None  # ``…までのN日間``, counted inclusively
    days_agree: bool | None  # None when no count is stated or a side is not a full date
    start_offset: int = 0
    end_offset: int = 0


_KNUM = "[〇一二三四五六七八九十]"
_ERA_NAME = r"明\s?治|大\s?正|昭\s?和|平\s?成|令\s?和"
_LETTER = r"(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[MTSHRＭＴＳＨＲ]"
_ERA_DATE = regex.compile(
    rf"""(?:
      (?:(?P<era>{_ERA_NAME})\s*|(?P<era>{_LETTER}))(?P<year>元|\d{{1,3}}|{_KNUM}{{1,4}})\s*年
      (?:\s*(?P<fy>度)|\s*(?P<month>\d{{1,2}}|{_KNUM}{{1,3}})\s*月(?:\s*(?P<day>\d{{1,2}}|{_KNUM}{{1,3}})\s*日)?)?
    |
      (?:(?P<era>{_ERA_NAME})\s*|(?P<era>{_LETTER}|(?<![\p{{Han}}A-Za-z0-9])[明大昭平令]))
      (?P<year>元|\d{{1,2}})\s*[.．/／]\s*(?P<month>\d{{1,2}})(?:\s*[.．/／]\s*(?P<day>\d{{1,2}}))?
      (?![.．/／]?\d)
    )""",
    regex.VERBOSE,
)


def _era_key(s: str) -> Era:
    return _BY_KEY[regex.sub(r"\s", "", s).translate(str.maketrans("ＭＴＳＨＲ", "MTSHR"))]


def _number(s: str) -> int:
    return 1 if s == "元" else to_int(s)


def era_date(raw: str, era: Era, era_year: int, month: int | None = None, day: int | None = None,
             fiscal: bool = False) -> EraDate:
    """Convert the parts of an era date; ``raw`` is kept as given."""
    year = era.first.year + era_year - 1
    warnings = []
    end_year = era.last.year if era.last else None
    year_ok = era_year >= 1 and (end_year is None or year <= end_year)
    if not year_ok:
        warnings.append(f"{era.name}{era_year}年 is outside the era ({era.first}…{era.last or ''})")
    if month is None:
        iso, d, precision = f"{year:04d}", None, "fiscal_year" if fiscal else "year"
        return EraDate(raw, iso, d, era.name, era_year, year_ok, precision, warnings)
    if not 1 <= month <= 12:
        warnings.append(f"no month {month}")
        return EraDate(raw, None, None, era.name, era_year, False, "day" if day else "month", warnings)
    if day is None:
        first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        ok = year_ok and last >= era.first and (era.last is None or first <= era.last)
        if year_ok and not ok:
            warnings.append(f"{year}-{month:02d} is outside {era.name}")
        return EraDate(raw, f"{year:04d}-{month:02d}", None, era.name, era_year, ok, "month", warnings)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        warnings.append(f"no day {month}月{day}日 in {year}")
        return EraDate(raw, None, None, era.name, era_year, False, "day", warnings)
    d = dt.date(year, month, day)
    ok = year_ok and d >= era.first and (era.last is None or d <= era.last)
    if year_ok and not ok:
        warnings.append(f"{d} is outside {era.name} ({era.first}…{era.last or ''})")
    return EraDate(raw, d.isoformat(), d, era.name, era_year, ok, "day", warnings)


def _from_match(m: regex.Match) -> EraDate:
    month, day = m.group("month"), m.group("day")
    return era_date(m.group(), _era_key(m.group("era")), _number(m.group("year")),
                    to_int(month) if month else None, to_int(day) if day else None,
                    fiscal=bool(m.group("fy")))


def parse_era_date(s: str) -> EraDate | None:
    """The era date that is the whole of ``s`` (white space aside), or None."""
    m = _ERA_DATE.fullmatch(s.strip())
    return _from_match(m) if m else None


def find_era_dates(text: str) -> list[EraDateMatch]:
    """Every era date in ``text``, with its offsets. White space (line breaks included) may
    separate the parts: ``平成 30 年 5 月``, ``平成31年4月\\n17日``."""
    out = []
    for m in _ERA_DATE.finditer(text):
        d = _from_match(m)
        out.append(EraDateMatch(**vars(d), start=m.start(), end=m.end()))
    return out


_RANGE_SEP = regex.compile(r"\s*(?:から|[~〜～\-－―‐−ー])\s*")
_SAME_ERA_END = regex.compile(
    rf"(?:同年\s*)?(?P<month>\d{{1,2}}|{_KNUM}{{1,3}})\s*月\s*(?P<day>\d{{1,2}}|{_KNUM}{{1,3}})\s*日")
_DAYS = regex.compile(r"\s*(?:まで)?\s*(?:の)?\s*(?P<n>\d+)\s*日間")


def find_date_ranges(text: str) -> list[DateRange]:
    """``AからBまでのN日間`` and ``A～B`` ranges. B may leave out the era and year
    (``令和5年4月1日～6月30日``). A stated day count is compared with the inclusive count."""
    dates = find_era_dates(text)
    by_start = {d.start: d for d in dates}
    out = []
    for a in dates:
        sep = _RANGE_SEP.match(text, a.end)
        if not sep:
            continue
        b = by_start.get(sep.end())
        if b is None and a.precision == "day":
            m = _SAME_ERA_END.match(text, sep.end())
            if m:
                era = _BY_KEY[a.era]
                b = EraDateMatch(**vars(era_date(m.group(), era, a.era_year, to_int(m.group("month")),
                                                 to_int(m.group("day")))), start=m.start(), end=m.end())
        if b is None:
            continue
        days = _DAYS.match(text, b.end)
        stated = int(days.group("n")) if days else None
        agree = None
        if stated is not None and a.date and b.date:
            agree = (b.date - a.date).days + 1 == stated
        out.append(DateRange(a, b, stated, agree, a.start, days.end() if days else b.end))
    return out
