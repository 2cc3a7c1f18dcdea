import gzip
import json
from datetime import date

from waqai.read import Problem, parse_date, read_inputs


def items(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return list(read_inputs([str(p)]))


def test_parse_date_iso_and_rfc2822():
    assert parse_date("2023-05-04") == date(2023, 5, 4)
    assert parse_date("2023-05-04T10:00:00+03:00") == date(2023, 5, 4)
    assert parse_date("Thu, 04 May 2023 10:00:00 +0300") == date(2023, 5, 4)
    assert parse_date("not a date") is None


def test_txt_first_line_is_title(tmp_path):
    [a] = items(tmp_path, "a.txt", "\n\nالعنوان\nالنص الأول.\n".encode())
    assert a.title == "العنوان" and a.text.strip() == "النص الأول."


def test_jsonl_gz_and_bad_lines(tmp_path):
    lines = [json.dumps({"id": "x1", "text": "نص", "published": "Thu, 04 May 2023 10:00:00 +0300"}), "{not json",
             json.dumps({"id": "x2"}), json.dumps({"id": "x3", "text": "نص آخر", "title": "ع"})]
    got = items(tmp_path, "a.jsonl.gz", gzip.compress("\n".join(lines).encode()))
    arts = [g for g in got if not isinstance(g, Problem)]
    probs = [g for g in got if isinstance(g, Problem)]
    assert [a.id for a in arts] == ["x1", "x3"]
    assert arts[0].published == date(2023, 5, 4)
    assert len(probs) == 2 and all(":" in p.origin for p in probs)
    assert "malformed JSON" in probs[0].reason and "text" in probs[1].reason


def test_windows_1256_is_decoded_with_a_warning(tmp_path):
    got = items(tmp_path, "a.txt", "العنوان\nالتقى الوزير نظيره.".encode("windows-1256"))
    assert isinstance(got[0], Problem) and not got[0].fatal and "windows-1256" in got[0].reason
    assert got[1].title == "العنوان"


def test_empty_binary_and_missing(tmp_path):
    assert items(tmp_path, "e.txt", b"  \n")[0].reason == "empty input"
    assert "binary" in items(tmp_path, "b.txt", bytes(range(256)) * 10)[0].reason
    [p] = list(read_inputs([str(tmp_path / "missing.txt")]))
    assert isinstance(p, Problem) and "cannot read" in p.reason


def test_overlong_line_is_rejected_without_losing_the_rest(tmp_path, monkeypatch):
    import waqai.read as r

    monkeypatch.setattr(r, "MAX_LINE", 1000)
    data = (json.dumps({"id": "big", "text": "ا" * 5000}) + "\n" + json.dumps({"id": "ok", "text": "نص"}) + "\n").encode()
    got = items(tmp_path, "a.jsonl", data)
    assert isinstance(got[0], Problem) and "too long" in got[0].reason
    assert got[1].id == "ok"


def test_html_main_text(tmp_path):
    html = ("<html><head><title>وزير الخارجية يلتقي نظيره</title></head><body><nav>الرئيسية | أخبار</nav>"
            "<article><h1>وزير الخارجية يلتقي نظيره</h1><p>" + "التقى وزير الخارجية المصري نظيره الأردني في عمان. " * 5 +
            "</p></article></body></html>")
    [a] = items(tmp_path, "a.html", html.encode())
    assert "التقى وزير الخارجية المصري" in a.text
