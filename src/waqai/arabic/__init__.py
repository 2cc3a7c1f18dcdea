"""Arabic text analysis: orthographic normalisation, clitic-aware tokens, sentences."""

from waqai.arabic.normalize import normalize, strip_marks
from waqai.arabic.tokenize import tokenize, stems, is_arabic_text
from waqai.arabic.sentences import split_sentences

__all__ = ["normalize", "strip_marks", "tokenize", "stems", "is_arabic_text", "split_sentences"]
