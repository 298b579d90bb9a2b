"""Legal citations in report text: laws, orders, ordinances, rules, guidelines and notices.

A citation is the title of an instrument (法律, 政令, 府令, 省令, 命令, 施行令, 施行規則, 規則, 条例, 規程,
指針, 要綱, 告示, 通知), its law number in parentheses, article references (``第19条第8号``,
``第144条の33 第1項及び第2項``) or an appendix (``別表第二 項番58``). Japanese legal writing leaves
the law out when it is the one named last (``1．番号法 ・第9条第1項``, ``同法第28条``): such references
take the law last named in the same text. A title runs into a following noun (``番号法上``) is a
word of its own, not a citation.

Titles are found by their ending and read back by their words (``normalizers.phrases``); whether it
is a title at all by its last word (``is_title``). Short names resolve through the document's own
definitions first, then through ``law_aliases.json`` (each entry with its source).
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex

from normalizers.eras import EraDate
from normalizers.law_numbers import LAW_NUMBER, NUMBER, LawNumber, read_law_number
from normalizers.numbers import to_int
from normalizers.phrases import last_word, short_words, title_start
from normalizers.text import compact, normalize_text

_TABLE = json.loads((Path(__file__).with_name("law_aliases.json")).read_text(encoding="utf-8"))
_DATA = _TABLE["aliases"]
INSTRUMENT_WORDS = frozenset(_TABLE["instrument_words"])
GENERIC = frozenset(_TABLE["generic"])
KNOWN_ALIASES: dict[str, str] = {k: v["full"] for k, v in _DATA.items()}
KNOWN_NUMBERS: dict[str, str] = {v["full"]: v["law_number"] for v in _DATA.values()}

_N = NUMBER
_SUB = rf"{_N}(?:\s*の\s*{_N})*"  # 30の9, 3の3
_ART = rf"(?:附則\s*)?第\s*{_N}\s*条(?:\s*の\s*{_N})*|同\s*条"
_PARA = rf"第?\s*{_N}\s*項"
_ITEM = rf"第?\s*{_N}\s*号"
_ONE = rf"(?:{_ART})(?:\s*{_PARA})?(?:\s*{_ITEM})?"
_JOIN = r"\s*(?:[、,，]|及び|並びに|および|ならびに|又は|または|若しくは|から|[~〜～])\s*"
_ARTLIST = rf"{_ONE}(?:{_JOIN}(?:{_ONE}|{_PARA}(?:\s*{_ITEM})?|{_ITEM}))*"
_LISTSEP = r"\s*[、,，]\s*"
_ITEMNO = rf"{_SUB}(?![0-9０-９．.）)条号])"
_APPX = rf"""別表\s*(?:第\s*(?P<table>{_N})(?!\s*の?\s*項(?!番)))?
    (?P<items>\s*(?:(?:の\s*)?項番\s*{_ITEMNO}(?:{_LISTSEP}{_ITEMNO})*
        |(?:の\s*第|の|第)\s*{_SUB}\s*の?\s*項(?!番)
        |の\s*{_ITEMNO}(?:{_LISTSEP}{_ITEMNO})*(?!\s*の?\s*項(?!番))
        |\s{_ITEMNO}(?:{_LISTSEP}{_ITEMNO})*))?"""
_NUMBER_BEFORE = regex.compile(rf"{LAW_NUMBER.pattern}\s*の\s*[「『]$", regex.VERBOSE)
_TAIL = regex.compile(
    rf"""[」』]?\s*
    (?:[（(]\s*(?P<number>{LAW_NUMBER.pattern})(?P<after>[^（）()]*)[）)]\s*[」』]?\s*)?
    (?:(?P<bare_no>第\s*{_N}\s*号)(?=\s*第\s*{_N}\s*条))?\s*
    (?P<arts>{_ARTLIST})?
    \s*(?P<appx>{_APPX})?""",
    regex.VERBOSE,
)
_BARE = regex.compile(rf"(?:{_ART})|別表")
_ARTICLES = regex.compile(rf"(?:{_ART})(?:\s*{_PARA})?(?:\s*{_ITEM})?")
_APPENDIX = regex.compile(_APPX, regex.VERBOSE)
_LAW_SUFFIX = "法律|法|令|規則|条例|規程|細則|指針|ガイドライン|要綱|告示|通知|について"
_LAW_END = regex.compile(_LAW_SUFFIX)
_ENDS_AS_LAW = regex.compile(rf"(?:{_LAW_SUFFIX})$")
_NAME_GOES_ON = regex.compile(rf"の[^\s、。，,（）()「」]*?(?:{_LAW_SUFFIX})")  # 番号法別表第一|の…命令
_BREAK = set("\t\n\r 　、。，,．.「」『』（）()[]［］【】<>＜＞〈〉・:：;；◆◇●○■□※＊*\"'") | {chr(c) for c in range(0x2460, 0x2474)}
_CONTINUES = {"施行", "別表", "第", "等", "上"}
_CONJUNCTION = regex.compile("及び|並びに|又は|若しくは|および|ならびに|または")
_TWO_TITLES = regex.compile(rf"(?<=(?:{_LAW_SUFFIX})){_CONJUNCTION.pattern}")
_QUOTE_OPEN = regex.compile(r"[「『](?=[^「」『』。]*$)")
_CLOSES = regex.compile(r"\s*(?:[（(][^（）()「」]*[）)])?\s*[」』]")
_DEFINED = regex.compile(r"[」』]\s*と\s*(?:い|総|称|略|表|す)")  # 「番号法」という: the definition, not a mention
_NOUN_CHAR = regex.compile(r"[\p{Han}\p{Katakana}ー\p{Latin}\p{N}]")
# the instrument a title names, by how it ends (first match wins); 法 is a 法律
_KINDS = ("施行規則", "施行細則", "施行令", "法律", "政令", "府令", "省令", "命令", "規則", "細則",
          "条例", "規程", "指針", "ガイドライン", "要綱", "告示", "通知", "について", "令", "法")
_KIND_OF = {"法": "法律", "について": "通知", "令": "政令", "ガイドライン": "指針"}
_SAME_LAW = {"同法", "同令", "同規則", "同条例", "同省令", "同政令", "同施行令", "同施行規則"}
@dataclass(frozen=True)
class ArticleRef:
    article: str  # "19", "30-9" for 第30条の9, "附則35-5"
    paragraph: int | None  # 項
    item: int | None  # 号


@dataclass
class Citation:
    raw: str
    law_name: str | None  # full name, aliases resolved; None when no law is named before it
    law_number: str | None
    article: str | None  # as printed, normalised: 第144条の33第1項及び第2項
    appendix: str | None  # 別表第二 (table number in kanji), 別表
    items: str | None  # as printed, normalised: 項番1、2、3
    start: int
    end: int
    printed_name: str | None = None  # the law name as printed
    number: LawNumber | None = None
    articles: list[ArticleRef] = field(default_factory=list)
    item_numbers: list[int | str] = field(default_factory=list)  # 58, or "73-2" for 73の2
    name_source: str | None = None  # where law_name came from: document | law_aliases.json (None: as printed)

    @property
    def instrument(self) -> str | None:
        return instrument(self.law_name or self.printed_name, self.number)

    @property
    def promulgated(self) -> EraDate | None:
        return self.number.promulgated if self.number and self.law_number else None


def _sub_number(s: str) -> str:
    """``30の9`` → ``"30-9"``."""
    return "-".join(str(to_int(p)) for p in regex.split(r"\s*の\s*", s.strip()))


def parse_articles(s: str, previous: str | None = None) -> list[ArticleRef]:
    """``第144条の33 第1項及び第2項`` → [(144-33, 1, None), (144-33, 2, None)].
    ``同条`` is the article ``previous``."""
    out: list[ArticleRef] = []
    article = previous
    for m in regex.finditer(rf"(?P<art>{_ART})|(?P<para>{_PARA})|(?P<item>{_ITEM})", s):
        if m.group("art"):
            t = regex.sub(r"\s", "", m.group("art"))
            if t != "同条":
                sub = regex.match(rf"(附則)?第({_N})条((?:の{_N})*)", t)
                article = (sub.group(1) or "") + _sub_number(sub.group(2) + sub.group(3))
            out.append(ArticleRef(article, None, None))
            continue
        value = to_int(regex.sub(r"[第項号\s]", "", m.group()))
        last = out[-1] if out else ArticleRef(article, None, None)
        if m.group("para"):  # fills the article's paragraph, or a further one: 第1項及び第2項
            if out and last.paragraph is None and last.item is None:
                out[-1] = replace(last, paragraph=value)
            else:
                out.append(ArticleRef(last.article, value, None))
        elif out and last.item is None:
            out[-1] = replace(last, item=value)
        else:
            out.append(ArticleRef(last.article, last.paragraph, value))
    return out


def _appendix(m: regex.Match) -> tuple[str, str | None, list[int | str]]:
    table = m.group("table")
    name = "別表" + (f"第{_kanji(to_int(table))}" if table else "")
    items = m.group("items")
    if not items or not items.strip():
        return name, None, []
    numbers = [n if "-" in n else int(n) for n in
               (_sub_number(x) for x in regex.findall(rf"{_SUB}", regex.sub(r"^\s*(?:の\s*)?(?:項番|の|第)", "", items)))]
    return name, regex.sub(r"^の", "", compact(items)), numbers


def _kanji(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def resolve_law_name(name: str, aliases: dict[str, str]) -> str:
    """Full name of a law cited by ``name``: the document's aliases, then the general table;
    ``番号利用法別表第一の…命令`` resolves its leading alias too, 別表第1 reads 別表第一, and a
    clause glued before a known law (``要保護者等に係る障害者の…法律``) is dropped."""
    table = {**KNOWN_ALIASES, **aliases}
    name = regex.sub(r"別表第(\d+)", lambda m: "別表第" + _kanji(int(m.group(1))), compact(name))
    seen = set()
    while name in table and name not in seen:
        seen.add(name)
        name = compact(table[name])
    for key in sorted(table, key=len, reverse=True):
        rest = name[len(key):]
        if name.startswith(key) and regex.match(r"施行令|施行規則|施行細則|別表|第|の", rest):
            return resolve_law_name(key, aliases) + rest
    for full in sorted(set(table.values()), key=len, reverse=True):
        if name.endswith(full) and len(name) > len(full) and regex.match(r"\p{Hiragana}", name[-len(full) - 1]):
            return full
    return name


def break_start(text: str, end: int, floor: int) -> int:
    """Back from ``end`` to a break character (punctuation, space, bracket) or ``floor``."""
    i = end
    while i > floor and text[i - 1] not in _BREAK:
        i -= 1
    return i


def name_start(text: str, end: int, floor: int) -> int:
    """Start of the title ending at ``end``: never before a break character or ``floor``; inside
    that, where its words say (``normalizers.phrases.title_start``), unless it is quoted whole
    (「…について」). A title that begins with 別表 takes in the law printed before it
    (``番号利用法　別表第一の…命令``)."""
    quote = _QUOTE_OPEN.search(text, max(floor, end - 120), end)
    if quote and _CLOSES.match(text, end):  # 「○○市パブリック・コメント制度に関する規則」: quoted whole
        return quote.end()
    i = break_start(text, end, floor)
    if not (i > 0 and text[i - 1] in "「『"):
        i = title_start(text, end, i)
    i += _restart(text[i:end])
    for m in _TWO_TITLES.finditer(text, i, end):  # 住民基本台帳法及び番号法…: two titles; a title
        if not regex.search(r"\p{Hiragana}", text[i:m.start()]):  # 「…に関する法律及び…」 may hold one
            i = m.end()
    if text.startswith("別表", i):
        j = i
        while j > floor and text[j - 1] in " 　\t\n":
            j -= 1
        if j < i and _ENDS_AS_LAW.search(text, max(floor, j - 2), j):
            return name_start(text, j, floor)
    return i


def _restart(name: str) -> int:
    """Offset in ``name`` after which a new title starts: a title goes on past its instrument word
    only into an instrument made under it or a part of it (法施行令, 条例施行規則, 番号法別表第一);
    「…条例特別区における…」 is two lines of a table joined. A descriptive start (他の, 国の) is no
    part of a title either."""
    words, offset, cut = short_words(name), 0, 0
    for word, following in zip(words, words[1:]):
        offset += len(word)
        if word in INSTRUMENT_WORDS and following not in INSTRUMENT_WORDS | _CONTINUES \
                and _NOUN_CHAR.match(following):
            cut = offset
    start = next((p for p in _TABLE["descriptive_starts"] if name.startswith(p, cut)), "")
    return cut + len(start)


def ends_as_law(name: str) -> bool:
    return bool(_ENDS_AS_LAW.search(name))


def is_title(name: str, aliases: dict[str, str]) -> bool:
    """A law, order, ordinance, rule, guideline or notice: its last word (SudachiPy's shortest unit)
    names an instrument (住民基本台帳法, but not 方法 or 法令), or it is a short name the document or
    the alias table defines; generic terms that end like one (主務省令, 就業規則) are not titles."""
    name = compact(name)
    if name in aliases or name in KNOWN_ALIASES or name in _SAME_LAW or name.endswith("について"):
        return True
    word = last_word(name)
    return word != name and name not in GENERIC and word in INSTRUMENT_WORDS


def instrument(name: str | None, number: LawNumber | None) -> str | None:
    """法律 | 政令 | 府令 | 省令 | 命令 | 規則 | 条例 | 施行令 | 施行規則 | … | 告示 | 通知 | 指針 | 要綱 | 規程."""
    if number:
        return number.kind
    kind = next((k for k in _KINDS if name and name.endswith(k)), None)
    return _KIND_OF.get(kind, kind)


def _citation(text: str, name_span: tuple[int, int] | None, tail: regex.Match | None, law: str | None,
              previous_article: str | None) -> Citation:
    start = name_span[0] if name_span else tail.start()
    printed = text[name_span[0]:name_span[1]] if name_span else None
    g = (lambda k: tail.group(k)) if tail else (lambda k: None)
    number = read_law_number(tail) if g("number") else None
    # 「（平成27年6月3日法律第32号時点）」 dates the text cited, it is not the law's own number
    law_number = number.text if number and not regex.search("時点|改正", g("after")) else None
    if printed and g("bare_no"):
        law_number = compact(printed + g("bare_no"))
    arts = g("arts")
    appendix, items, item_numbers = _appendix(_APPENDIX.match(g("appx"))) if g("appx") else (None, None, [])
    end = tail.end() if tail else name_span[1]
    while end > start and text[end - 1].isspace():
        end -= 1
    return Citation(
        raw=normalize_text(text[start:end]), law_name=law, law_number=law_number,
        article=compact(arts) if arts else None, appendix=appendix, items=items, start=start, end=end,
        printed_name=compact(printed) if printed else None, number=number,
        articles=parse_articles(arts, previous_article) if arts else [], item_numbers=item_numbers)


def _has_tail(m: regex.Match) -> bool:
    return bool(m.group("number") or m.group("arts") or m.group("appx"))


def _named_events(text: str, aliases: dict[str, str]) -> list[tuple]:
    """(start, end, name span, tail or None) of every title, with or without a number or article."""
    events = []
    article_ends = sorted([m.end() for m in _ARTICLES.finditer(text)]
                          + [m.end() for m in _APPENDIX.finditer(text) if m.group("items")])
    floor = 0
    for m in _LAW_END.finditer(text):
        if m.end() <= floor:
            continue
        tail = _TAIL.match(text, m.end())
        # a name holds no article or item reference: 「…第19条第15号に基づき…規則」 starts after it
        before = bisect.bisect_right(article_ends, m.start())
        floor = max(floor, article_ends[before - 1] if before else 0)
        start = name_start(text, m.end(), floor)
        name = text[start:m.end()]
        if len(name) < 2 and name not in aliases:  # 「法」 only when the document defines it
            continue
        if not is_title(name, aliases) and not (compact(name) in GENERIC and _has_tail(tail)):
            continue
        if _has_tail(tail):
            if not tail.group("arts") and not tail.group("number") and _NAME_GOES_ON.match(text, tail.end()):
                continue  # 番号利用法別表第一 is the start of 「…別表第一の主務省令で定める…命令」
            events.append((start, tail.end(), (start, m.end()), tail))
            floor = tail.end()
        elif name.endswith(("について", "通知")) and not (start and text[start - 1] in "「『"):
            continue  # a notice is cited by its quoted title or its number, never by a bare word
        elif _title_ends(text, m.end()) and not _DEFINED.match(text, m.end()):
            events.append((start, m.end(), (start, m.end()), None))
    # a title inside a longer one (…の主務省令で定める事務を定める命令) is no citation of its own
    return [e for e in events if e[3] or not any(o is not e and o[0] <= e[0] and e[1] <= o[1] for o in events)]


def _title_ends(text: str, end: int) -> bool:
    """No noun follows the title: 番号法上 and 番号法違反 are words of their own."""
    return not _NOUN_CHAR.match(text, end) or bool(_CONJUNCTION.match(text, end))


def find_citations(text: str, aliases: dict[str, str]) -> list[Citation]:
    """Every law reference in ``text``, in order; ``aliases`` maps short names to full names."""
    events = _named_events(text, aliases)
    covered = [(s, e) for s, e, _, _ in events]
    for m in _BARE.finditer(text):
        if any(s <= m.start() < e for s, e in covered):
            continue
        tail = _TAIL.match(text, m.start())
        if _has_tail(tail):
            events.append((m.start(), tail.end(), None, tail))
            covered.append((m.start(), tail.end()))
    out: list[Citation] = []
    named: list[str] = []  # laws named so far, for 同法 / 同規則 and for references without a law
    for _, _, span, tail in sorted(events, key=lambda e: e[0]):
        source = None
        if span:
            printed = compact(text[span[0]:span[1]])
            law = _same_law(printed, named) if printed in _SAME_LAW else \
                None if printed in GENERIC else resolve_law_name(printed, aliases)  # 主務省令第2条: which one?
            source = _name_source(printed, law, aliases)
        else:
            law = named[-1] if named else None
        if law:
            named.append(law)
        previous = next((a.article for c in reversed(out) for a in reversed(c.articles)), None)
        c = replace(_citation(text, span, tail, law, previous), name_source=source)
        before = _NUMBER_BEFORE.search(text, max(0, c.start - 60), c.start) if span and not c.number else None
        if before:  # 平成27年9月28日…告示第２号の「…について」: the number printed before the title
            c.number = read_law_number(before)
            c.law_number = c.number.text
        out.append(c)
    return fill_law_numbers(out)


def _name_source(printed: str, law: str | None, aliases: dict[str, str]) -> str | None:
    if law is None or law == printed:
        return None
    if printed in _SAME_LAW:
        return "document"
    return "document" if any(printed.startswith(k) for k in aliases) else "law_aliases.json"


def fill_law_numbers(citations: list[Citation], known: dict[str, str] | None = None) -> list[Citation]:
    """Give a citation that prints no law number the one printed for the same law elsewhere in
    ``citations``, else the one in ``known`` (e.g. from the document's alias definitions), else
    the one in ``law_aliases.json``."""
    printed = {c.law_name: c.law_number for c in citations if c.number and c.law_number}
    table = {**KNOWN_NUMBERS, **(known or {}), **printed}
    for c in citations:
        if c.law_name and not c.law_number:
            c.law_number = table.get(c.law_name)
    return citations


def _same_law(printed: str, named: list[str]) -> str | None:
    """``同法`` is the law last named whose name ends like 法 (法/法律), ``同規則`` a 規則, …"""
    kind = printed[1:]
    for law in reversed(named):
        if law.endswith(kind) or (kind == "法" and law.endswith("法律")):
            return law
    return None
