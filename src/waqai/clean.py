"""Remove page furniture before coding: related-article teasers, repeated captions, share/follow lines."""

from __future__ import annotations

import re

from waqai.arabic.normalize import normalize

# Lines that start like these are related-article teasers, whatever their length (normalised text).
_TEASERS = [normalize(p) for p in (
    "اقرأ أيضا", "اقرأ أيضًا", "إقرأ أيضا", "اقرأ ايضا", "اقرأ ايضاً", "اقرأ كذلك", "اقرأ المزيد", "إقرأ المزيد",
    "اقرأ أكثر", "شاهد أيضا", "شاهد أيضًا", "شاهد ايضا", "طالع أيضا", "طالع أيضًا", "طالع ايضا", "يهمك أيضا",
    "قد يهمك", "مواضيع ذات صلة", "أخبار ذات صلة", "موضوعات متعلقة",
)]
# Short lines (at most 8 words) that start like these are page furniture: share/follow lines, captions.
_FURNITURE = [normalize(p) for p in (
    "شاهد الفيديو", "شاهد:", "المزيد:", "للمزيد:", "لمزيد من الأخبار", "تابعونا على", "تابعنا على", "تابعوا",
    "شارك", "مشاركة", "انشر", "اضغط هنا", "اشترك", "حمّل تطبيق", "حمل تطبيق", "ذات صلة", "الصورة:",
    "مصدر الصورة", "صورة أرشيفية", "Getty Images", "حقوق الصورة", "التعليق على الصورة",
)]
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PUNCT_END = re.compile(r"[.!?؟:]\s*$")


def clean(text: str, title: str | None = None) -> tuple[str, list[str]]:
    """Return the cleaned text (paragraphs separated by blank lines) and what was removed, with reasons."""
    lines = [_SPACE.sub(" ", ln).strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    norm = [normalize(ln) for ln in lines]
    counts: dict[str, int] = {}
    for n in norm:
        counts[n] = counts.get(n, 0) + 1
    ntitle = normalize(title) if title else None
    kept, removed = [], []
    for ln, n in zip(lines, norm):
        if any(n.startswith(p) for p in _TEASERS):
            removed.append(f"teaser: {ln[:80]}")
        elif len(n.split()) <= 8 and any(n.startswith(p) for p in _FURNITURE):
            removed.append(f"furniture: {ln[:80]}")
        elif ntitle and n == ntitle:
            removed.append(f"repeated title: {ln[:80]}")
        elif counts[n] > 1 and len(n.split()) <= 30:
            removed.append(f"repeated caption: {ln[:80]}")
        else:
            kept.append(ln)
    return "\n\n".join(kept), removed
