"""Arabic text analysis: orthographic normalisation, clitic-aware tokens, sentences."""

from waqai.arabic.normalize import normalize, strip_marks
from waqai.arabic.tokenize import is_arabic_text, segment, stems, tokenize
from waqai.arabic.sentences import split_sentences

__all__ = ["normalize", "strip_marks", "tokenize", "stems", "segment", "is_arabic_text", "split_sentences"]
