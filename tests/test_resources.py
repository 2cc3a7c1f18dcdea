"""Every resource file loads and is consistent: no conflicting duplicates, every code exists in the
ontology tables, every example sentence is coded as its entry says."""

import math
from collections import defaultdict

import pytest

from waqai.arabic import normalize
from waqai.lexicon import key
from waqai.ontology import cameo_table, plover_table
from waqai.resources import load_table

SECTORS = set("GOV MIL COP JUD LEG OPP REB INS SEP PTY CVL REF BUS MED EDU HLH REL SPY LAB CRM UAF IGO NGO AGR ELI ENV".split())
SPECIAL = {"IMG", "KUR", "WST", "INT"}


def countries() -> set[str]:
    return {r["iso3"] for r in load_table("actors/countries.tsv")}


def org_countries() -> set[str]:
    return {r["country"] for r in load_table("actors/organisations.tsv")}


def phrase_key(form: str) -> tuple:
    return tuple(key(w) for w in form.split())


def test_plover_table_has_16_types():
    assert len(plover_table()) == 16


def test_cameo_table_maps_to_plover_types():
    types = set(plover_table())
    for code, r in cameo_table().items():
        assert r["plover_type"] in types or r["plover_type"] == "" and code.startswith(("01", "02")), code
        float(r["goldstein"])


def test_triggers():
    rows = load_table("events/triggers.tsv")
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    types = plover_table()
    seen_types = set()
    forms = defaultdict(set)
    for r in rows:
        assert r["event_type"] in types, r["id"]
        seen_types.add(r["event_type"])
        assert r["cameo"] in cameo_table(), (r["id"], r["cameo"])
        assert cameo_table()[r["cameo"]]["plover_type"] == r["event_type"], (r["id"], r["cameo"])
        if r["mode"]:
            assert r["mode"] in types[r["event_type"]]["modes"], (r["id"], r["mode"])
        assert r["verbs"] or r["nouns"], r["id"]
        assert r["example"], r["id"]
        for item in r["verbs"].split(";") + r["nouns"].split(";"):
            for f in item.split("/"):
                if f.strip():
                    forms[(normalize(f.strip()), r["requires"])].add(r["event_type"])
    assert seen_types == set(types), set(types) - seen_types
    conflicts = {f: t for f, t in forms.items() if len(t) > 1}
    assert not conflicts, conflicts


def test_roles():
    rows = load_table("actors/roles.tsv")
    by_form = defaultdict(set)
    for r in rows:
        assert r["sector"] in SECTORS, r
        assert r["kind"] in ("person", "group", "qualified"), r
        by_form[phrase_key(r["form"])].add(r["sector"])
    conflicts = {f: s for f, s in by_form.items() if len(s) > 1}
    assert not conflicts, conflicts


def test_organisations():
    rows = load_table("actors/organisations.tsv")
    assert sum(r["sector"] == "IGO" or r["type"] == "igo" for r in rows) >= 60
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    by_name = defaultdict(set)
    valid = countries() | SPECIAL | org_countries()
    for r in rows:
        assert r["country"] in valid, r
        for s in r["sector"].split("|"):
            assert s in SECTORS, r
        for n in r["names"].split("|"):
            by_name[phrase_key(n)].add(r["code"])
    conflicts = {n: c for n, c in by_name.items() if len(c) > 1}
    assert not conflicts, conflicts


@pytest.mark.parametrize("name", ["actors/metonyms.tsv", "actors/countries_extra.tsv"])
def test_country_tables(name):
    valid = countries() | SPECIAL | org_countries()
    by_form = defaultdict(set)
    for r in load_table(name):
        assert r["country"] in valid, r
        if "sector" in r and r["sector"]:
            assert r["sector"] in SECTORS, r
        by_form[phrase_key(r["form"])].add(r["country"])
    conflicts = {f: c for f, c in by_form.items() if len(c) > 1}
    assert not conflicts, conflicts


def test_places():
    iso2 = {r["iso2"] for r in load_table("actors/countries.tsv")}
    coords = {r["iso3166_2"] for r in load_table("places/region_coords.tsv")}
    for r in load_table("places/regions_ar.tsv"):
        assert r["iso3166_2"] in coords, r
    for r in load_table("places/cities_extra.tsv"):
        assert r["country_iso2"] in iso2, r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r
    for r in load_table("places/gazetteer.tsv"):
        assert 1 <= int(r["resolution"]) <= 5


def test_every_trigger_example_is_coded_as_its_entry_says():
    """The lexicon entry itself (rule stage): its example gives an event of its type."""
    from waqai import code_text

    failures = []
    for r in load_table("events/triggers.tsv"):
        events = code_text(r["example"], published="2024-01-01", use_judge=False)
        if not any(e.event_type == r["event_type"] for e in events):
            failures.append((r["id"], r["example"], [(e.event_type, e.trigger_id) for e in events]))
    assert not failures, "\n".join(map(str, failures))


def test_the_judge_was_trained_on_the_shipped_word_clusters():
    """The judge's and the speech-act models' features read the NER tagger's word clusters: rebuilding them
    means retraining both (python scripts/train_judge.py, scripts/train_speech.py), which record the table
    they were trained on."""
    import hashlib

    from waqai.resources import path
    shipped = hashlib.sha256(path("ner/clusters.tsv.gz").read_bytes()).hexdigest()
    for model in ("judge", "speech"):
        assert path(f"{model}/clusters.sha256").read_text(encoding="utf-8").split()[0] == shipped, model


def test_the_judge_keeps_most_lexicon_examples():
    """The examples are plain news sentences: the judge must keep the great majority of them."""
    from waqai import code_text

    rows = load_table("events/triggers.tsv")
    kept = sum(any(e.event_type == r["event_type"] for e in code_text(r["example"], published="2024-01-01"))
               for r in rows)
    assert kept >= 0.85 * len(rows), f"{kept}/{len(rows)}"


def test_people():
    valid = countries() | SPECIAL | org_countries()
    by_name = defaultdict(set)
    for r in load_table("actors/people.tsv"):
        assert r["country"] in valid, r
        assert r["sector"] in SECTORS, r
        assert r["from"].isdigit() and (r["to"] == "" or r["to"].isdigit()), r
        for n in r["names"].split("|"):
            by_name[phrase_key(n)].add((r["country"], r["sector"]))
    conflicts = {n: c for n, c in by_name.items() if len(c) > 1}
    assert not conflicts, conflicts


def test_display_names():
    from waqai.analytics import names, parties

    rows = load_table("actors/display_names.tsv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    for r in rows:
        assert r["code"] in parties() and r["name_ar"] and r["name_en"], r
    shown = names()
    # every party has a display name in both languages, and no Arabic name is empty
    assert all(shown[p]["ar"] and shown[p]["en"] for p in parties() if p in shown)
    assert {"USA", "RUS", "TUR", "PSE", "UNO", "WST"} <= set(shown) and shown["PSE"]["ar"] == "فلسطين"


def test_world_map():
    import json
    import re
    from importlib import resources as ir

    data = json.loads((ir.files("waqai.web") / "static" / "world.json").read_text(encoding="utf-8"))
    assert data["viewBox"] == "0 0 360 180"
    shapes = data["countries"]
    codes = [c["iso3"] for c in shapes]
    assert len(shapes) >= 170 and len(codes) == len(set(codes)) and codes == sorted(codes)
    known = countries() | {"XKX"}
    assert set(codes) <= known, set(codes) - known
    for c in shapes:
        assert re.fullmatch(r"(M[-0-9., L]+Z ?)+", c["d"].replace("\n", " ")), c["iso3"]


def test_the_judge_labels_are_well_formed():
    """eval/judge/labels-*.jsonl (docs/annotation.md): seven keys; actor_ok/recipient_ok null unless the
    candidate is an event (then booleans; the first files, 0-2, leave 29 of them open); no candidate
    labelled twice. The second labellings in eval/judge/agreement/
    label the same candidates as their file, in the same order."""
    import json
    from pathlib import Path

    judge = Path(__file__).resolve().parents[1] / "eval" / "judge"
    keys = {"doc_id", "trigger_start", "event_type", "entry", "event", "actor_ok", "recipient_ok"}
    seen = set()
    for p in list(judge.glob("labels-*.jsonl")) + list(judge.glob("agreement/relabel-*.jsonl")):
        rows = [json.loads(x) for x in open(p, encoding="utf-8") if x.strip()]
        for r in rows:
            assert set(r) == keys, p
            ok = (r["actor_ok"], r["recipient_ok"])
            assert isinstance(r["event"], bool), (p, r)
            if r["event"]:
                assert all(x is None or isinstance(x, bool) for x in ok), (p, r)
                assert p.stem in ("labels-0", "labels-1", "labels-2") or None not in ok, (p, r)
            else:
                assert ok == (None, None), (p, r)
        if p.parent.name == "agreement":
            first = [json.loads(x) for x in open(judge / f"labels-{p.stem.split('-')[1]}.jsonl", encoding="utf-8")]
            assert [(r["doc_id"], r["trigger_start"]) for r in rows] == [(r["doc_id"], r["trigger_start"]) for r in first]
        else:
            for r in rows:
                k = (r["doc_id"], r["trigger_start"], r["event_type"])
                assert k not in seen, (p, k)
                seen.add(k)
    assert len(seen) > 20000


def test_label_agreement_kappa():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "label_agreement", Path(__file__).resolve().parents[1] / "scripts" / "label_agreement.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    # 10 pairs: 8 agree (4 yes, 4 no), 2 disagree; both say yes half the time: po 0.8, pe 0.5, kappa 0.6
    pairs = [(True, True)] * 4 + [(False, False)] * 4 + [(True, False), (False, True)]
    assert abs(m.kappa(pairs) - 0.6) < 1e-9
    assert all(abs(x - 0.8) < 1e-9 for x in m.prf(pairs))  # P, R, F1 of the second against the first


def test_the_team_gold_and_its_second_annotation_are_well_formed():
    """eval/gold/team-{dev,test}.jsonl and eval/gold/agreement/team-dev-2.jsonl (docs/annotation.md): one line
    per article, PLOVER types, codes of the country level, quotes of at most 60 characters (never more of the
    text); the second annotation holds exactly the articles of team-dev; the two halves share no article."""
    import json
    import re
    from pathlib import Path

    from waqai.ontology import plover_table

    root = Path(__file__).resolve().parents[1] / "eval" / "gold"
    types = set(plover_table())
    docs = {}
    for name in ("team-dev", "team-test", "agreement/team-dev-2"):
        lines = [json.loads(x) for x in open(root / f"{name}.jsonl", encoding="utf-8") if x.strip()]
        docs[name] = [x["doc_id"] for x in lines]
        assert len(set(docs[name])) == len(lines) >= 30, name
        for x in lines:
            assert {"doc_id", "events"} <= set(x) <= {"doc_id", "events", "annotator"}, (name, x)
            for e in x["events"]:
                assert e["event_type"] in types and isinstance(e["uncertain"], bool), (name, e)
                assert all(re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", c) for k in ("actor", "recipient") for c in e[k]), (name, e)
                assert len(e.get("quote", "")) <= 60, (name, e)
    assert set(docs["agreement/team-dev-2"]) == set(docs["team-dev"])
    assert not set(docs["team-dev"]) & set(docs["team-test"])


def test_annotation_agreement_scores_one_annotation_against_another():
    """label_agreement.article_agreement: the coder's scorer with one annotation as predictions; an uncertain
    event of the predicting side counts only when asked, one of the gold side never."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "label_agreement", Path(__file__).resolve().parents[1] / "scripts" / "label_agreement.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)

    def ev(t, a, r, u=False):
        return {"event_type": t, "actor": a, "recipient": r, "uncertain": u}
    first = {"d1": {"events": [ev("CONSULT", ["RUS"], ["IND"]), ev("ACCUSE", ["RUS"], ["USA"]),
                               ev("AGREE", ["RUS"], ["IND"], True)]},
             "d2": {"events": []}}
    second = {"d1": {"events": [ev("CONSULT", ["RUS"], ["IND"]), ev("ACCUSE", ["IND"], ["USA"]),
                                ev("AGREE", ["RUS"], ["IND"]), ev("SUPPORT", ["IND"], [], True)]},
              "d2": {"events": [ev("ASSAULT", [], ["SYR"])]}}
    assert m.article_agreement(first, first, "type+actor", True) == [(2, 0, 0), (0, 0, 0)]
    # type: both CONSULT and ACCUSE match, AGREE meets an uncertain gold event (neutral), ASSAULT is false
    assert m.article_agreement(first, second, "type", False) == [(2, 0, 0), (0, 1, 0)]
    # type + actor: the ACCUSE's actor differs; the uncertain SUPPORT is a false positive only when counted
    assert m.article_agreement(first, second, "type+actor", False) == [(1, 1, 1), (0, 1, 0)]
    assert m.article_agreement(first, second, "type+actor", True) == [(1, 2, 1), (0, 1, 0)]


def test_the_recall_audit_is_well_formed():
    """eval/recall/{dev,test} (docs/annotation.md, "The recall audit"): each part's labels (the judge's
    format) and its missed events (one line per article, in the labels' article order); valid types; the two
    halves, the judge's labels and the team gold share no article."""
    import csv
    import json
    from pathlib import Path

    from waqai.ontology import plover_table

    root = Path(__file__).resolve().parents[1] / "eval"
    keys = {"doc_id", "trigger_start", "event_type", "entry", "event", "actor_ok", "recipient_ok"}
    halves = {}
    for half in ("dev", "test"):
        ids = []
        for p in sorted((root / "recall" / half).glob("part-*.labels.jsonl")):
            labels = [json.loads(x) for x in open(p, encoding="utf-8") if x.strip()]
            missed = [json.loads(x) for x in open(p.with_name(p.name.replace(".labels.", ".missed.")), encoding="utf-8")]
            assert all(set(r) == keys and isinstance(r["event"], bool) for r in labels), p
            assert all((r["actor_ok"], r["recipient_ok"]) == (None, None) or r["event"] for r in labels), p
            order = [m["doc_id"] for m in missed]
            assert len(set(order)) == len(order) == 12, p
            seen = [d for i, d in enumerate(r["doc_id"] for r in labels) if i == 0 or labels[i - 1]["doc_id"] != d]
            assert seen == [d for d in order if d in seen], p  # the labels follow the articles' order
            for m in missed:
                assert set(m) == {"doc_id", "missed"}, p
                for x in m["missed"]:
                    assert set(x) == {"sentence", "trigger", "event_type", "actor", "recipient"}, (p, x)
                    assert x["event_type"] in plover_table() and x["trigger"] and x["sentence"] >= 0, (p, x)
            ids += order
        halves[half] = set(ids)
        assert len(ids) == len(halves[half]) == 96
    assert not halves["dev"] & halves["test"]
    judge = {json.loads(x)["doc_id"] for p in (root / "judge").glob("labels-*.jsonl") for x in open(p, encoding="utf-8")}
    gold = {r["doc_id"] for r in csv.DictReader(open(root / "gold" / "sample.tsv", encoding="utf-8"), delimiter="\t")}
    assert not (halves["dev"] | halves["test"]) & (judge | gold)


def test_recall_audit_scorer(tmp_path):
    """The audit's scorer counts (sentence, type) units: a missed event is a false negative, a coded one
    that no label or missed event supports a false positive; the article level counts each type once."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "recall_audit", Path(__file__).resolve().parents[1] / "scripts" / "recall_audit.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    gold = {(0, "CONSULT"), (2, "ACCUSE"), (3, "ACCUSE")}
    pred = {(0, "CONSULT"), (2, "ACCUSE"), (4, "ASSAULT")}
    assert m.compare(gold, pred) == {"tp": 2, "fp": 1, "fn": 1}
    assert m.compare({t for _, t in gold}, {t for _, t in pred}) == {"tp": 2, "fp": 1, "fn": 0}
    assert m._prf(m.compare(gold, pred)) == {"precision": 0.667, "recall": 0.667, "f1": 0.667, "tp": 2, "fp": 1, "fn": 1}
    assert m._prf(m.compare(set(), set()))["f1"] == 0.0
    # a confidence floor keeps the events at or above it: precision rises, recall falls
    rows = m.by_confidence([(gold, {(0, "CONSULT"): 0.95, (2, "ACCUSE"): 0.75, (4, "ASSAULT"): 0.55})])
    kept = {r["min_confidence"]: (r["tp"], r["fp"], r["fn"]) for r in rows}
    assert kept[0.0] == kept[0.5] == (2, 1, 1) and kept[0.6] == kept[0.7] == (2, 0, 1)
    assert kept[0.8] == kept[0.9] == (1, 0, 2)


def test_the_speech_labels_and_models_are_well_formed():
    """eval/speech/labels-*.jsonl (docs/annotation.md, "Speech acts"): five keys, types among the six verbal
    ones, no sentence labelled twice, none from the team gold, the recall audit or the attribution gold; the
    shipped models (speech/weights.tsv) have a threshold for each type they weigh and for no other; the party
    models (speech/party_trees.tsv) split on features the coder makes."""
    import csv
    import json
    from pathlib import Path

    from waqai.resources import load_table, path

    root = Path(__file__).resolve().parents[1] / "eval"
    types = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE", "SUPPORT"}
    seen = set()
    for p in sorted((root / "speech").glob("labels-*.jsonl")):
        for line in open(p, encoding="utf-8"):
            r = json.loads(line)
            assert set(r) == {"doc_id", "sentence", "types", "actor", "recipient"}, p
            assert set(r["types"]) <= types and all(isinstance(r[k], list) for k in ("actor", "recipient")), (p, r)
            assert (r["doc_id"], r["sentence"]) not in seen, (p, r)
            seen.add((r["doc_id"], r["sentence"]))
    assert len(seen) >= 3000
    for p in sorted((root / "speech" / "agreement").glob("relabel-*.jsonl")):  # a second labelling, same sentences
        labels = root / "speech" / f"labels-{p.stem.split('-')[1]}.jsonl"
        first = [json.loads(x) for x in open(labels, encoding="utf-8")]
        second = [json.loads(x) for x in open(p, encoding="utf-8")]
        assert [(r["doc_id"], r["sentence"]) for r in first] == [(r["doc_id"], r["sentence"]) for r in second], p
        assert all(set(r) == {"doc_id", "sentence", "types", "actor", "recipient"} and set(r["types"]) <= types
                   for r in second), p
    docs = {d for d, _ in seen}
    gold = {r["doc_id"] for r in csv.DictReader(open(root / "gold" / "sample.tsv", encoding="utf-8"), delimiter="\t")}
    audit = {json.loads(x)["doc_id"] for p in (root / "recall").glob("*/part-*.missed.jsonl")
             for x in open(p, encoding="utf-8")}
    attribution = {json.loads(x)["doc_id"] for p in (root / "gold").glob("attribution-*.jsonl")
                   for x in open(p, encoding="utf-8")}
    assert not docs & (gold | audit | attribution)
    with path("speech/weights.tsv").open(encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split("\t") == ["event_type", "feature", "weight"]
        weighed = {line.split("\t")[0] for line in f if line.strip()}
    thresholds = {r["event_type"]: float(r["threshold"]) for r in load_table("speech/thresholds.tsv")}
    assert weighed == set(thresholds) and weighed <= types and "ACCUSE" in weighed
    assert all(0 < t < 1 for t in thresholds.values())
    # the party models (speech/party_trees.tsv, scripts/train_speech_parties.py): a speaker and a recipient
    # forest, each splitting on features speech.speaker_features / recipient_features can produce
    roles = shipped_forests("speech/party_trees.tsv", "speech/parties.tsv")
    assert {"rule", "topic"} <= roles["actor"]
    stems = ("bias", "r=", "k=", "prev=", "dist=", "rule", "prep", "first-subject", "next-to-verb", "topic",
             "title", "no-complement", "none-in-clause", "rank=", "pfx=", "n=", "t=", "same", "quoted")
    assert all(x.startswith(stems) for r in roles.values() for x in r), sorted(
        x for r in roles.values() for x in r if not x.startswith(stems))


def shipped_forests(name: str, linear: str) -> dict[str, set[str]]:
    """The features each role's shipped forest splits on, after checking the file (its header, its nodes'
    order, finite leaves, children inside their tree, 100 trees or more per role) and that the linear model
    it replaced is not shipped beside it."""
    from waqai.parties import role_forests
    from waqai.resources import path

    forests = role_forests(name)
    assert not path(linear).exists()  # one model shipped
    assert set(forests) == {"actor", "recipient"} and all(len(f.trees) >= 100 for f in forests.values())
    roles = {}
    for role, forest in forests.items():
        assert math.isfinite(forest.base)
        nodes = [n for t in forest.trees for n in t]
        assert all(math.isfinite(v) for f, v, _ in nodes if f is None)
        assert all(0 < a < len(t) and 0 < p < len(t) for t in forest.trees for f, a, p in t if f is not None)
        roles[role] = {f for f, _, _ in nodes if f is not None}
    return roles


def test_the_party_labels_and_models_are_well_formed():
    """eval/parties/labels-*.jsonl (docs/annotation.md, "Parties"): the attribution gold's keys, codes of the
    country level, no trigger labelled twice, none from the team gold, the recall audit or the attribution gold;
    the shipped models (parties/trees.tsv, scripts/train_parties.py) split on features waqai.parties makes."""
    import csv
    import json
    import re
    from pathlib import Path

    from waqai.ontology import plover_table

    root = Path(__file__).resolve().parents[1] / "eval"
    keys = {"doc_id", "trigger_start", "event_type", "actor", "recipient", "uncertain", "actor_words",
            "recipient_words", "note", "annotator"}
    types = set(plover_table())
    seen = set()
    for p in sorted((root / "parties").glob("labels-*.jsonl")):
        for line in open(p, encoding="utf-8"):
            r = json.loads(line)
            assert set(r) == keys, (p, r)
            assert r["event_type"] in types and isinstance(r["trigger_start"], int), (p, r)
            assert all(re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", c) for k in ("actor", "recipient") for c in r[k]), (p, r)
            key = (r["doc_id"], r["trigger_start"], r["event_type"])
            assert key not in seen, (p, r)
            seen.add(key)
    assert len(seen) >= 1500
    for p in sorted((root / "parties" / "agreement").glob("relabel-*.jsonl")):  # a second labelling, same events
        first = [json.loads(x) for x in open(root / "parties" / f"labels-{p.stem.split('-')[1]}.jsonl", encoding="utf-8")]
        second = [json.loads(x) for x in open(p, encoding="utf-8")]
        key = ("doc_id", "trigger_start", "event_type")
        assert [tuple(r[k] for k in key) for r in first] == [tuple(r[k] for k in key) for r in second], p
        assert all(set(r) == keys for r in second), p
    docs = {d for d, _, _ in seen}
    gold = {r["doc_id"] for r in csv.DictReader(open(root / "gold" / "sample.tsv", encoding="utf-8"), delimiter="\t")}
    audit = {json.loads(x)["doc_id"] for p in (root / "recall").glob("*/part-*.jsonl") for x in open(p, encoding="utf-8")}
    attribution = {json.loads(x)["doc_id"] for p in (root / "gold").glob("attribution-*.jsonl")
                   for x in open(p, encoding="utf-8")}
    assert not docs & (gold | audit | attribution)
    roles = shipped_forests("parties/trees.tsv", "parties/weights.tsv")
    assert {"rule", "none"} <= roles["actor"]
    stems = ("none", "bias", "topic-only", "rule", "other-rule", "topic", "same-as-actor", "side=", "k=", "prev=",
             "pfx=", "e=", "clause", "out-of-clause", "prep", "partner", "speaker", "vg=", "sec=", "title")
    assert all(x.startswith(stems) for r in roles.values() for x in r), sorted(
        x for r in roles.values() for x in r if not x.startswith(stems))


def test_model_weights_are_read_after_their_header(tmp_path, monkeypatch):
    """resources.read_rows, behind the judge's and the speech models' weights: fields split by tabs, blank
    lines skipped, and a file whose header is not the expected one refused with its name."""
    import waqai.resources as res

    (tmp_path / "w.tsv").write_text("feature\tweight\nbias\t0.5\n\nw=x\t-1.25\n", encoding="utf-8")
    (tmp_path / "bad.tsv").write_text("weight\tfeature\n0.5\tbias\n", encoding="utf-8")
    monkeypatch.setattr(res, "path", lambda name: tmp_path / name)
    assert res.read_rows("w.tsv", ["feature", "weight"]) == [["bias", "0.5"], ["w=x", "-1.25"]]
    with pytest.raises(ValueError, match="bad.tsv: the header must be 'feature<TAB>weight'"):
        res.read_rows("bad.tsv", ["feature", "weight"])


def test_the_team_ner_labels_are_well_formed():
    """eval/ner/labels-*.jsonl (docs/ner.md, "Team-labelled news sentences"): ids and BIO tags only, valid
    sequences, no sentence twice, none from an article of the team gold, the recall audit or the attribution
    gold (the coder's evaluations must not read text the tagger was trained on)."""
    import csv
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "eval"
    ok = {"O"} | {f"{p}-{t}" for p in "BI" for t in ("PERS", "LOC", "ORG", "MISC")}

    def read(folder: Path, pattern: str = "labels-*.jsonl") -> set:
        seen = set()
        for p in sorted(folder.glob(pattern)):
            for line in open(p, encoding="utf-8"):
                r = json.loads(line)
                assert set(r) == {"doc_id", "sentence", "tags", "annotator"} and set(r["tags"]) <= ok, (p, r)
                assert all(not t.startswith("I-") or (i and r["tags"][i - 1][2:] == t[2:])
                           for i, t in enumerate(r["tags"])), (p, r)
                assert (r["doc_id"], r["sentence"]) not in seen
                seen.add((r["doc_id"], r["sentence"]))
        return seen

    seen, test = read(root / "ner"), read(root / "ner" / "test")
    assert len(seen) >= 3000 and len(test) >= 600
    # the held-out news sentences (scripts/ner_news_eval.py) come from articles no training sentence comes from
    assert not {d for d, _ in test} & {d for d, _ in seen}
    assert 0 < len(read(root / "ner" / "test" / "agreement", "relabel-*.jsonl")) <= len(test)  # a second labelling
    assert read(root / "ner" / "test" / "agreement", "relabel-*.jsonl") <= test  # of some of them
    # the dev split labelled with the team's brief (label_agreement.py --ner): sentences of ANERcorp's last 10%
    brief = read(root / "ner" / "anercorp-brief")
    assert len(brief) == 411 and all(d == "anercorp-dev" and 3703 <= i < 4114 for d, i in brief)
    seen |= test
    held = {r["doc_id"] for r in csv.DictReader(open(root / "gold" / "sample.tsv", encoding="utf-8"), delimiter="\t")}
    for p in list((root / "recall").glob("*/part-*.jsonl")) + list((root / "gold").glob("attribution-*.jsonl")):
        held |= {json.loads(x)["doc_id"] for x in open(p, encoding="utf-8")}
    assert not {d for d, _ in seen} & held


def test_the_team_ner_labels_fit_their_sentences(shared, tmp_path):
    """scripts/dump_ner.py conll reads each labelled sentence again from the corpus, as `waqai ner` splits and
    tokenises it: one tag per token, or it stops with the sentence named."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "dump_ner.py"
    out = tmp_path / "extra.txt"
    r = subprocess.run([sys.executable, str(script), "conll", "--corpus", str(shared / "news" / "ant-2018.jsonl.gz"),
                        "--out", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    sents = out.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(sents) >= 3000 and all(len(line.split(" ")) == 2 for s in sents[:50] for line in s.split("\n"))


def test_pseudo_labelled_ner_sentences_come_from_unseen_articles(shared, tmp_path):
    """scripts/dump_ner.py pseudo (the self-training experiment, docs/ner.md): CoNLL sentences tagged by the
    shipped tagger, none of them a team-labelled NER sentence, the same for the same N."""
    import subprocess
    import sys
    from pathlib import Path

    from waqai.ner import ENTITY_TYPES

    tags = {"O"} | {f"{p}-{t}" for p in "BI" for t in ENTITY_TYPES}

    root = Path(__file__).resolve().parents[1]
    outs = []
    for k in range(2):
        out = tmp_path / f"pseudo-{k}.txt"
        r = subprocess.run([sys.executable, str(root / "scripts" / "dump_ner.py"), "pseudo", "--n", "3", "--corpus",
                            str(shared / "news" / "ant-2018.jsonl.gz"), "--out", str(out)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    sents = [s.split("\n") for s in outs[0].strip().split("\n\n")]
    assert len(sents) == 3 and all(8 <= len(s) <= 60 for s in sents)
    assert all(line.split(" ")[1] in tags for s in sents for line in s)
    flat = {" ".join(line.split(" ")[0] for line in s) for s in sents}
    sys.path.insert(0, str(root / "scripts"))
    from dump_ner import team_sentences
    assert not flat & {" ".join(t for t, _ in s) for s in team_sentences(shared / "news" / "ant-2018.jsonl.gz")}


def test_each_team_ner_sentence_comes_with_its_article(shared):
    """dump_ner.team_sentences(contexts=…) gives each labelled sentence its article's sentences and its place
    there (the document the second NER stage is trained with, scripts/train_ner.py)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "dump_ner", Path(__file__).resolve().parents[1] / "scripts" / "dump_ner.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    contexts: list = []
    sents = m.team_sentences(shared / "news" / "ant-2018.jsonl.gz", contexts=contexts)
    assert len(contexts) == len(sents) >= 3000
    assert all(doc[pos] == [t for t, _ in s] for s, (doc, pos) in zip(sents, contexts))
    assert sum(len(doc) > 1 for doc, _ in contexts) > 0.9 * len(contexts)


def test_the_tagger_on_held_out_news(shared):
    """scripts/ner_news_eval.py: the shipped tagger on the team-labelled news sentences of eval/ner/test/ (never
    trained on), each sentence alone and with its article as the document (docs/ner.md)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "ner_news_eval.py"
    r = subprocess.run([sys.executable, str(script), "--json", "--corpus", str(shared / "news" / "ant-2018.jsonl.gz")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["sentences"] >= 600 and res["document"]["overall"]["gold"] > 1000
    assert res["alone"]["overall"]["F1"] >= 0.8 and res["document"]["overall"]["F1"] >= 0.8, res
    for part in ("alone", "document"):  # the interval brackets the figure
        lo, hi = res[part]["overall"]["ci95"]
        assert lo < res[part]["overall"]["F1"] < hi, res[part]
    # the dev split's figure, as train_ner.py reports it, with its interval over blocks of sentences
    r = subprocess.run([sys.executable, str(script), "--json", "--anercorp-dev", "--data", str(shared)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    dev = json.loads(r.stdout)["overall"]
    assert dev["gold"] == 1082 and dev["ci95"][0] < dev["F1"] < dev["ci95"][1], dev
