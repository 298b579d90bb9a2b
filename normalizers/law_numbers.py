"""Law numbers as printed: 平成25年法律第27号, 昭和37年9月8日法律第152号 (with the promulgation day),
平成27年特定個人情報保護委員会規則第5号 (with the issuing body)."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from normalizers.eras import ERAS, EraDate, era_date
from normalizers.numbers import to_int
from normalizers.text import compact, normalize_text

NUMBER = r"(?>[0-9０-９]+|[〇一二三四五六七八九十百千]+)"  # atomic: 第117 is never 第11 + 7
_N = NUMBER
_ERA = "|".join(e.name for e in ERAS)
LAW_NUMBER = regex.compile(
    rf"""(?P<era>{_ERA})\s*(?P<year>元|{_N})\s*年\s*(?:(?P<month>{_N})\s*月\s*(?P<day>{_N})\s*日)?\s*
    (?P<issuer>[^\s第、。（）()「」]{{0,30}}?)\s*(?P<kind>法律|政令|府令|省令|規則|条例|告示|命令|訓令)
    \s*第\s*(?P<no>{_N})\s*号""",
    regex.VERBOSE,
)


@dataclass(frozen=True)
class LawNumber:
    text: str  # normalised, e.g. 平成25年法律第27号 (promulgation day left out)
    era: str
    era_year: int
    year: int
    issuer: str  # e.g. 特定個人情報保護委員会 for 平成27年特定個人情報保護委員会規則第5号
    kind: str  # 法律 | 政令 | 府令 | 省令 | 規則 | 条例 | 告示 | 命令 | 訓令
    number: int
    promulgated: EraDate | None  # when the day is printed: 昭和37年9月8日法律第152号


def parse_law_number(s: str) -> LawNumber | None:
    """``平成25年法律第27号`` → LawNumber (era, year, kind, number, promulgation day if printed)."""
    m = LAW_NUMBER.search(s)
    return read_law_number(m) if m else None


def read_law_number(m: regex.Match) -> LawNumber:
    """From a match of LAW_NUMBER, or of a pattern that embeds it (its groups keep their names)."""
    g = {k: m.group(k) for k in ("era", "year", "month", "day", "issuer", "kind", "no")}
    era = next(e for e in ERAS if e.name == g["era"])
    era_year = 1 if g["year"] == "元" else to_int(g["year"])
    promulgated = None
    if g["day"]:
        raw = normalize_text(f"{g['era']}{g['year']}年{g['month']}月{g['day']}日")
        promulgated = era_date(raw, era, era_year, to_int(g["month"]), to_int(g["day"]))
    issuer = compact(g["issuer"])
    number = to_int(g["no"])
    year_text = "元" if era_year == 1 else str(era_year)
    return LawNumber(f"{era.name}{year_text}年{issuer}{g['kind']}第{number}号", era.name, era_year,
                     era.first.year + era_year - 1, issuer, g["kind"], number, promulgated)
