from datetime import date

import pytest

from waqai.when import resolve

REF = date(2026, 11, 27)  # a Friday


@pytest.mark.parametrize("text,expected,precision", [
    ("اليوم", "2026-11-27", "day"),
    ("أمس", "2026-11-26", "day"),
    ("أمس الأول", "2026-11-25", "day"),
    ("غدا", "2026-11-28", "day"),
    ("يوم الخميس", "2026-11-26", "day"),
    ("الخميس الماضي", "2026-11-26", "day"),
    ("الجمعة الماضية", "2026-11-20", "day"),  # today is a Friday: the previous one
    ("الأحد المقبل", "2026-11-29", "day"),
    ("في 4 مايو", "2026-05-04", "day"),
    ("في 4 أيار", "2026-05-04", "day"),
    ("في 20 ديسمبر", "2026-12-20", "day"),  # less than 60 days ahead: an announced date this year
    ("اليوم الخميس 4 مايو", "2023-05-04", "day"),  # the weekday pins the year
    ("في 3 كانون الثاني 2020", "2020-01-03", "day"),
    ("في شهر أيار 2019", "2019-05-01", "month"),
    ("في أكتوبر الماضي", "2026-10-01", "month"),
    ("في تشرين الثاني/نوفمبر الماضي", "2025-11-01", "month"),  # this month "last": a year ago
    ("في يناير المقبل", "2027-01-01", "month"),
    ("قصفت اليوم بعد هجوم أكتوبر الماضي", "2026-11-27", "day"),  # the day is the more specific date
    ("في 15 رمضان 1439 هـ", "2018-05-30", "day"),
    ("الأسبوع الماضي", "2026-11-20", "week"),
    ("الشهر الماضي", "2026-10-01", "month"),
])
def test_resolve(text, expected, precision):
    r = resolve(text, REF)
    assert r is not None, text
    assert r.date.isoformat() == expected
    assert r.precision == precision


def test_no_date():
    assert resolve("التقى الوزيران لبحث العلاقات", REF) is None


def test_day_month_far_ahead_is_last_year():
    assert resolve("في 20 ديسمبر", date(2026, 1, 15)).date == date(2025, 12, 20)
