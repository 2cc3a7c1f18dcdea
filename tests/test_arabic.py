from waqai.arabic import is_arabic_text, normalize, segment, split_sentences, stems, tokenize


def test_normalize_folds_letters_and_drops_marks():
    assert normalize("إِسْرَائِيلُ") == "اسراييل"
    assert normalize("مُصطفى") == "مصطفي"
    assert normalize("الخارجيّة") == "الخارجيه"
    assert normalize("ســـلام\u200f") == "سلام"
    assert normalize("٢٠٢٣") == "2023"


def test_tokens_keep_offsets_into_the_original_text():
    text = "التقى وزيرُ الخارجية، اليوم."
    toks = tokenize(text)
    assert [t.text for t in toks] == ["التقى", "وزيرُ", "الخارجية", "،", "اليوم", "."]
    for t in toks:
        assert text[t.start:t.end] == t.text
    assert toks[1].norm == "وزير"


def test_tokens_skip_direction_marks_and_split_arabic_punctuation():
    toks = tokenize("\u200fقال؛ نعم؟")
    assert [t.text for t in toks] == ["قال", "؛", "نعم", "؟"]


def test_stems_peel_clitics():
    assert "رييس" in stems(normalize("وللرئيس"))
    assert "نظير" in stems(normalize("نظيره"))
    assert "زياره" in stems(normalize("زيارته"))
    assert "يلتقي" in stems(normalize("وسيلتقي"))
    assert "لقاء" in stems(normalize("لقائه"))
    assert "بحث" == stems(normalize("بحث"))[0]  # the whole word is the first reading


def test_sentences():
    text = "قال الوزير إن الاجتماع انتهى. وأضاف أن 3.5 مليون شخص تأثروا!\nعنوان جديد"
    spans = split_sentences(text)
    parts = [text[s:e] for s, e in spans]
    assert parts == ["قال الوزير إن الاجتماع انتهى.", "وأضاف أن 3.5 مليون شخص تأثروا!", "عنوان جديد"]


def test_is_arabic_text():
    assert is_arabic_text("التقى الوزير نظيره")
    assert not is_arabic_text("The minister met his counterpart")
    assert not is_arabic_text("12345 ...")


def test_segment_separates_clitics():
    assert segment(normalize("وبحث")) == ("و", "بحث", "")
    assert segment(normalize("للرئيس")) == ("لل", "رييس", "")
    assert segment(normalize("وزارة")) == ("", "وزاره", "")  # a word, not و + زار + ه
    assert segment(normalize("نظيره"), known={"نظير"}) == ("", "نظير", "ه")
    assert segment(normalize("بالقاهرة"), known={"قاهره"}) == ("بال", "قاهره", "")
