"""Tests of the NER tagger shipped in waqai/resources/ner (issue 4)."""

from __future__ import annotations

import argparse
import json
import socket
from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("pycrfsuite")

from waqai.ner import Tagger, load_tagger, read_conll, spans_from_tags  # noqa: E402
from waqai.ner import cli  # noqa: E402
from waqai.ner.features import core_of, shape_of  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TAG_RE = r"^(O|[BI]-(PERS|LOC|ORG|MISC))$"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def _run(tmp_path, capsys, content: bytes | str, fmt: str, name: str = "in.txt"):
    p = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    p.write_bytes(content)
    rc = cli.run(argparse.Namespace(file=str(p), input_format=fmt))
    out, err = capsys.readouterr()
    return rc, out, err


# -- the model loads from the package, offline ------------------------------------------------------
def test_loads_from_package_without_network(monkeypatch):
    def no_network(*a, **k):
        raise AssertionError("the NER tagger must not use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    t = Tagger.from_package()  # a fresh load, not the cached one
    assert t.tag_tokens(["ذهب", "إلى", "القاهرة"])[2] == "B-LOC"
    base = resources.files("waqai.resources").joinpath("ner")
    names = {p.name for p in base.iterdir()}
    assert {"model.crfsuite", "clusters.tsv.gz", "gazetteer.tsv", "meta.json"} <= names
    size = sum(p.stat().st_size for p in Path(str(base)).iterdir() if p.is_file())
    assert size <= 30 * 1024 * 1024


def test_features_match_those_the_model_was_trained_with(tagger):
    """Fails when a change elsewhere (e.g. waqai.arabic.normalize) alters the features: retrain with
    scripts/train_ner.py (docs/ner.md)."""
    assert tagger.meta.get("feature_fingerprint")
    assert not tagger.feature_drift


def test_load_tagger_is_cached():
    assert load_tagger() is load_tagger()


# -- determinism ------------------------------------------------------------------------------------
def test_tagging_is_deterministic(tagger):
    toks = "وقال وزير الخارجية الأمريكي مايك بومبيو إن واشنطن ستدعم الأمم المتحدة .".split()
    first = tagger.tag_tokens(toks)
    assert all(tagger.tag_tokens(toks) == first for _ in range(3))
    assert Tagger.from_package().tag_tokens(toks) == first


def test_attribute_filter_does_not_change_tags(tagger):
    """The shipped attribute list only drops features the model has no weight for."""
    base = resources.files("waqai.resources").joinpath("ner")
    meta = json.loads(base.joinpath("meta.json").read_text(encoding="utf-8"))
    s1 = base.joinpath("stage1.crfsuite")
    unfiltered = Tagger(base.joinpath("model.crfsuite").read_bytes(), base.joinpath("clusters.tsv.gz").read_bytes(),
                        base.joinpath("gazetteer.tsv").read_text(encoding="utf-8"), meta,
                        stage1_bytes=s1.read_bytes() if s1.is_file() else None)
    for s in ("التقى الرئيس الروسي فلاديمير بوتين نظيره التركي رجب طيب أردوغان في سوتشي .",
              "أعلنت شركة سامسونغ الكورية عن هاتف جديد في برلين ."):
        assert tagger.tag_tokens(s.split()) == unfiltered.tag_tokens(s.split())
    doc = [s.split() for s in ("أعلن البنك التجاري الدولي عن أرباحه .", "وقال رئيس البنك التجاري إن الأرباح زادت .",
                               "وأضاف البنك التجاري أنه سيفتح فروعا في القاهرة .")]
    assert tagger.tag_document(doc) == unfiltered.tag_document(doc)


# -- expected tags on sentences written for the test ---------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("قال الرئيس الأمريكي دونالد ترامب إن الولايات المتحدة ستنسحب من الاتفاق .",
     [("دونالد ترامب", "PERS"), ("الولايات المتحدة", "LOC")]),
    ("وصل وزير الخارجية سامح شكري إلى القاهرة قادما من باريس .",
     [("سامح شكري", "PERS"), ("القاهرة", "LOC"), ("باريس", "LOC")]),
    ("دعت الأمم المتحدة إلى وقف إطلاق النار في سوريا .",
     [("الأمم المتحدة", "ORG"), ("سوريا", "LOC")]),
])
def test_sentences_tagged_as_expected(tagger, text, expected):
    got = [(e["text"], e["type"]) for e in tagger.entities(text)]
    for ent in expected:
        assert ent in got, (ent, got)


def test_entities_offsets_and_fields(tagger):
    text = "قال الرئيس الأمريكي دونالد ترامب في واشنطن.\nوردت وزارة الخارجية في بكين على التصريحات."
    ents = tagger.entities(text, doc_id="d1")
    assert ents
    for e in ents:
        assert set(e) == {"text", "type", "start", "end", "doc_id"}
        assert text[e["start"]:e["end"]] == e["text"]
        assert e["type"] in ("PERS", "LOC", "ORG", "MISC") and e["doc_id"] == "d1"
    assert [e["start"] for e in ents] == sorted(e["start"] for e in ents)
    assert tagger.entities("") == [] and tagger.tag_tokens([]) == []


def test_subtypes_for_actor_coding(tagger):
    assert tagger.has_subtypes
    ents = tagger.entities("سجل ليونيل ميسي هدفين لبرشلونة في مرمى ريال مدريد .", subtypes=True)
    got = {(e["text"], e["type"], e["subtype"]) for e in ents}
    assert ("ليونيل ميسي", "PERS", "athlete") in got and ("ريال مدريد", "ORG", "sports") in got
    ents = tagger.entities("قال الرئيس الأمريكي دونالد ترامب إن الولايات المتحدة ستنسحب .", subtypes=True)
    assert {(e["text"], e["subtype"]) for e in ents} >= {("دونالد ترامب", "politician"), ("الولايات المتحدة", "nation")}
    assert "subtype" not in tagger.entities("زار ترامب بكين .")[0]


def test_spans_from_tags_reads_stray_inside_as_start():
    assert spans_from_tags(["O", "I-PERS", "I-PERS", "B-LOC", "I-ORG"]) == [(1, 2, "PERS"), (3, 3, "LOC"), (4, 4, "ORG")]


def test_features_helpers():
    assert core_of("والمانيا") == ("وال", "مانيا")
    assert core_of("للرييس") == ("لل", "رييس")
    assert core_of("بغداد")[1] == "بغداد"  # ب is not peeled without the article
    assert shape_of("Reuters") == "Lat" and shape_of("2018") == "num" and shape_of("،") == "p,"


# -- command line ------------------------------------------------------------------------------------
def test_conll_round_trip_keeps_tokens(tmp_path, capsys):
    lines = ["وقال O", "الرئيس\tO", "الفرنسي", "إيمانويل B-PERS", "ماكرون I-PERS", "في O", "باريس O", ". O", "",
             " O", "(", "أ.ف.ب", ")", "2018", "%", "", ""]
    rc, out, err = _run(tmp_path, capsys, "\n".join(lines), "conll")
    assert rc == 0 and err == ""
    got = out.split("\n")
    toks_in = [cli._conll_token(x) if x.strip() else None for x in lines[:-1]]
    toks_out = [x.rsplit(" ", 1)[0] if x else None for x in got[:len(toks_in)]]
    assert toks_out == toks_in
    import re
    assert all(re.match(TAG_RE, x.rsplit(" ", 1)[1]) for x in got if x)
    tags = dict(x.rsplit(" ", 1) for x in got if x and x.strip() and " " in x)
    assert tags["ماكرون"] == "I-PERS" and tags["باريس"] == "B-LOC"


def test_text_format_prints_json_entities(tmp_path, capsys):
    text = "سطر أول.\r\nوصل الرئيس المصري عبد الفتاح السيسي إلى الرياض .\n"
    rc, out, err = _run(tmp_path, capsys, text, "text", "doc.txt")
    assert rc == 0 and err == ""
    ents = [json.loads(x) for x in out.splitlines()]
    assert ("الرياض", "LOC") in [(e["text"], e["type"]) for e in ents]
    for e in ents:
        assert text[e["start"]:e["end"]] == e["text"] and e["doc_id"].endswith("doc.txt")


def test_jsonl_bad_lines_reported_and_rest_processed(tmp_path, capsys):
    good = json.dumps({"id": "a1", "text": "زار الرئيس الفرنسي إيمانويل ماكرون بيروت ."}, ensure_ascii=False)
    good2 = json.dumps({"id": 7, "text": "انتقدت موسكو العقوبات ."}, ensure_ascii=False)
    data = (good + "\n{not json\n").encode() + b"\xff\xfe bad bytes\n" + (good2 + "\n").encode()
    rc, out, err = _run(tmp_path, capsys, data, "jsonl", "docs.jsonl")
    assert rc == 1
    errs = err.strip().split("\n")
    assert len(errs) == 2
    assert "docs.jsonl:2" in errs[0] and "JSON" in errs[0]
    assert "docs.jsonl:3" in errs[1] and "UTF-8" in errs[1]
    ents = [json.loads(x) for x in out.splitlines()]
    assert {e["doc_id"] for e in ents} == {"a1", "7"}
    assert ("بيروت", "LOC") in [(e["text"], e["type"]) for e in ents]


def test_stdin_text(monkeypatch, capsys):
    import io

    data = "وصل الرئيس الأمريكي دونالد ترامب إلى بكين قادما من طوكيو\n".encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    rc = cli.run(argparse.Namespace(file="-", input_format="text"))
    out, err = capsys.readouterr()
    ents = [json.loads(x) for x in out.splitlines()]
    assert rc == 0 and err == "" and ("بكين", "LOC", "-") in [(e["text"], e["type"], e["doc_id"]) for e in ents]


def test_missing_and_binary_files(tmp_path, capsys):
    rc = cli.run(argparse.Namespace(file=str(tmp_path / "nope.txt"), input_format="text"))
    out, err = capsys.readouterr()
    assert rc == 1 and out == "" and "nope.txt" in err and "no such file" in err
    rc, out, err = _run(tmp_path, capsys, b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text", "img.png")
    assert rc == 1 and out == "" and "img.png" in err and "binary" in err
    assert len(err.strip().split("\n")) == 1


def test_add_parser_registers_ner():
    ap = argparse.ArgumentParser(prog="waqai")
    sub = ap.add_subparsers(dest="command")
    cli.add_parser(sub)
    args = ap.parse_args(["ner", "-", "--input-format", "conll"])
    assert args.file == "-" and args.input_format == "conll" and args.func is cli.run
    assert ap.parse_args(["ner", "x.txt"]).input_format == "text"


# -- against the shared data (skipped when ../shared is absent) ------------------------------------------
@pytest.mark.skipif(not (SHARED / "data" / "ner" / "anercorp-train.txt").exists(), reason="no ../shared data")
def test_dev_split_quality(tagger):
    """The shipped model on its held-out dev split (the last 10% of ANERcorp; docs/ner.md): the document
    path (each sentence's document is the sentences within +-15 of it) at least as good as each sentence
    alone (for the shipped two-stage model: its first stage)."""
    sents = read_conll(SHARED / "data" / "ner" / "anercorp-train.txt")
    dev = sents[len(sents) - len(sents) // 10:]
    tokens = [[w for w, _ in s] for s in dev]

    def f1(tagged):
        tp = ng = npred = 0
        for s, tags in zip(dev, tagged):
            gold = set(spans_from_tags([t for _, t in s]))
            pred = set(spans_from_tags(tags))
            tp += len(gold & pred)
            ng += len(gold)
            npred += len(pred)
        return 2 * tp / (ng + npred)

    document, alone = f1(tagger.tag_document(tokens, window=tagger.document_window)), f1(map(tagger.tag_tokens, tokens))
    assert document >= 0.74 and document >= alone, (document, alone)


def test_repair_bio_turns_a_stray_inside_tag_into_a_beginning():
    from waqai.ner import repair_bio, spans_from_tags

    tags = ["O", "I-PERS", "I-PERS", "I-LOC", "B-ORG", "I-ORG", "I-PERS"]
    fixed = repair_bio(tags)
    assert fixed == ["O", "B-PERS", "I-PERS", "B-LOC", "B-ORG", "I-ORG", "B-PERS"]
    assert spans_from_tags(fixed) == spans_from_tags(tags)  # the same entities, conlleval-style


# -- document-level evidence (first-stage labels elsewhere in the document) -----------------------------
def test_document_features_and_propagation_use_the_rest_of_the_document():
    from waqai.ner.features import doc_features, doc_key, propagate

    sents = [["أعلن", "البنك", "التجاري", "اليوم"], ["وقال", "البنك", "التجاري", "إن"], ["زار", "ترامب", "بكين"]]
    tags = [["O", "B-ORG", "I-ORG", "O"], ["O", "O", "O", "O"], ["O", "B-PERS", "B-LOC"]]
    keys = [[doc_key(t) for t in s] for s in sents]
    assert keys[1][0] == "قال" and doc_key("،") is None and doc_key("2018") is None
    feats = doc_features(keys, tags, None)
    # the second sentence sees the first one's ORG; the first sees only an untagged occurrence
    assert {"d=ORG", "dB=ORG", "de=B-ORG"} <= set(feats[1][1]) and "de=I-ORG" in feats[1][2]
    assert "d=O" in feats[0][1] and not any(f.startswith("de=") for f in feats[0][1])
    assert feats[2] == [[], [], []]  # nothing else in the document names them
    # a sentence never sees its own labels; with a window of 0 the document is the sentence alone
    assert doc_features(keys, tags, 0) == [[[] for _ in s] for s in sents]
    out = propagate(keys, tags, None)
    assert out[1] == ["O", "B-ORG", "I-ORG", "O"] and out[0] == tags[0] and out[2] == tags[2]
    assert propagate(keys, tags, 0) == tags


def test_tag_document_agrees_with_the_sentence_path(tagger):
    sents = [s.split() for s in ("قال الرئيس الأمريكي دونالد ترامب إن الولايات المتحدة ستنسحب .",
                                 "وأعلن البنك التجاري عن أرباحه .", "وقال ترامب في واشنطن .")]
    doc = tagger.tag_document(sents)
    assert [len(t) for t in doc] == [len(s) for s in sents]
    if tagger.document_window is None:  # a sentence-level model: the document changes nothing
        assert doc == [tagger.tag_tokens(s) for s in sents]
    else:  # a document-level model: a sentence alone is a document without evidence elsewhere
        assert all(tagger.tag_document([s]) == [tagger.tag_tokens(s)] for s in sents)
    long = ["ترامب"] * 950  # tagged in windows of 400 tokens, as one sentence
    assert len(tagger.tag_document([long])[0]) == 950


def test_document_level_tagger_path(tmp_path, capsys, monkeypatch):
    """The two-stage + propagation path of Tagger.tag_document, run with the shipped CRF as both stages
    (the second stage ignores the document attributes it has no weight for)."""
    base = resources.files("waqai.resources").joinpath("ner")
    meta = json.loads(base.joinpath("meta.json").read_text(encoding="utf-8"))
    meta["document"] = {"window": 15, "stage2": True, "propagate": True}
    crf = base.joinpath("model.crfsuite").read_bytes()
    s1 = base.joinpath("stage1.crfsuite")
    t = Tagger(crf, base.joinpath("clusters.tsv.gz").read_bytes(),
               base.joinpath("gazetteer.tsv").read_text(encoding="utf-8"), meta,
               stage1_bytes=s1.read_bytes() if s1.is_file() else crf)
    assert t.document_window == 15
    sents = [s.split() for s in ("قال الرئيس الأمريكي دونالد ترامب في واشنطن .", "وقال ترامب إن واشنطن ستنسحب .")]
    tags = t.tag_document(sents)
    assert [len(x) for x in tags] == [len(s) for s in sents]
    assert tags[0][3:5] == ["B-PERS", "I-PERS"] and tags[0][6] == "B-LOC"
    assert t.tag_document(sents, window=0)[0] == tags[0]
    meta["document"]["skip"] = "disagree"  # only sentences the document contradicts are tagged again
    t2 = Tagger(crf, base.joinpath("clusters.tsv.gz").read_bytes(),
                base.joinpath("gazetteer.tsv").read_text(encoding="utf-8"), meta, stage1_bytes=crf)
    assert t2.tag_document(sents) == tags
    # the command line reads a CoNLL file whole for a document-level model; tokens and blank lines kept
    import waqai.ner

    monkeypatch.setattr(waqai.ner, "load_tagger", lambda: t)
    conll = "\n".join(f"{w} O" for w in sents[0]) + "\n\n \tO\n" + "\n".join(sents[1]) + "\n"
    rc, out, _ = _run(tmp_path, capsys, conll, "conll", "doc.conll")
    lines = out.split("\n")
    assert rc == 0 and len(lines) == len(conll.split("\n"))
    assert [ln.split(" ")[0] for ln in lines if ln] == [ln.split(" ")[0] for ln in conll.split("\n") if ln]
    assert lines[3] == "دونالد B-PERS" and lines[len(sents[0]) + 1] == " O"
