"""Where a name printed before a given point begins, read from SudachiPy tokens and parts of speech.

Japanese prints a defined name or a law's title right before what follows it (``…サーバー（以下``,
``…法律第9条``) with nothing marking where it starts. Character classes cut it wrongly (年金裁定・支給事務
→ 支給事務, ＤＶＤ又は外付ＨＤＤ → 外付ＨＤＤ); words and their parts of speech do not. Reading back
from the end:

- a *noun phrase* takes nouns, prefixes, suffixes, 中黒 (・), の, coordinating conjunctions (及び, 又は …)
  and compound case particles (に関する, に係る, における …); it stops at other particles,
  punctuation and verbs. A bare common noun (番号) has no meaning of its own, so it takes the
  clause that modifies it (業務で…を特定する番号), as a title does;
- a *title* (law, ordinance, guideline) also takes the relative clauses inside it
  (…を識別するための…に関する法律, …が処理する事務の範囲等を定める規則): verbs and auxiliaries in
  their attributive form and the case particles of their arguments; it stops at a topic (は), a
  conjunctive particle (て, ば), a case particle with no verb after it inside the title
  (様式を|○○区…規則で定め), a verb that ends or continues a clause (に基づき, 運営する), and
  punctuation.
"""
from __future__ import annotations

from functools import lru_cache

from sudachipy import Dictionary, SplitMode

# One tokenize() call accepts at most 49,149 bytes; a name is read from a window this long.
_WINDOW = 240
_CONJUNCTIONS = {"及び", "並びに", "又は", "若しくは", "および", "ならびに", "または", "もしくは", "又"}
# に + these verbs act as one case particle joining two nouns (に関する法律, に係るシステム)
_COMPOUND = {"関する", "係る", "おける", "対する", "よる", "基づく", "伴う", "準ずる", "係わる", "関わる"}
_JOINING_MARKS = {"・", "ー", "－", "-", "＆", "&"}


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    """The one SudachiPy dictionary: each ``Dictionary()`` maps the system dictionary again
    (about 75 MB resident each), so both tokenizers share this one."""
    return Dictionary()


@lru_cache(maxsize=1)
def tokenizer():
    """The one SudachiPy tokenizer (mode C: the longest words) of the project."""
    return _dictionary().tokenizer(mode=SplitMode.C)


@lru_cache(maxsize=1)
def _short_units():
    return _dictionary().tokenizer(mode=SplitMode.A)


@lru_cache(maxsize=4096)
def short_words(text: str) -> tuple[str, ...]:
    """``text`` in its shortest words (住民基本台帳法 → 住民 基本 台帳 法; 方法 stays one word)."""
    return tuple(m.surface() for m in _short_units().tokenize(text))


def last_word(text: str) -> str:
    words = short_words(text)
    return words[-1] if words else ""


def _words(text: str) -> list[tuple[str, str, str, str]]:
    """(surface, part of speech, its subclass, conjugation form) of each word."""
    out = []
    for m in tokenizer().tokenize(text):
        pos = m.part_of_speech()
        out.append((m.surface(), pos[0], pos[1], pos[5]))
    return out


def _nounish(word: tuple[str, str, str, str]) -> bool:
    surface, pos, _, _ = word
    return pos in {"名詞", "接頭辞", "接尾辞", "記号", "形状詞"} or surface in _JOINING_MARKS


def _links(words: list, i: int) -> int:
    """Number of words ending at ``i`` that join two nouns of one phrase (の, 及び, に関する …); 0 if none."""
    surface, pos, sub, _ = words[i]
    if surface == "の" and sub == "格助詞" or (pos == "接続詞" and surface in _CONJUNCTIONS):
        return 1
    if surface == "は" and i > 0 and words[i - 1][0] == "又":  # 又は splits as 又 + は
        return 2
    if i > 0 and words[i - 1][0] == "に" and surface in _COMPOUND:
        return 2
    if i > 1 and words[i - 2][0] == "に" and words[i - 1][0] == "おけ" and surface == "る":
        return 3
    return 0


def _clause_word(word: tuple[str, str, str, str]) -> bool:
    """A word inside a relative clause of a title: a case particle other than が, or a verb,
    auxiliary or adjective in its attributive form (…を識別する / …的に支援する)."""
    surface, pos, sub, form = word
    if pos == "助詞":
        return sub == "格助詞"
    if pos in {"動詞", "助動詞", "形容詞"}:
        return form.startswith("連体形") or (pos == "助動詞" and form == "連用形-ニ")
    return False


def _start(text: str, end: int, floor: int, title: bool) -> int:
    lo = max(floor, end - _WINDOW)
    words = _words(text[lo:end])
    i, predicate = len(words) - 1, False  # predicate: a verb of a relative clause follows
    while i >= 0:
        step = 1 if _nounish(words[i]) else _links(words, i)
        if step > 1 or words[i][0] == "の":
            predicate = False
        elif not step and title and _clause_word(words[i]):
            # a case particle belongs to the title only as an argument of a verb inside it
            # (個人を識別する); 「様式を…規則で定め」 puts the title itself in a clause
            if words[i][1] != "助詞" or predicate:
                step, predicate = 1, predicate or words[i][1] != "助詞"
        if not step:
            break
        i -= step
    kept = i + 1
    # a phrase starts with a noun, not a numeral (「3」 of a numbered cell joined to it)
    while kept < len(words) and (not _nounish(words[kept]) or words[kept][2] == "数詞"):
        kept += 1
    return lo + sum(len(w[0]) for w in words[:kept])


def noun_phrase_start(text: str, end: int, floor: int = 0) -> int:
    """Start of the defined noun phrase that ends at ``end`` (never before ``floor``)."""
    start = _start(text, end, floor, title=False)
    words = _words(text[start:end])
    if len(words) == 1 and words[0][2] == "普通名詞":
        return _start(text, end, floor, title=True)
    return start + _restarts(text[start:end])


def _restarts(phrase: str) -> int:
    """Offset where ``phrase`` starts over (連携サーバ|連携サーバー…: a before and an after cell of a
    change table joined into one line); 0 if it does not."""
    for k in range(4, len(phrase) - 3):
        if phrase.startswith(phrase[k:k + 4]) and phrase[k:].startswith(phrase[:4]):
            return k
    return 0


def title_start(text: str, end: int, floor: int = 0) -> int:
    """Start of the title (law, ordinance, guideline …) that ends at ``end``."""
    return _start(text, end, floor, title=True)


def content_words(text: str) -> tuple[str, ...]:
    """The nouns of ``text`` in their shortest words and normalised forms (ユーザ → ユーザー), in order:
    what a text talks about, to compare with the labels of the form."""
    out = []
    for start in range(0, len(text), _WINDOW * 20):
        for m in _short_units().tokenize(text[start:start + _WINDOW * 20]):
            pos = m.part_of_speech()
            if pos[0] == "名詞" and pos[1] != "数詞":
                out.append(m.normalized_form())
    return tuple(out)
