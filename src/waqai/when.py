"""Date resolution against the reference date (the article's publication date, or one given).

Recognises, in a sentence: اليوم / أمس / أمس الأول / غدا; weekday names, alone or with الماضي / المقبل;
day + month in both Gregorian series (4 مايو / 4 أيار), with or without a year, where a weekday beside a
day and month pins the year; month + year; a year alone (في 2016، عام 2014); Hijri dates (15 رمضان 1439 هـ);
الأسبوع الماضي / الشهر الماضي.
No clock is read: the reference date is always passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.resources import load_table


@dataclass(frozen=True)
class ResolvedDate:
    date: date
    precision: str  # day | week | month | year
    text: str


@lru_cache(maxsize=1)
def _calendar():
    words: dict[str, dict[str, int]] = {"weekday": {}, "month": {}, "hijri_month": {}, "relative": {}}
    for row in load_table("time/calendar.tsv"):
        words[row["kind"]][normalize(row["form"])] = int(row["value"])

    def alt(d):
        return "|".join(sorted((re.escape(k) for k in d), key=len, reverse=True))

    pre = r"(?:(?<=\s)|^)(?:[وفب]|في\s)?(?:ال)?"
    pats = {
        "rel": re.compile(pre.replace("(?:ال)?", "") + rf"({alt(words['relative'])})(?=\s|$|[^\w])"),
        "wd": re.compile(pre + rf"({alt({k.removeprefix('ال'): v for k, v in words['weekday'].items()})})"
                         r"(?:\s+(الماضيه?|الفايته?|المنصرمه?|المقبله?|القادمه?))?(?=\s|$|[^\w])"),
        "dm": re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?({alt(words['month'])})(?=\s|$|[^\w])"
                         r"(?:\s*(?:عام|سنه)?\s*(\d{4}))?"),
        "my": re.compile(rf"(?:شهر\s+)?(?<![\w])({alt(words['month'])})\s+(?:عام\s+|سنه\s+)?(\d{{4}})"),
        "hijri": re.compile(rf"(?<!\d)(\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?({alt(words['hijri_month'])})"
                            r"(?:\s+(?:عام\s+|سنه\s+)?(\d{4}))?"),
        "year": re.compile(r"(?<![\w])(?:ال)?(?:في|عام|سنه|منذ|خلال)\s+(?:عام\s+|سنه\s+)?((?:19|20)\d\d)(?!\d)"),
        "lastweek": re.compile(r"(?<![\w])(?:ال)?(اسبوع|شهر|عام)\s+(الماضي|المنصرم|الفايت)"),
        # مايو الماضي، أيار/مايو الماضي، تشرين الثاني المقبل: the nearest such month before or after
        "mq": re.compile(rf"(?<![\w])({alt(words['month'])})(?:\s*/\s*(?:{alt(words['month'])}))?"
                         r"\s+(الماضي|المنصرم|الفايت|المقبل|القادم)(?![\w])"),
    }
    return words, pats


def month_words() -> frozenset[str]:
    """The normalised Gregorian month names, every word of them (كانون، الثاني, نوفمبر…)."""
    return frozenset(w for k in _calendar()[0]["month"] for w in k.split())


def resolve(sentence: str, ref: date) -> ResolvedDate | None:
    """The most specific date the sentence states, resolved against `ref`; None when it states none."""
    words, p = _calendar()
    s = normalize(sentence)
    wd = p["wd"].search(s)
    weekday = words["weekday"].get(wd.group(1)) if wd else None
    if weekday is None and wd:
        weekday = words["weekday"].get("ال" + wd.group(1))

    m = p["hijri"].search(s)
    if m and (m.group(3) or "هـ" in sentence or "ه" in s[m.end(): m.end() + 3]):
        d = _hijri(int(m.group(1)), words["hijri_month"][m.group(2)], m.group(3), ref)
        if d:
            return ResolvedDate(d, "day", m.group())

    m = p["dm"].search(s)
    if m:
        day, month = int(m.group(1)), words["month"][m.group(2)]
        if m.group(3):
            d = _safe(int(m.group(3)), month, day)
        else:
            d = _pin_year(day, month, weekday, ref)
        if d:
            return ResolvedDate(d, "day", m.group())

    m = p["my"].search(s)
    if m:
        d = _safe(int(m.group(2)), words["month"][m.group(1)], 1)
        if d:
            return ResolvedDate(d, "month", m.group())

    m = p["rel"].search(s)
    if m:
        return ResolvedDate(ref + timedelta(days=words["relative"][m.group(1)]), "day", m.group())

    if weekday is not None:
        delta = (ref.weekday() - weekday) % 7
        qual = wd.group(2)
        if qual and qual.startswith(("المقبل", "القادم")):
            return ResolvedDate(ref + timedelta(days=(weekday - ref.weekday()) % 7 or 7), "day", wd.group())
        if qual and delta == 0:
            delta = 7
        return ResolvedDate(ref - timedelta(days=delta), "day", wd.group())

    m = p["mq"].search(s)
    if m:
        month = words["month"][m.group(1)]
        if m.group(2) in ("المقبل", "القادم"):
            y = ref.year if month > ref.month else ref.year + 1
        else:
            y = ref.year if month < ref.month else ref.year - 1
        return ResolvedDate(date(y, month, 1), "month", m.group())

    m = p["year"].search(s)
    if m:
        return ResolvedDate(date(int(m.group(1)), 1, 1), "year", m.group())

    m = p["lastweek"].search(s)
    if m:
        unit = m.group(1)
        if unit == "اسبوع":
            return ResolvedDate(ref - timedelta(days=7), "week", m.group())
        if unit == "شهر":
            first = ref.replace(day=1) - timedelta(days=1)
            return ResolvedDate(first.replace(day=1), "month", m.group())
        return ResolvedDate(date(ref.year - 1, 1, 1), "year", m.group())
    return None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _pin_year(day: int, month: int, weekday: int | None, ref: date) -> date | None:
    """Choose the year: the one whose date falls on the stated weekday (most recent first), else the
    year that puts the date nearest before the reference (a date more than 60 days ahead is last year's)."""
    if weekday is not None:
        for y in range(ref.year + 1, ref.year - 15, -1):
            d = _safe(y, month, day)
            if d and d.weekday() == weekday and d <= ref + timedelta(days=60):
                return d
    d = _safe(ref.year, month, day)
    if d and d > ref + timedelta(days=60):
        d = _safe(ref.year - 1, month, day)
    return d


def _hijri(day: int, month: int, year: str | None, ref: date) -> date | None:
    from hijridate import Gregorian, Hijri

    try:
        if year:
            return date(*Hijri(int(year), month, day).to_gregorian().datetuple())
        hy = Gregorian(ref.year, ref.month, ref.day).to_hijri().year
        for y in (hy, hy - 1):
            g = date(*Hijri(y, month, day).to_gregorian().datetuple())
            if g <= ref + timedelta(days=60):
                return g
    except (ValueError, OverflowError):
        return None
    return None
