"""The `waqai code` command on good and bad inputs: one clear line per problem, the batch goes on."""

import json
import subprocess
import sys


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "waqai", *args], capture_output=True, text=True, input=stdin)


def test_bad_inputs_are_reported_and_the_rest_is_coded(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("خبر\nالتقى وزير الخارجية المصري نظيره الأردني في عمان أمس.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    cp1256 = tmp_path / "old.txt"
    cp1256.write_bytes("خبر\nاستقبل الرئيس التركي رئيس الوزراء العراقي في أنقرة.\n".encode("windows-1256"))
    english = tmp_path / "en.txt"
    english.write_text("News\nThe minister met his counterpart.\n", encoding="utf-8")
    r = run("code", str(good), str(empty), str(binary), str(cp1256), str(english), str(tmp_path / "missing.txt"),
            "--published", "2024-03-10")
    assert r.returncode == 0, r.stderr
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert {x["event_type"] for x in recs} == {"CONSULT"}
    assert {x["actor"][0]["country"] for x in recs} == {"EGY", "TUR"}
    err = r.stderr.splitlines()
    assert any("empty.txt" in e and "empty" in e for e in err)
    assert any("bin.txt" in e and "binary" in e for e in err)
    assert any("old.txt" in e and "windows-1256" in e for e in err)
    assert any("en.txt" in e and "not Arabic" in e for e in err)
    assert any("missing.txt" in e and "cannot read" in e for e in err)


def test_exit_code_is_nonzero_only_when_nothing_could_be_read(tmp_path):
    r = run("code", str(tmp_path / "missing.txt"))
    assert r.returncode != 0 and "missing.txt" in r.stderr


def test_stdin_jsonl_and_table(tmp_path):
    line = json.dumps({"id": "a1", "title": "خبر", "text": "فرضت الولايات المتحدة عقوبات جديدة على روسيا.",
                       "published": "2024-03-10"}, ensure_ascii=False)
    r = run("code", "-", stdin=line + "\n")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout.splitlines()[0])
    assert rec["event_type"] == "SANCTION" and rec["cite_info"]["doc_id"] == "a1" and rec["date"] == "2024-03-10"
    r = run("code", "-", "--format", "table", stdin=line + "\n")
    assert r.returncode == 0 and "SANCTION" in r.stdout


def test_same_input_same_output(tmp_path):
    seed = tmp_path / "s.txt"
    seed.write_text("خبر\nالتقى وزير الخارجية المصري نظيره الأردني.\nوأدانت مصر الهجوم على غزة.\n", encoding="utf-8")
    a = run("code", str(seed), "--published", "2024-01-01").stdout
    b = run("code", str(seed), "--published", "2024-01-01").stdout
    assert a == b and a


def test_a_published_date_that_is_not_one_is_refused(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("خبر\nالتقى وزير الخارجية المصري نظيره الأردني في عمان أمس.\n", encoding="utf-8")
    for cmd in (["code", str(good)], ["ingest", str(good), "--db", str(tmp_path / "x.db")]):
        r = run(*cmd, "--published", "May")
        assert r.returncode == 2 and "--published: 'May' is not a date" in r.stderr and not r.stdout
    assert not (tmp_path / "x.db").exists()
