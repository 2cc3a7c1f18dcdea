"""Actor mentions and their codes.

Resources (data, not code): not_actors.tsv (regions and phrases that only contain an actor's name),
people.tsv (well-known political people: أردوغان -> TURGOV), countries.tsv (derived names and nisba forms), countries_extra.tsv (variants,
disputed territories, more nisba forms), metonyms.tsv (capitals and seats of power), roles.tsv (role
nouns -> sector), organisations.tsv (IGOs, NGOs and named non-state groups).

Rules (code):
- a role followed by a nisba or a country name is one actor: وزير الخارجية الروسي -> RUSGOV, قوات الأمن
  العراقية -> IRQCOP, وزير خارجية روسيا -> RUSGOV; المتحدث باسم الخارجية الأمريكية -> USAGOV;
- apposition: a person role with its country followed by a name (وزير الخارجية الروسي، سيرجي لافروف)
  registers the name, so that لافروف alone is RUSGOV for the rest of the article;
- counterpart: نظيره / نظيرته / نظراؤه + nisba -> the same sector as the other party, the nisba's country;
- back-reference: الطرفان، الجانبان، البلدان، الوزيران… -> the two parties last named together;
- بلاده / بلادها -> the country of the actor the sentence is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.lexicon import PhraseIndex, key, sentence_readings
from waqai.model import Mention, Sentence, Token
from waqai.resources import load_table, path

BLOC_WORDS = {"غرب", "شرق", "شمال", "جنوب"}  # a bloc (الغرب) only with the article: غرب بغداد is a place
COUNTERPART = {"نظير", "نظيره", "نظراء", "نظرايه"}
BACKREF = {key(w) for w in (
    "الطرفان الطرفين الجانبان الجانبين البلدان البلدين الوزيران الوزيرين الرئيسان الرئيسين الزعيمان "
    "الزعيمين الدولتان الدولتين القائدان القائدين المسؤولان المسؤولين الحكومتان الحكومتين").split()}
# the head noun of a named group, by which the text then refers back to it (الحركة، التنظيم، الجماعة)
ORG_HEADS = {normalize(w) for w in "حركة تنظيم جماعة حزب جبهة ميليشيا مليشيا منظمة".split()}
# the member states of an organisation, between a role and it (قادة دول الاتحاد الأوروبي)
MEMBERS = {normalize(w) for w in "دول بلدان أعضاء".split()}
# the sides of a place: الساحل الغربي is its west coast, not the West
SIDES = {normalize(w) for w in "ساحل جانب ريف شطر قسم جزء طرف حدود مدخل جبهة قطاع شاطئ ضفة بنك ساحلي منطقة".split()}
HIS_COUNTRY = {"بلاد", "دولت", "دوله", "حكومت"}  # بلاده، دولته، حكومته + pronoun suffix
CONNECTORS = {"باسم", "في"}
NAME_STOP = COUNTERPART | BACKREF | {key(w) for w in (
    "قال قالت أكد أكدت أعلن أعلنت أشار أشارت ذكر ذكرت أضاف أضافت أوضح أوضحت صرح صرحت دعا دعت "
    "في من على إلى الى عن مع أن إن ان لا لم لن ما هذا هذه ذلك تلك الذي التي الذين خلال بعد قبل بين "
    "اليوم أمس غدا يوم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت صباح مساء حيث كما و أو "
    "عبر حول ضد منذ حتى لدى عند إثر عقب وفق وفقا بشأن أمام رغم كل بعض جميع إنه انه أنه هو هي هم "
    "الذي وقد قد كان كانت يكون تم جرى وذلك لكن غير سوى نحو").split()}


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str  # country | nisba | metonym | role | org
    country: str | None
    sector: tuple[str, ...]
    code: str | None
    name: str | None = None
    person: bool = False  # role held by one person, who may be named after it
    qualified: bool = False  # counts only with a nisba or country after it (الخارجية الروسية)


def _nisba_forms(form: str) -> list[str]:
    k = key(form)
    forms = [k]
    if k.endswith("ي") and len(k) >= 3:
        forms += [k + "ه", k + "ون", k + "ين", k + "ات", k + "ان", k + "تان", k + "تين"]
    return forms


@lru_cache(maxsize=1)
def actor_index() -> PhraseIndex:
    idx = PhraseIndex()
    seen: dict[tuple[str, ...], Entry] = {}

    def add(phrase: str, entry: Entry, inflect: bool = False) -> None:
        words = phrase.split()
        if not words:
            return
        rest = tuple(key(w) for w in words[1:])
        firsts = _nisba_forms(words[0]) if inflect and not rest else [key(words[0])]
        for f in firsts:
            k = (f, *rest)
            if k in seen:  # the first table wins: organisations, metonyms, countries, roles
                continue
            seen[k] = entry
            idx.add(f, rest, entry)

    for r in load_table("actors/not_actors.tsv"):
        add(r["form"], Entry("none", None, (), None))
    for r in load_table("actors/organisations.tsv"):
        e = Entry("org", r["country"] or None, tuple(s for s in r["sector"].split("|") if s), r["code"], r["name_en"])
        for n in r["names"].split("|"):
            add(n, e)
    for r in load_table("actors/people.tsv"):
        e = Entry("person", r["country"], (r["sector"],) if r["sector"] else (),
                  r["country"] + (r["sector"] or ""), r["name_en"])
        for n in r["names"].split("|"):
            add(n, e)
    for r in load_table("actors/metonyms.tsv"):
        add(r["form"], Entry("metonym", r["country"], (r["sector"],) if r["sector"] else (),
                             r["country"] + (r["sector"] or "")))
    for r in load_table("actors/countries_extra.tsv"):
        kind = "nisba" if r["kind"] == "nisba" else "country"
        add(r["form"], Entry(kind, r["country"], (), r["country"]), inflect=kind == "nisba")
    for r in load_table("actors/countries.tsv"):
        e = Entry("country", r["iso3"], (), r["iso3"])
        for n in r["names_ar"].split("|"):
            add(n, e)
        for n in r["nisbas_ar"].split("|"):
            if n:
                add(n, Entry("nisba", r["iso3"], (), r["iso3"]), inflect=True)
    for r in load_table("actors/roles.tsv"):
        add(r["form"], Entry("role", None, (r["sector"],), r["sector"], person=r["kind"] == "person",
                             qualified=r["kind"] == "qualified"))
    return idx


@dataclass
class Discourse:
    """What the article has established so far: named people and the parties last in focus."""

    aliases: dict[str, Entry] = field(default_factory=dict)  # name key -> entry
    topic: Mention | None = None  # the actor the text is about (last event's actor)
    pair: list[Mention] = field(default_factory=list)  # the last two parties named together


def find_mentions(sentence: Sentence, discourse: Discourse, text: str) -> list[Mention]:
    toks = sentence.tokens
    reads = sentence_readings(sentence)
    idx = actor_index()
    raw: list[tuple[int, int, Entry]] = []
    i = 0
    while i < len(toks):
        hits = idx.match_at(toks, reads, i)
        hit = hits[0] if hits else None
        if hit is None:
            alias = _alias_at(toks, reads, i, discourse)
            if alias:
                raw.append((*alias, ""))
                i = alias[1] + 1
                continue
            i += 1
            continue
        if hit.payload.kind != "none":
            raw.append((hit.first, hit.last, hit.payload, hit.prefix))
        i = hit.last + 1

    mentions: list[Mention] = []
    k = 0
    while k < len(raw):
        first, last, e, prefix = raw[k]
        country, sector, code, kind = e.country, list(e.sector), e.code, e.kind
        # role (+ role | connector role) + nisba/country: one actor
        j = k
        while j + 1 < len(raw) and kind == "role":
            nf, nl, ne, _ = raw[j + 1]
            gap = toks[last + 1: nf]
            if ne.kind == "org" and country is None and ne.country and all(_bare_article(t.norm) in MEMBERS for t in gap) \
                    and not _is_trigger(reads[first]):  # طالب الأمين العام: "demanded", not "student"
                # وزراء خارجية مجموعة السبع، قادة دول الاتحاد الأوروبي: the organisation's own people
                country, code, last, j, kind = ne.country, ne.code, nl, j + 1, "org"
                break
            # a connector (باسم، في) or up to two modifiers (قوات الحرس البحري التونسي) may stand between
            if len(gap) > 2 or any(not _modifier(t) for t in gap) and not (len(gap) == 1 and key(gap[0].text) in CONNECTORS):
                break
            if ne.kind == "nisba" and _definite(toks[nf - 1]) != _definite(toks[nf]):
                break  # an adjective agrees in definiteness: العقيد تركي المالكي is a name, not "Turkish"
            if ne.kind in ("nisba", "country", "metonym") and country is None:
                country, last, j = ne.country, nl, j + 1
                code = (country or "") + "".join(sector)
                kind = "role+country"
                break
            if ne.kind == "role" and country is None:
                if not gap and _definite(toks[last]):
                    break  # السلطات السفير: two definite nouns are two actors; a construct (قوات الأمن) is one
                last, j = nl, j + 1
                continue
            break
        k = j + 1
        if e.kind == "role" and e.qualified and country is None:
            continue
        # a role followed by a known person (الرئيس التركي رجب طيب أردوغان): one actor, the person named
        # so is an office of an organisation followed by its holder (الأمين العام للأمم المتحدة أنطونيو غوتيريش)
        if (kind in ("role", "role+country") or kind == "org" and code and raw[k:k + 1]
                and (raw[k][2].code or "")[:3] == code[:3]) and k < len(raw) and raw[k][2].kind == "person" \
                and raw[k][0] - last <= 2 and all(t.text in ("،", ",") for t in toks[last + 1: raw[k][0]]):
            pf, pl, pe, _ = raw[k]
            if kind == "org":
                m = _mention(kind, first, pl, toks, text, country, sector, code, pe.name)
            else:
                country = country or pe.country
                code = (country or "") + "".join(sector)
                m = _mention("role+country" if country else kind, first, pl, toks, text, country, sector, code,
                             pe.name)
            m.prefix = prefix
            m.person = (pf, pl)
            mentions.append(m)
            k += 1
            continue
        m = _mention(kind, first, last, toks, text, country, sector, code, e.name)
        m.prefix = prefix
        if kind == "org" and code and code.endswith("CLN"):
            # once named, a coalition is "the coalition" (طائرات التحالف، قال التحالف)
            discourse.aliases[normalize("التحالف")] = e
        head = reads[first][0] if kind == "org" and code else None
        if head in ORG_HEADS:  # حركة طالبان … ودعت الحركة: a named group is then "the movement"
            discourse.aliases["ال" + head] = Entry("org", country, tuple(sector), code, e.name)
        if e.kind == "role" and e.person and country:
            span = _name_after(toks, reads, last, idx)
            if span is not None:
                name_first, name_last = span
                name = text[toks[name_first].start: toks[name_last].end]
                m.name = name
                m.end = toks[name_last].end
                m.text = text[m.start: m.end]
                m.last = name_last
                m.person = span
                entry = Entry("person", country, tuple(sector), code, name)
                for t in toks[name_first:name_last + 1]:
                    if len(key(t.text)) >= 3:
                        discourse.aliases[key(t.text)] = entry
                while k < len(raw) and raw[k][0] <= m.last:  # the name's tokens are part of this mention
                    k += 1
        mentions.append(m)

    mentions += _special(toks, reads, mentions, discourse, text)
    mentions.sort(key=lambda m: m.first)
    mentions = [m for m in mentions if not _is_bare_bloc(m, toks) and not _is_place(m, toks)]
    return [m for k, m in enumerate(mentions) if not (k and (_qualifies(mentions[k - 1], m)
                                                                 or _name_word(mentions[k - 1], m, toks)))]


def _name_word(head: Mention, m: Mention, toks: list[Token]) -> bool:
    """A nisba without the article right after a definite role noun cannot be its adjective: it is part of
    a name (العقيد تركي المالكي)."""
    return m.kind == "nisba" and head.kind == "role" and m.first == head.last + 1 \
        and _definite(toks[head.last]) and not _definite(toks[m.first])


def _qualifies(head: Mention, m: Mention) -> bool:
    """A nisba right after an actor that has its own country describes it, it is not another actor:
    ميليشيات الحوثي الإيرانية (Iran-backed Houthis) is the Houthis, حزب الله اللبناني is Hezbollah."""
    return m.kind == "nisba" and head.kind in ("org", "role+country") and head.country is not None \
        and m.first == head.last + 1


LOCATIVE = {normalize(w) for w in "في إلى الى من قرب داخل خارج شمال جنوب شرق غرب وسط أنحاء مدينة العاصمة".split()}


def _bare_article(norm: str) -> str:
    """The noun without و/ف/ب/ل/ك and the article: بالساحل -> ساحل."""
    for p in ("وبال", "وال", "فال", "بال", "لل", "كال", "ال"):
        if norm.startswith(p) and len(norm) - len(p) >= 3:
            return norm[len(p):]
    return norm


def _is_place(m: Mention, toks: list[Token]) -> bool:
    """A capital after a locative cue is where something happened, not who did it: في بغداد، بواشنطن; so is
    the place of a dateline, a capital or a territory (غزة - قصفت…; but "إيران: …" in a headline speaks)."""
    if m.kind == "country" and m.first == 0 and m.last + 1 < len(toks) and toks[m.last + 1].text in ("-", "–", "—"):
        return True
    if m.kind == "nisba" and m.country == "WST" and m.first > 0 and _bare_article(toks[m.first - 1].norm) in SIDES:
        return True  # الساحل الغربي، الجانب الغربي، الريف الغربي: a side, not the West
    if m.kind != "metonym":
        return False
    if "ب" in m.prefix:
        return True
    if m.first == 0 and m.last + 1 < len(toks) and toks[m.last + 1].text in ("-", "–", "—", "(", ":"):
        return True  # the dateline: "بغداد - تظاهر…"
    prev = toks[m.first - 1].norm if m.first > 0 else ""
    return prev in LOCATIVE or (prev[:1] in "وف" and prev[1:] in LOCATIVE)


def _definite(t: Token) -> bool:
    """The word carries the article (السلطات، والسلطات، بالسلطات، للسلطات)."""
    n = t.norm
    return n.startswith(("ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل")) and len(n) > 4


def _modifier(t: Token) -> bool:
    """A word that can stand inside a noun phrase between a role and its nisba: an Arabic word with the
    article, not a function word (الحرس، البحري، العام)."""
    return t.norm.startswith("ال") and t.norm.isalpha() and key(t.text) not in NAME_STOP


def _alias_at(toks, reads, i, discourse: Discourse):
    if not discourse.aliases:
        return None
    definite = toks[i].norm[1:] if toks[i].norm[:1] in "وف" and toks[i].norm[1:3] == "ال" else toks[i].norm
    if definite.startswith("ال") and definite in discourse.aliases:  # the movement, the coalition
        return (i, i, discourse.aliases[definite])
    for s in reads[i]:
        e = discourse.aliases.get(s)
        if e:
            j = i
            while j + 1 < len(toks) and any(r in discourse.aliases for r in reads[j + 1][:1]):
                j += 1
            return (i, j, e)
    return None


def _skip_comma(toks: list[Token], i: int) -> int:
    return i + 1 if i < len(toks) and toks[i].text in ("،", ",", "-", "–") else i


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    return frozenset(path("arabic/common_words.txt").read_text(encoding="utf-8").split())


def _name_after(toks, reads, last, idx) -> tuple[int, int] | None:
    """(first, last) token of a personal name right after a role mention, or None. A modifier of the role
    may come before the comma that opens the name (رئيس الحكومة الأردنية المكلف، عمر الرزاز)."""
    i = _skip_comma(toks, last + 1)
    if i == last + 1 and i + 2 < len(toks) and _modifier(toks[i]) and toks[i + 1].text in ("،", ",") \
            and not idx.match_at(toks, reads, i):
        i = _skip_comma(toks, i + 1)
    start = i
    j = None
    while i < len(toks) and (j is None or i - start < 4):
        t = toks[i]
        if not t.norm.isalpha() or not ("\u0600" <= t.norm[0] <= "\u06ff"):
            break
        r = reads[i]
        if r[0] in NAME_STOP or key(t.text) in NAME_STOP or idx.match_at(toks, reads, i):
            break
        if len(t.norm) <= 5 and any(x in NAME_STOP for x in r[1:]):
            break  # معه، عليه، منها: a preposition with a pronoun, not a name
        if t.norm[:1] in "وبلفك" and t.norm not in common_words() and any(x in common_words() for x in r[1:]):
            break  # بدور، للتعاون: a clitic on a common word, not a name (but كريم، وليد are names)
        if _is_trigger(r):
            break
        j = i
        i += 1
    return None if j is None else (start, j)


def _is_trigger(r) -> bool:
    from waqai.events import trigger_index

    return r[0] in trigger_index()


def _special(toks, reads, mentions, discourse: Discourse, text: str) -> list[Mention]:
    out = []
    taken = {i for m in mentions for i in range(m.first, m.last + 1)}
    for i, r in enumerate(reads):
        if i in taken:
            continue
        rs = set(r)
        if rs & COUNTERPART:
            nxt = next((m for m in mentions if m.first in (i + 1, i + 2) and m.country), None)
            if nxt is not None:
                mentions.remove(nxt)
                m = _mention("counterpart", i, nxt.last, toks, text, nxt.country, nxt.sector, nxt.code, nxt.name)
                if nxt.kind in ("nisba", "country") and nxt.last + 1 < len(toks):
                    span = _name_after(toks, reads, nxt.last, actor_index())
                    if span is not None:
                        m.name = text[toks[span[0]].start: toks[span[1]].end]
                        m.last, m.end = span[1], toks[span[1]].end
                        m.text = text[m.start: m.end]
                        m.person = span
                out.append(m)
        elif toks[i].norm.startswith("ال") and rs & BACKREF and len(discourse.pair) == 2:
            m = _mention("backref", i, i, toks, text, None, [], None, None)
            m.members = list(discourse.pair)
            out.append(m)
        elif rs & HIS_COUNTRY and toks[i].norm[-1] in "هاا":
            # بلاده: the country of the speaker just named (قال لافروف إن بلاده…), else of the topic
            speaker = next((m for m in reversed(mentions) if m.last < i and m.country
                            and m.kind in ("person", "role+country")), None)
            t = speaker or discourse.topic
            if t is not None and t.country:
                out.append(_mention("pronoun", i, i, toks, text, t.country, [], t.country, None))
    return out


def _mention(kind, first, last, toks, text, country, sector, code, name) -> Mention:
    start, end = toks[first].start, toks[last].end
    return Mention(kind=kind, first=first, last=last, start=start, end=end, text=text[start:end],
                   country=country, sector=list(sector), code=code or (country or "") + "".join(sector) or None,
                   name=name)


def _is_bare_bloc(m: Mention, toks: list[Token]) -> bool:
    if m.country != "WST" or m.kind not in ("country", "nisba"):
        return False
    n = toks[m.first].norm
    return key(n) in BLOC_WORDS and not any(n.startswith(p) for p in ("ال", "وال", "بال", "لل", "فال"))




def needs_entities(sentence: Sentence, mentions: list[Mention], trigger_spans: list[tuple[int, int]]) -> bool:
    """True when a verb trigger is followed by a word that no lexicon knows: the actor slot may hold a name
    (واتهم يلدريم حزب العمال…), so the sentence is worth running the NER tagger on."""
    toks = sentence.tokens
    covered = {i for m in mentions for i in range(m.first, m.last + 1)}
    for _, last in trigger_spans:
        j = last + 1
        if j < len(toks) and j not in covered and toks[j].norm.isalpha() and "\u0600" <= toks[j].norm[0] <= "\u06ff" \
                and key(toks[j].text) not in NAME_STOP and toks[j].norm not in common_words():
            return True
    return False


def entity_mentions(sentence: Sentence, mentions: list[Mention], tags: list[str], text: str) -> list[Mention]:
    """Mentions for the people and organisations the NER tagger finds that no lexicon knows: they have no
    code, but they hold their place in the sentence, so that the next known actor is not taken for them."""
    from waqai.ner import spans_from_tags

    covered = {i for m in mentions for i in range(m.first, m.last + 1)}
    toks = sentence.tokens
    out = list(mentions)
    for first, last, typ in spans_from_tags(tags):
        if typ in ("PERS", "ORG") and not any(i in covered for i in range(first, last + 1)):
            m = _mention("entity", first, last, toks, text, None, [], None, None)
            m.name = m.text
            out.append(m)
    out.sort(key=lambda m: m.first)
    return out


# ---- people and organisations an event's sentence names (listed with each event) -------------------------
ENTITY_KINDS = {"person": "PERS", "org": "ORG"}
_CLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")


def entity_form(raw: str, norm: str, article_words: set[str]) -> str:
    """The words of an entity without the clitics written onto its first word: للرئيس -> الرئيس,
    وبالأمم -> الأمم, ولافروف -> لافروف when the article also writes لافروف on its own (a name that begins
    with one of those letters, وليد or بلال, keeps it: the bare rest is not a word of the article)."""
    if norm.startswith("لل") and len(norm) > 4:
        return "ال" + raw[2:]
    for c in _CLITICS:
        rest = norm[len(c):]
        if norm.startswith(c) and len(rest) >= 3 and (rest.startswith("ال") or rest in article_words):
            return raw[len(c):]
    return raw


def named_entities(sentence: Sentence, mentions: list[Mention], tags: list[str], text: str,
                   article_words: set[str]) -> list[dict]:
    """The people and organisations a sentence names, in sentence order: those the tables know (people.tsv,
    organisations.tsv: with their code and name) and the NER tagger's PERS and ORG spans. A tagged name inside
    a coded actor (وزير الخارجية الروسي سيرجي لافروف) carries that actor's code. Each is {"text" (as written),
    "form" (clitics peeled), "type", "start", "end"} with "code" and "name" where known; offsets point into
    the article text. `first`/`last` (token indices) are dropped by the caller before output."""
    from waqai.ner import spans_from_tags

    toks = sentence.tokens
    out: list[dict] = []
    taken: set[int] = set()

    def add(first: int, last: int, typ: str, code: str | None, name: str | None) -> None:
        start, end = toks[first].start, toks[last].end
        first_raw = text[start:toks[first].end]
        form = entity_form(first_raw, toks[first].norm, article_words) + text[toks[first].end:end]
        ent = {"text": text[start:end], "form": form, "type": typ, "start": start, "end": end,
               "first": first, "last": last}
        if code:
            ent["code"] = code
        if name:
            ent["name"] = name
        out.append(ent)
        taken.update(range(first, last + 1))

    for m in mentions:
        if m.person is not None:  # the person a role or an office names is a person, with the actor's code
            add(*m.person, "PERS", m.code, m.name)
        elif m.kind in ENTITY_KINDS:
            add(m.first, m.last, ENTITY_KINDS[m.kind], m.code, m.name)
    for first, last, typ in spans_from_tags(tags):
        if typ not in ("PERS", "ORG") or any(i in taken for i in range(first, last + 1)):
            continue
        # a name inside a coded actor (role + country + name) is that actor
        host = next((m for m in mentions if m.first <= first and last <= m.last and m.code and m.kind != "entity"), None)
        add(first, last, typ, host.code if host and host.kind not in ("country", "nisba", "metonym") else None,
            host.name if host and host.name and typ == "PERS" and host.kind != "org" else None)
    out.sort(key=lambda e: e["start"])
    return out
