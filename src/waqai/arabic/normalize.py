"""Orthographic normalisation for matching (never for output: the original text keeps its offsets)."""

import re

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, tatweel, bidi and zero-width marks.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ي": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})


def strip_marks(text: str) -> str:
    """Remove diacritics, tatweel and invisible direction marks."""
    return _MARKS.sub("", text)


def normalize(text: str) -> str:
    """Fold alef forms, alef maqsura, taa marbuta, hamza seats and digits; drop marks; lowercase Latin."""
    return _MARKS.sub("", text).translate(_MAP).lower()
