"""Sentence splitting with character offsets."""

import re

# A sentence ends at a line break, or at . ! ? ؟ … followed by space (not inside numbers: 3.5).
_END = re.compile(r"\n+|(?<=[.!?؟…])[\"»”']?\s+|(?<=[!?؟])(?=[^\s\d])")
_ABBREV = re.compile(r"(?:^|\s)(?:د|م|ق|ه|ص|ج|أ|Dr|Mr|Mrs|St)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of sentences, stripped of surrounding white space."""
    spans = []
    start = 0
    for m in _END.finditer(text):
        if m.group().strip("\n") == m.group() and _ABBREV.search(text[max(0, m.start() - 4): m.start()]):
            continue
        _add(text, start, m.start() if "\n" in m.group() else m.end(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
