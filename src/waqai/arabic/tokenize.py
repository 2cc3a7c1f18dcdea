"""Tokens with character offsets, and clitic-aware candidate stems for lexicon look-up.

Arabic attaches conjunctions (و ف), prepositions (ب ل ك), the future marker (س), the article (ال) and
pronoun suffixes to words. `stems()` lists the readings of a normalised word with those peeled off; the
lexicons store bare stems and match any reading, so "وبحث", "للرئيس" and "نظيره" find "بحث", "رئيس"
and "نظير".
"""

import re
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.model import Token

_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_TOKEN = re.compile(
    rf"[{_ARABIC}\u200c\u200d]+(?:[{_ARABIC}]|\u200c|\u200d)*"  # Arabic word (with marks)
    r"|[^\W\d_]+(?:['’-][^\W\d_]+)*"                          # other letters (Latin...)
    r"|\d+(?:[.,:/]\d+)*"                                    # numbers, dates, times
    r"|[^\s\u200e\u200f#_]"                                   # any other visible char but # and _ (#عمر_الرزاز)
)
_ARABIC_WORD = re.compile(rf"[{_ARABIC}]")
# Arabic-script punctuation is in the Arabic block: split it off words.
_PUNCT_IN_WORD = re.compile("([\u060c\u061b\u061f\u066a-\u066d\u06d4])")


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split text into tokens; offsets are into `text` (plus `offset`)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        start = m.start()
        if len(s) > 1 and not s.isalpha() and _PUNCT_IN_WORD.search(s):
            for part in _PUNCT_IN_WORD.split(s):
                if part:
                    tokens.append(_make(part, start + offset))
                start += len(part)
            continue
        tokens.append(_make(s, start + offset))
    return tokens


def _make(s: str, start: int) -> Token:
    return Token(s, start, start + len(s), normalize(s))


_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_SUFFIXES = ("كما", "هما", "كم", "كن", "هم", "هن", "نا", "ها", "ه", "ك", "ي")


@lru_cache(maxsize=200_000)
def stems(norm: str) -> tuple[str, ...]:
    """Candidate stems of a normalised word, the word itself first, then with clitics peeled off.

    Over-generation is deliberate and cheap: a reading only matters if a lexicon holds it.
    """
    out = [norm]
    seen = {norm}

    def add(s: str) -> None:
        if len(s) >= 2 and s not in seen:
            seen.add(s)
            out.append(s)

    bases = [norm]
    if len(norm) > 2 and norm[0] in _CONJ:
        bases.append(norm[1:])
    for b in list(bases):
        if len(b) > 2 and b[0] in _PREP and not b.startswith("لل"):  # للرئيس is ل + ال + رئيس
            bases.append(b[1:])
        if len(b) > 3 and b.startswith("لل"):  # ل + ال with the alef dropped: للرئيس
            bases.append(b[2:])
        if len(b) > 3 and b[0] == "س" and b[1] in "يتنا":  # future: سيلتقي
            bases.append(b[1:])
    for b in list(bases):
        if len(b) > 3 and b.startswith("ال"):
            bases.append(b[2:])
    for b in list(bases):
        if len(b) >= 5 and b.endswith("ا") and not b.endswith("وا"):  # accusative tanwin: اعتصاما، فلسطينيا
            bases.append(b[:-1])
    for b in bases:
        add(b)
        for suf in _SUFFIXES:
            if b.endswith(suf) and len(b) - len(suf) >= 2:
                s = b[: -len(suf)]
                add(s)
                if s.endswith("ت"):  # taa marbuta before a suffix: زيارته -> زياره
                    add(s[:-1] + "ه")
                if s.endswith(("اي", "او")):  # hamza seat before a suffix: لقائه -> لقاء
                    add(s[:-1] + "ء")
    return tuple(out)


_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f]")


def is_arabic_text(text: str, threshold: float = 0.3) -> bool:
    """True when at least `threshold` of the letters (of the first 20,000 characters) are Arabic."""
    sample = text[:20000]
    letters = len(_LETTER.findall(sample))
    return bool(letters) and len(_ARABIC_LETTER.findall(sample)) / letters >= threshold


def segment(norm: str, known=None) -> tuple[str, str, str]:
    """The clitic segmentation of a normalised word: (prefixes, stem, suffix), e.g. وبحث -> (و, بحث, ),
    للرئيس -> (لل, رييس, ), نظيره -> (, نظير, ه). The stem is the least stripped reading that is a known
    word (`known`: a set of stems, by default the 3,000 commonest words of the news corpus); a word with
    no known reading is left whole."""
    if known is None:
        from waqai.actors import common_words

        known = common_words()
    for r in stems(norm):
        if r in known:
            k = norm.find(r)
            return norm[:k], r, norm[k + len(r):]
    return "", norm, ""
