"""code_article(article) -> CodedArticle: the order of the stages, nothing else.

read -> clean -> analyse (sentences, tokens) -> actors (mentions; NER where a name may hide)
-> events (triggers, arguments) -> speech acts (what a quote carries that no trigger names)
-> judge (keep or drop each lexicon candidate, confidence) -> when / where -> one record per distinct event.
"""

from __future__ import annotations

from collections import Counter

import hashlib
from datetime import date

from waqai import __version__
from waqai.actors import Discourse, entity_mentions, find_mentions, named_entities, needs_entities
from waqai.arabic import is_arabic_text, normalize, split_sentences, tokenize
from waqai.clean import clean
from waqai.events import Candidate, candidates, find_triggers, speech_sentence
from waqai.judge import judge
from waqai.ner import load_tagger, repair_bio
from waqai.model import Actor, Article, CodedArticle, Event, Mention, Place, Sentence
from waqai.ontology import cameo_info, plover_info
from waqai.parties import choose_parties
from waqai.speech import read_acts, speech_acts
from waqai.when import resolve
from waqai.where import find_places

CODER = f"waqai {__version__}"
# An actor with a sector but no country takes the country of the place the sentence names.
# a body named without a country, in an article about one country, is that country's (الحكومة، الأحزاب)
HOME_SECTORS = {"GOV", "PTY", "LEG", "JUD", "COP", "MIL", "OPP"}
HOME_KINDS = {"country", "nisba", "role+country", "metonym", "person"}
PLACE_COUNTRY_SECTORS = {"CVL", "COP", "MIL", "REB", "UAF", "OPP", "REF", "EDU", "LAB"}
# Institutions that, named without a country as the recipient, belong to the actor's country.
DOMESTIC_SECTORS = {"LEG", "JUD", "OPP", "LAB", "EDU", "BUS", "CVL", "MED", "REL"}
# Visits: the host is the country where they take place, when the sentence names no one else (verbs only:
# the noun زيارته in a sentence whose verb names both parties adds nothing).
VISIT_ENTRIES = {"consult.visit", "consult.arrive"}
# Forces or weapons sent abroad: the country where they are deployed is the recipient (نشرت الإمارات قوات في
# سقطرى), when the sentence names no one else.
DEPLOY_ENTRIES = {"mobilize.deploy", "mobilize.reinforce", "mobilize.weapons", "mobilize.base"}
# Types coded without an actor (the perpetrator is often unreported: مقتل 5 مدنيين في غارة).
ACTORLESS_TYPES = {"ASSAULT", "COERCE", "PROTEST"}
# acts of a state's forces on people in its hands (arrest, trial, curfew): those people are, unless said
# otherwise, of the country where it happens (docs/annotation.md)
DOMESTIC_TARGET_TYPES = {"COERCE"}
# charges, investigations, questioning, trials: the same holds for the people a state's justice pursues
LEGAL_ENTRIES = {"accuse.charge", "accuse.investigate", "accuse.interrogate", "accuse.probe", "accuse.prosecute",
                 "accuse.refer"}
STATE_SECTORS = {"GOV", "COP", "JUD", "MIL", "SPY"}
# whom an event of these types implies when the sentence names nobody, in the country where it happens:
# protesters and the authorities they protest against; the victims of an attack; the authorities that arrest,
# try or detain (an unnamed attacker stays unnamed: the team gold leaves an unknown bomber's country empty)
IMPLIED_PARTY = {"PROTEST": (("actor", "CVL"), ("recipient", "GOV")), "ASSAULT": (("recipient", "CVL"),),
                 "COERCE": (("actor", ""),)}


def analyse(article: Article) -> tuple[str, list[Sentence], list[str]]:
    body, removed = clean(article.text, article.title)
    title = (article.title or "").strip()
    text = f"{title}\n\n{body}" if title else body
    sentences = []
    for start, end in split_sentences(text):
        sentences.append(Sentence(len(sentences), start, end, text[start:end], tokenize(text[start:end], start),
                                  is_title=bool(title) and end <= len(title)))
    return text, sentences, removed


def rule_candidates(text: str, sentences: list[Sentence]):
    """The rule stage alone over an analysed article: (sentence, candidate) in order, each sentence's actors
    found with the discourse so far, the topic being the last candidate's actor. No tagger, no judge, no
    places or dates: what eval/judge/labels-0..21 were drawn from, and how `dump_candidates.py --true-events`
    finds their true events again (the judge now trains on code_article's `judged` candidates)."""
    d = Discourse()
    for s in sentences:
        for c in candidates(s, find_mentions(s, d, text), d.topic):
            yield s, c
            if c.actor:
                d.topic = c.actor[0]


def code_article(article: Article, reference: date | None = None, use_judge: bool = True,
                 merge: bool = True, judged: list | None = None, use_speech: bool | None = None,
                 heard: list | None = None, use_parties: bool | None = None,
                 attributed: list | None = None) -> CodedArticle:
    """Code one article. `reference` is the date relative expressions resolve against when the article
    has no publication date (the CLI passes --published, else today's date). `use_judge=False` turns
    the second-stage judge (waqai.judge) off: the rules alone, more recall and less precision.
    `merge=False` keeps every report of an event (one per trigger), as the attribution scorer needs.
    `judged`, a list, receives (sentence, candidate, publication year) for every candidate that reaches
    the judge, past the date filters and with the tagger's names: what scripts/train_judge.py trains on.
    `use_speech` turns the speech-act stage (waqai.speech, a learned model like the judge) on or off; by
    default it follows `use_judge`, so that the rules alone are the lexicon and the rules. `heard`, a list,
    receives (sentence, mentions, topic) for every sentence that reports speech and is not background, as
    the speech-act stage sees it, whether or not its models read an act there: what
    scripts/train_speech_parties.py trains on. `use_parties` turns on the learned choice of a lexicon event's
    actor and recipient (waqai.parties; by default it follows `use_judge`), and `attributed`, a list,
    receives (sentence, mentions, topic, candidate) for every lexicon candidate that reaches the judge, with
    the rules' parties: what scripts/train_parties.py trains on."""
    use_speech = use_judge if use_speech is None else use_speech
    use_parties = use_judge if use_parties is None else use_parties
    text, sentences, removed = analyse(article)
    warnings = []
    if not text.strip():
        return CodedArticle(article, sentences, [], ["empty text"], text)
    if not is_arabic_text(text):
        return CodedArticle(article, sentences, [], ["not Arabic text: no events coded"], text)
    ref = article.published or reference
    discourse = Discourse()
    dateline = _dateline(sentences)
    events: list[Event] = []
    words = {t.norm for s in sentences for t in s.tokens}
    seen: Counter = Counter()  # countries named so far: the article's own country, when one dominates
    year = article.published.year if article.published else None  # the judge reads a year of its own as news
    for s in sentences:
        mentions = find_mentions(s, discourse, text)
        seen.update(m.country for m in mentions if m.country and m.kind in HOME_KINDS)
        triggers = find_triggers(s)
        acts = read_acts(s) if use_speech else {}  # what a quote carries (waqai.speech), by type
        quiet = not triggers and not acts  # no event word and no act in a quote: the sentence only moves the topic
        listening = heard is not None and speech_sentence(s)
        if quiet and not listening:
            _lead_topic(discourse, mentions)
            continue
        named = mentions
        context = [m.country for m in mentions if m.country]
        places = find_places(s, context + ([dateline.country_code] if dateline and dateline.country_code else []))
        # a nisba that qualifies a place (منتجع جوا الهندي) is not an actor
        mentions = [m for m in mentions if not (m.kind == "nisba" and any(f <= m.first <= l for f, l, _ in places))]
        verbs = [(h.first, h.last) for h, e in triggers if e.pos == "verb"]
        tags = None
        if verbs and needs_entities(s, mentions, verbs):
            # the tagger runs only where a name may hide, and where the sentence reports an event
            tags = _off_triggers(load_tagger().tag_tokens([t.text for t in s.tokens]), triggers)
            mentions = entity_mentions(s, mentions, tags, text)
        cands = candidates(s, mentions, discourse.topic, triggers)
        place = places[0][2] if places else dateline
        resolved = resolve(_mask(s, mentions), ref) if ref else None
        if resolved is not None and article.published is not None and _horizon(resolved, article.published):
            resolved = None  # a later year or month (حتى 2040، بحلول 2030) is a horizon, not the event's date
        background = (resolved is not None and article.published is not None
                      and _off_time(resolved, article.published)) or _pluperfect(s)
        if background:
            cands = []  # an earlier time (في 2016، وكان … قد، آنذاك) is background, a later one (غدا) a plan
        proposed = {c.entry.event_type for c in cands}
        if article.published is not None:
            cands = [c for c in cands if not _earlier_year_near(s, c, article.published)]
        spoken = {}  # the acts a quote carries that no word of the lexicon names, with their model's probability
        topic = discourse.topic  # as the candidates saw it (each event below may move it)
        if listening and not background:
            heard.append((s, mentions, topic))
        if not background:
            for c, p in speech_acts(s, mentions, topic, acts, proposed):
                cands.append(c)
                spoken[id(c)] = p
        for c in cands:
            # the judge scores lexicon candidates; events derived by a rule (+alleged) keep the rule's word, and
            # speech acts their own model's
            judgeable = "+" not in c.entry.id
            if judged is not None and judgeable:
                judged.append((s, c, year))
            if attributed is not None and judgeable:
                attributed.append((s, mentions, topic, c))
            keep, prob = judge(s, c, year) if use_judge and judgeable else (True, spoken.get(id(c)))
            if not keep:
                continue
            if use_parties and judgeable:
                c = choose_parties(s, mentions, topic, c)
            ev = _event(article, text, s, c, place, resolved, ref is not None and article.published is not None,
                        ref, prob, _home(seen))
            if ev is not None:
                if tags is None:
                    tags = _off_triggers(load_tagger().tag_tokens([t.text for t in s.tokens]), triggers)
                ev.entities = _entities(named_entities(s, mentions, tags, text, words), c, s)
                _name_parties(ev)
                events.append(ev)
            _update_discourse(discourse, c)
        if not cands:
            _lead_topic(discourse, named if quiet else mentions)  # a quiet sentence, read only to be heard, as above
    return CodedArticle(article, sentences, _merge(events) if merge else events, warnings + [f"removed {r}" for r in removed], text)


def _off_triggers(tags: list[str], triggers) -> list[str]:
    """An event word is no name, whatever the tagger says (اتصل هاتفيا: هاتفيا tagged as a person)."""
    inside = {i for h, _ in triggers for i in range(h.first, h.last + 1)}
    return repair_bio(["O" if i in inside else t for i, t in enumerate(tags)])


BACKGROUND_WORDS = {"انذاك", "حينها", "حينذاك"}


# a span of years or months behind the news: خلال السنوات الخمس الماضية، في الأعوام الأخيرة، منذ سنوات
SPAN_OPENERS = {normalize(w) for w in "خلال في طيلة طوال مدى منذ".split()}
SPAN_UNITS = {normalize(w) for w in "السنوات الأعوام العقود الأشهر الشهور سنوات أعوام عقود".split()}
SPAN_CLOSERS = {normalize(w) for w in "الماضية الأخيرة الفائتة السابقة المنصرمة".split()}
YEAR_CUES = {normalize(w) for w in "في عام سنة العام منذ خلال".split()}
AGO_UNITS = {normalize(w) for w in "عامين سنتين سنوات أعوام عقدين عقود أشهر شهور".split()}
SAME_YEAR = {normalize(w) for w in "العام السنة عام سنة".split()}
SAME = {normalize(w) for w in "نفسه نفسها ذاته ذاتها".split()}


def _pluperfect(s: Sentence) -> bool:
    """آنذاك/حينها: the sentence recalls an earlier time. (كان … قد + past alone is not enough: "the army had
    killed four of them the day before yesterday" reports an event; its date decides whether it is news.)
    So does a span of years or months (خلال السنوات الخمس الماضية، منذ سنوات): what happened over it is
    a summary, not one event; and "the same year" (في مايو من العام نفسه) tells a story of another year."""
    toks = [t.norm for t in s.tokens]
    if any(t in BACKGROUND_WORDS for t in toks):
        return True
    if any(t in SAME_YEAR and n in SAME for t, n in zip(toks, toks[1:])):
        return True  # في مايو من العام نفسه: a narrative of an earlier year
    for i, t in enumerate(toks[:-1]):
        if t in SPAN_OPENERS or t[1:] in SPAN_OPENERS and t[0] in "وف":
            nxt = toks[i + 1]
            if nxt in SPAN_UNITS and (t.endswith("منذ") and not nxt.startswith("ال")
                                      or any(w in SPAN_CLOSERS for w in toks[i + 2:i + 4])):
                return True
    return False




def _year_cue(tokens, j: int) -> bool:
    """Token j-1 introduces a year: في، عام، منذ… or a month name (نوفمبر 2017، تشرين الثاني/نوفمير 2017)."""
    from waqai.when import month_words

    prev = tokens[j - 1].norm
    if prev == "/" and j > 1:
        prev = tokens[j - 2].norm
    return prev in YEAR_CUES or prev[1:] in YEAR_CUES or prev in month_words() or prev[:-1] in month_words()


def _earlier_year_near(s: Sentence, c: Candidate, published: date) -> bool:
    """An earlier year named in the trigger's own stretch of the sentence (… الاعتداء الذي استهدف سوقا في
    برلين في 2016 وأسفر عن مقتل 12 شخصا، الانقلاب الذي وقع قبل عامين): the event is that year's,
    background to today's news."""
    toks = s.tokens
    lo, hi = max(0, c.first - 8), min(len(toks), c.last + 9)
    ends = [j for j in range(lo, hi) if toks[j].text in (".", "؛", "؟", "!")]
    lo = max([j + 1 for j in ends if j < c.first], default=lo)
    hi = min([j for j in ends if j > c.last], default=hi)
    for j in range(lo, hi):
        n = toks[j].norm
        if len(n) == 4 and n.isdigit() and 1900 < int(n) < published.year and j > 0 and _year_cue(toks, j):
            return True
        if n == "قبل" and j + 1 < hi and toks[j + 1].norm in AGO_UNITS:  # قبل عامين، قبل سنوات
            return True
    return False


FUTURE_WORDS = ("المقبل", "القادم")


def _horizon(resolved, published: date) -> bool:
    """A year or month after the publication's, named as a horizon (حتى 2040، بحلول يونيو 2030), not as
    the time of a planned event (أغسطس المقبل)."""
    if resolved.text.endswith(FUTURE_WORDS):
        return False
    if resolved.precision == "year":
        return resolved.date.year > published.year
    if resolved.precision == "month":
        return (resolved.date.year, resolved.date.month) > (published.year, published.month)
    return False


def _off_time(resolved, published: date) -> bool:
    """True when a sentence's own date lies well before the article's publication date, or after it."""
    if resolved.date > published and resolved.precision == "day":
        return True
    if resolved.precision == "month" and resolved.text.endswith(FUTURE_WORDS) \
            and (resolved.date.year, resolved.date.month) > (published.year, published.month):
        return True  # في أغسطس المقبل: a plan
    if resolved.precision == "year":
        return resolved.date.year < published.year
    if resolved.precision == "month":
        return (published.year - resolved.date.year) * 12 + published.month - resolved.date.month > 1
    return (published - resolved.date).days > 31


def _lead_topic(discourse: Discourse, mentions: list[Mention]) -> None:
    """A sentence with no event still names who the text is about, when it opens with an actor."""
    lead = next((m for m in mentions if m.first <= 3 and m.country and m.kind != "backref"), None)
    if lead is not None:
        discourse.topic = lead


def _mask(s: Sentence, mentions: list[Mention]) -> str:
    """The sentence with actor names blanked, so that a name is never read as a date (روسيا اليوم)."""
    chars = list(s.text)
    for m in mentions:
        for k in range(m.start - s.start, m.end - s.start):
            chars[k] = " "
    return "".join(chars)


def _dateline(sentences: list[Sentence]) -> Place | None:
    for s in sentences[:3]:
        if s.is_title:
            continue
        toks = s.tokens
        if len(toks) > 2 and any(t.text in ("-", "–", "(", ":") for t in toks[1:4]):
            places = find_places(Sentence(s.index, s.start, s.start + len(s.text), s.text,
                                          toks[: next(i for i, t in enumerate(toks) if t.text in ("-", "–", "(", ":"))]),
                                 [], dateline=True)
            if places:
                return places[0][2]
        return None
    return None


def _update_discourse(d: Discourse, c: Candidate) -> None:
    if c.actor:
        d.topic = c.actor[0] if c.actor[0].kind != "backref" else d.topic
    a = _expand(c.actor, d)[:1]
    r = _expand(c.recipient, d)[:1]
    if a and r and a[0].country and r[0].country and a[0].country != r[0].country:
        d.pair = [a[0], r[0]]


def _expand(ms: list[Mention], d: Discourse) -> list[Mention]:
    out = []
    for m in ms:
        out.extend(m.members if m.kind == "backref" else [m])
    return out


def _home(seen: Counter) -> str | None:
    """The country the article is about so far, when it dominates (three fifths of the countries named, at
    least twice): "الحكومة" and "الأحزاب" in an article about Israel are Israel's."""
    if not seen:
        return None
    country, n = seen.most_common(1)[0]
    return country if n >= 2 and n * 5 >= sum(seen.values()) * 3 else None


def _actor(m: Mention, partner: Mention | None, place: Place | None, home: str | None = None) -> Actor:
    sector = list(m.sector)
    country = m.country
    if m.kind == "counterpart":
        sector = list(partner.sector) if partner and partner.sector else ["GOV"]
    if country is None and place and place.country_code and set(sector) & PLACE_COUNTRY_SECTORS:
        country = place.country_code
    if country is None and place is None and home and m.kind == "role" and set(sector) & HOME_SECTORS:
        country = home
    if country is None and partner is not None and partner.country and m.kind == "role" \
            and set(sector) & DOMESTIC_SECTORS:
        # a recipient institution with no country of its own is the actor's (التقى الرزاز رئيسي مجلسي النواب)
        country = partner.country
    if m.kind in ("org",) and m.code:
        code = m.code
    else:
        code = (country or "") + "".join(sector) or (m.code or "")
    return Actor(code=code, country=country, sector=sector, entity_text=m.text, name=m.name)


def _event(article: Article, text: str, s: Sentence, c: Candidate, place: Place | None, resolved, has_published,
           ref, prob: float | None = None, home: str | None = None) -> Event | None:
    actors = c.actor
    recips = c.recipient
    if actors and actors[0].kind == "backref":
        pair = actors[0].members
        actors = [pair[0]]
        if not recips:
            recips = [pair[1]]
    if recips and recips[0].kind == "backref":
        recips = [m for m in recips[0].members if not actors or m.country != actors[0].country][:1]
    partner = actors[0] if actors else None
    # a person or organisation the tagger found but no table knows holds its place, with no code to give
    actor_list = [a for a in (_actor(m, None, place, home) for m in actors) if a.code]
    recip_list = [a for a in (_actor(m, partner, place, home) for m in recips) if a.code]
    if c.entry.event_type not in ACTORLESS_TYPES:
        recip_list = [a for a in recip_list if a.country]
    if actor_list and recip_list and actor_list[0].code == recip_list[0].code and actor_list[0].country:
        recip_list = []
    # protesters, or the victims of an attack, that the sentence does not name take the country where the
    # event happens (docs/annotation.md): protests in Amman are Jordanians', a bomb in Islamabad hits Pakistan
    if place is not None and place.country_code:
        cc, trig = place.country_code, text[s.tokens[c.first].start:s.tokens[c.last].end]
        for role, sector in IMPLIED_PARTY.get(c.entry.event_type, ()):
            who = Actor(code=cc + sector, country=cc, sector=[sector] if sector else [], entity_text=trig)
            if role == "actor" and not any(a.country for a in actor_list):
                actor_list = [who]
            elif role == "recipient" and not any(a.country for a in recip_list):
                recip_list = [who]
    # the people a state's forces arrest, detain, try or expel, when the sentence gives them no country, are
    # the country's where it happens, else the state's own (قضت محكمة مصرية بحبس المستشار…، قُبض عليهم;
    # a state named by its country alone, تعتقل ألمانيا…، ممثلو ادعاء ألمان, acts as one)
    if (c.entry.event_type in DOMESTIC_TARGET_TYPES or c.entry.id in LEGAL_ENTRIES) \
            and not any(a.country for a in recip_list):
        cc = place.country_code if place is not None and place.country_code else next(
            (a.country for a in actor_list if a.country and (set(a.sector) & STATE_SECTORS or not a.sector)), None)
        if cc:
            recip_list = [Actor(code=cc + "".join(a.sector), country=cc, sector=list(a.sector),
                                entity_text=a.entity_text, name=a.name) for a in recip_list] or \
                [Actor(code=cc, country=cc, sector=[], entity_text=text[s.tokens[c.first].start:s.tokens[c.last].end])]
    # a visit or an arrival abroad is with the host country (وصل الرئيس الفرنسي إلى بيروت في زيارة رسمية)
    # and forces deployed abroad are sent to the host country (نشرت الإمارات قوات في سقطرى): its government
    # receives a visit, the country a deployment
    visit = c.entry.id in VISIT_ENTRIES and c.entry.pos == "verb"
    if (visit or c.entry.id in DEPLOY_ENTRIES) and place is not None and place.country_code and not recip_list \
            and any(a.country and a.country != place.country_code for a in actor_list):
        sector = ["GOV"] if visit else []
        recip_list = [Actor(code=place.country_code + "".join(sector), country=place.country_code, sector=sector,
                            entity_text=place.extracted_place)]
    if c.entry.event_type not in ACTORLESS_TYPES and not any(a.country for a in actor_list):
        return None  # who did it is the point of the record: a sector alone (GOV) does not say
    if not actor_list and not recip_list:
        return None
    info = cameo_info(c.entry.cameo)
    p = plover_info(c.entry.event_type)
    if resolved is not None:
        d, precision = resolved.date.isoformat(), resolved.precision
    elif has_published:
        d, precision = ref.isoformat(), "day"
    else:
        d, precision = None, None
    toks = s.tokens
    trig_start, trig_end = toks[c.first].start, toks[c.last].end
    confidence = 0.45 + (0.2 if actor_list else 0) + (0.15 if recip_list else 0) + (0.1 if c.entry.pos == "verb" else 0)
    if s.is_title:
        confidence -= 0.1
    if prob is not None:  # the judge's probability, where the type has a model
        confidence = prob
    ident = hashlib.sha1("|".join([article.id, str(s.index), str(trig_start), c.entry.event_type,
                                   ",".join(a.code for a in actor_list), ",".join(a.code for a in recip_list)]
                                  ).encode()).hexdigest()[:20]
    return Event(
        id=ident, date=d, date_precision=precision, event_type=c.entry.event_type, mode=c.entry.mode,
        context=[x for x in [info.get("plover_context") if info else None] if x],
        actor=actor_list, recipient=recip_list, event_loc=place, cameo=c.entry.cameo,
        goldstein=float(info["goldstein"]) if info else 0.0, quad_class=p["quad_class"],
        text=s.text, text_info={"sequence": s.index, "start": s.start, "end": s.end},
        trigger={"text": text[trig_start:trig_end], "start": trig_start, "end": trig_end},
        cite_info={"doc_id": article.id, "url": article.url, "title": article.title,
                   "publication": article.source, "language": article.language},
        confidence=round(min(confidence, 0.95), 2), coder=CODER, trigger_id=c.entry.id,
    )


def _entities(found: list[dict], c: Candidate, s: Sentence) -> list[dict]:
    """The sentence's people and organisations for one of its events; those inside the event's actor or
    recipient, or named right after it (نظيره الهندي سوبرامانيام جايشانكار), say so ("role")."""
    out = []
    for ent in found:
        ent = dict(ent)
        first, last = ent.pop("first"), ent.pop("last")
        for role, ms in (("actor", c.actor), ("recipient", c.recipient)):
            for m in ms:
                if m.kind == "backref":
                    continue
                apposed = ent["type"] == "PERS" and m.last < first and all(
                    t.text in ("،", ",") for t in s.tokens[m.last + 1:first]) and first - m.last <= 2
                if m.first <= first and last <= m.last or apposed:
                    ent["role"] = role
        out.append(ent)
    return out


def _name_parties(ev: Event) -> None:
    """An actor or recipient the tables name no one for takes the name of the person that is it."""
    for role, parties in (("actor", ev.actor), ("recipient", ev.recipient)):
        people = [e for e in ev.entities if e.get("role") == role and e["type"] == "PERS"]
        if parties and people and parties[0].name is None and len(people) == 1:
            parties[0].name = people[0].get("name") or people[0]["form"]


def _merge(events: list[Event]) -> list[Event]:
    """One record per distinct event of the article: the same type between the same countries, told in the
    headline and again in the body, is one event; the most informative report (dated, placed, body) is kept."""
    best: dict[tuple, Event] = {}
    order: list[tuple] = []
    for e in events:
        k = (e.event_type, tuple(sorted({a.country or a.code for a in e.actor})),
             tuple(sorted({a.country or a.code for a in e.recipient})))
        if k not in best:
            best[k] = e
            order.append(k)
        elif _informative(e) > _informative(best[k]):
            best[k] = e
    # a report that names no recipient adds nothing to one of the same type and actor that does
    with_recipient = {(k[0], k[1]) for k in order if k[2]}
    order = [k for k in order if k[2] or (k[0], k[1]) not in with_recipient]
    return sorted((best[k] for k in order), key=lambda e: (e.text_info["start"], e.trigger["start"]))


def _informative(e: Event) -> tuple:
    return (e.date is not None and e.date_precision == "day", e.event_loc is not None and e.event_loc.resolution > 1,
            e.event_loc is not None, e.confidence, -e.text_info["start"])
