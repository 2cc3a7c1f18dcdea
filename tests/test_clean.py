from waqai.clean import clean


def test_teasers_captions_and_share_lines_are_removed():
    text = "\n".join([
        "صورة الوزيرين في المؤتمر",
        "صورة الوزيرين في المؤتمر",
        "التقى الوزير نظيره اليوم.",
        "اقرأ أيضًا: خبر آخر لا علاقة له",
        "إقرأ المزيد: خبر ثالث",
        "شاهد أيضا: فيديو",
        "طالع أيضا: تقرير",
        "تابعونا على تويتر",
        "وأكد الطرفان أهمية التعاون.",
    ])
    body, removed = clean(text)
    assert body == "التقى الوزير نظيره اليوم.\n\nوأكد الطرفان أهمية التعاون."
    assert len(removed) == 7


def test_repeated_title_and_whitespace():
    body, removed = clean("العنوان هنا\n\n  فقرة   أولى\u00a0 هنا.  \n", title="العنوان هنا")
    assert body == "فقرة أولى هنا."
    assert removed == ["repeated title: العنوان هنا"]
