"""The fusion rules, as pure functions (waqai.fuse)."""

from waqai.fuse import Report, block_key, content_hash, fuse, groups, signature, similarity


def rep(i, group=None, date="2023-05-04", place=None, published=None, source=None, conf=0.5):
    return Report(id=f"m{i}", article_id=f"a{i}", group=group or f"a{i}", published=published or date,
                  source=source or f"s{i}", event_type="CONSULT", actors=("RUS",), recipients=("IND",), date=date,
                  date_precision="day", place_country=place, place_resolution=1 if place else 0, confidence=conf)


def ids(events):
    return sorted(sorted(r.id for r in e.reports) for e in events)


def test_reports_within_a_day_are_one_event():
    ev = fuse([rep(1), rep(2, date="2023-05-05"), rep(3, date="2023-05-03")])
    assert ids(ev) == [["m1", "m3"], ["m2"]]  # an event spans one day from its first date, no more
    ev = fuse([rep(1), rep(2, date="2023-05-05")])
    assert ids(ev) == [["m1", "m2"]]
    assert ev[0].n_sources == 2 and ev[0].n_articles == 2


def test_days_apart_are_two_events_and_no_chaining():
    assert ids(fuse([rep(1), rep(2, date="2023-05-07")])) == [["m1"], ["m2"]]
    # 4th, 5th, 6th: the 6th is two days after the event's first date, so it starts a new event
    assert ids(fuse([rep(1), rep(2, date="2023-05-05"), rep(3, date="2023-05-06")])) == [["m1", "m2"], ["m3"]]


def test_places_must_agree():
    assert ids(fuse([rep(1, place="IND"), rep(2, place="RUS")])) == [["m1"], ["m2"]]
    assert ids(fuse([rep(1, place="IND"), rep(2), rep(3, place="IND")])) == [["m1", "m2", "m3"]]


def test_copies_are_one_event_whatever_their_dates():
    ev = fuse([rep(1), rep(2, group="a1", date="2023-05-09", published="2023-05-09")])
    assert ids(ev) == [["m1", "m2"]]
    assert (ev[0].first_seen, ev[0].last_seen) == ("2023-05-04", "2023-05-09")


def test_fusion_ignores_order_and_prefers_informative_report():
    rs = [rep(1, conf=0.4), rep(2, place="IND", conf=0.3), rep(3, date="2023-05-05")]
    a, b = fuse(rs), fuse(list(reversed(rs)))
    assert [e.id for e in a] == [e.id for e in b] and a[0].best.id == "m2"
    undated = rep(4, date=None)
    assert ids(fuse([undated, rep(5, date=None)])) == [["m4"], ["m5"]]


def test_groups_are_components_named_by_earliest():
    links = {"x": {"y"}, "y": {"x", "z"}, "z": {"y"}, "w": set()}
    order = {"x": ("2023-05-03", "x"), "y": ("2023-05-01", "y"), "z": ("2023-05-02", "z"), "w": ("2023-05-01", "w")}
    assert groups(links, order) == {"x": "y", "y": "y", "z": "y", "w": "w"}


def test_block_key_and_hashes():
    assert block_key("CONSULT", ["RUS"], ["IND", "IND"]) == "CONSULT|RUS|IND"
    assert content_hash("قال الرئيس: «نعم»") == content_hash("قال  الرئيس نعم")
    text = " ".join(f"كلمة{i}" for i in range(200))
    assert signature("قصير جدا") is None
    assert similarity(signature(text), signature(text)) == 1.0
    assert similarity(signature(text), signature(text.replace("كلمة5 ", "تغيير "))) >= 0.8
    assert similarity(signature(text), signature(" ".join(f"عبارة{i}" for i in range(200)))) < 0.2
