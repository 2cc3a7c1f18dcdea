"""Event triggers and their arguments.

The trigger lexicon (resources/events/triggers.tsv) gives, per entry, verbs (past/present), verbal nouns,
an optional `requires` list, and the PLOVER type, mode and CAMEO code. This module finds triggers in a
sentence, drops negated, hypothetical and embedded (demanded, threatened, promised) ones, and attributes
actor and recipient from the sentence's actor mentions:

- passive with an agent (من قبل / على يد): the agent is the actor, the patient after the verb the recipient;
- subject-first (SVO, headlines): a mention ending just before the verb is the actor;
- verb-first (VSO): the first mention after the verb is the actor, the next one the recipient;
- verbal nouns: an adjectival nisba (غارة إسرائيلية) is the actor; a mention just before (جهود واشنطن لإجبار…) or a possessive suffix (خلال لقائه) gives the
  actor; an agentive genitive after the noun (قصف الجيش) is the actor, any other (مقتل مدنيين) the recipient;
- no subject (pro-drop: وأكد أن…): the actor the article is about;
- reported allegations: a coercive act named by a verbal noun (SANCTION, COERCE, THREATEN: محاولات عزل،
  جهود لإجبار) that a speaker attributes to another party inside أن/إن after a speech verb is coded as the
  speaker's ACCUSE towards that party (a finite verb there is reported news, and stays as it is);
- passive killings: after a killing or wounding verb, a mention that is not an armed or state actor
  (مدنيين، فلسطينيين) is the victim, and the actor comes only from an agent phrase (برصاص، على يد).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from waqai.arabic.normalize import normalize
from waqai.lexicon import Hit, PhraseIndex, key, sentence_readings
from waqai.model import Mention, Sentence
from waqai.actors import common_words
from waqai.resources import load_table


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    event_type: str
    mode: str | None
    cameo: str
    pos: str  # verb | noun | participle (a circumstantial active participle: قال…، منددا بالهجوم)
    requires: frozenset[str]
    excludes: frozenset[str] = frozenset()


@dataclass
class Candidate:
    entry: Trigger
    first: int
    last: int
    actor: list[Mention]
    recipient: list[Mention]
    hit: Hit | None = None


def _past_forms(raw: str) -> list[str]:
    """Third-person past forms of a verb given in the masculine singular (normalised)."""
    p = normalize(raw)
    if raw.endswith("ى"):  # التقى: التقت، التقيا، التقوا
        b = p[:-1]
        return [p, b + "ت", b + "يا", b + "وا"]
    if raw.endswith("ا"):  # دعا: دعت، دعوا
        b = p[:-1]
        return [p, b + "ت", b + "وا", b + "يا", b + "تا"]
    return [p, p + "ت", p + "ا", p + "تا", p + "وا", p + "ن"]  # برأ، قصف: برأت، قصفت


def _present_forms(raw: str) -> list[str]:
    q = normalize(raw)
    if not q or q[0] not in "يتنا":
        return [q] if q else []
    b = q[1:]
    out = [q, "ت" + b]  # no first person (نـ، أ): that is quoted speech, not a report
    if b.endswith(("ي", "و")):  # يلتقي: jussive يلتق (لم يلتق), duals and plurals
        c = b[:-1]
        out += ["ي" + c, "ت" + c, "ي" + c + "ان", "ت" + c + "ان", "ي" + c + "ون", "ي" + c + "ين", "ت" + c + "ين"]
    else:
        out += ["ي" + b + "ان", "ت" + b + "ان", "ي" + b + "ون", "ي" + b + "ن", "ت" + b + "ين"]
    return out


# verbal acts whose active participle, in the accusative, reports the act of the main clause's subject:
# قال الوزير …، منددا بالهجوم / داعيا إلى / متهما إسرائيل / محذرا من عواقب / رافضا
PARTICIPLE_TYPES = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "SUPPORT"}
# before a participle, these make it a predicate or an attribute, not the act of the clause's subject:
# كان معارضا للاتفاق، يعد منتقدا بارزا، أصبح مؤيدا؛ 62 متهما (defendants); 57 صوتا مؤيدا
COPULAS = {normalize(w) for w in (
    "كان كانت كانوا يكون تكون يعد تعد يعتبر تعتبر اعتبر أصبح أصبحت يصبح بات باتت ظل ظلت يظل بقي يبقى "
    "يراه نصب عين عينت").split()}
NUMBER_WORDS = {normalize(w) for w in (
    "عشرات مئات آلاف ألف الف اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة عشر عشرين ثلاثين أربعين "
    "خمسين ستين سبعين ثمانين تسعين مائة مئة").split()}
# generated forms that are, first, words of another sense: ordinals, adjectives, nouns (طالبا "a student",
# مطلبا "a demand", مباشرا "directly", مقدما "in advance", قادما "coming")
NOT_PARTICIPLES = {normalize(w) for w in (
    "ثامنا قادرا قادما واقعا طالبا حاملا رافعا فاتحا طابعا مانعا مطلبا مباشرا مقيما مقدما مستخدما محققا "
    "مقترحا واثقا مرحبا").split()}


def _participle_forms(past: str, present: str) -> list[str]:
    """The masculine accusative (ـا) active participle of a verb given as past/present (normalised): مـ + the
    present stem for the derived forms (يندد → منددا، يتهم → متهما، يستنكر → مستنكرا); for a three-letter past
    also فاعل (رفض → رافضا; دعا → داعيا). Unvocalised, a three-letter past may be either (ندد/يندد is form
    II): both are generated; the wrong one is no word."""
    p, q = normalize(past), normalize(present)
    if not q.startswith("ي") or len(q) < 4:
        return []
    out = []
    if not q.endswith(("و", "ي")):
        out.append("م" + q[1:] + "ا")
    if len(p) == 3 and p.endswith(("ا", "ي")):  # دعا، نفى (normalised ى → ي): داعيا
        out.append(p[0] + "ا" + p[1] + "يا")
    elif len(p) == 3:
        out.append(p[0] + "ا" + p[1:] + "ا")
    return [f for f in out if f not in NOT_PARTICIPLES]


def _noun_forms(n: str) -> list[str]:
    if n.endswith("ه"):
        b = n[:-1]
        return [n, b + "ات", b + "تان", b + "تين"]
    return [n, n + "ات", n + "ان", n + "ين", n + "ون"]


@lru_cache(maxsize=1)
def trigger_index() -> PhraseIndex:
    idx = PhraseIndex()
    for r in load_table("events/triggers.tsv"):
        req = frozenset(key(w) for w in r.get("requires", "").split("|") if w.strip())
        exc = frozenset(key(w) for w in r.get("excludes", "").split("|") if w.strip())
        mode = r.get("mode") or None
        for item in r.get("verbs", "").split(";"):
            if "/" not in item and not item.strip():
                continue
            past, _, present = item.partition("/")
            for form, gen in ((past, _past_forms), (present, _present_forms)):
                words = form.split()
                if not words:
                    continue
                e = Trigger(r["id"], r["event_type"], mode, r["cameo"], "verb", req, exc)
                idx.add(gen(words[0]), tuple(key(w) for w in words[1:]), e)
            if r["event_type"] in PARTICIPLE_TYPES and past.split() and present.split():
                words = present.split()
                forms = _participle_forms(past.split()[0], words[0])
                if forms:
                    e = Trigger(r["id"], r["event_type"], mode, r["cameo"], "participle", req, exc)
                    idx.add(forms, tuple(key(w) for w in words[1:]), e)
        for item in r.get("nouns", "").split(";"):
            words = item.split()
            if not words:
                continue
            e = Trigger(r["id"], r["event_type"], mode, r["cameo"], "noun", req, exc)
            idx.add(_noun_forms(key(words[0])), tuple(key(w) for w in words[1:]), e)
    return idx


# talks whose direct object is the topic (ناقش، بحث، استعرض، تباحث، تفاوض): the partner comes with مع
TOPIC_OBJECT = {"consult.talks", "consult.discuss", "consult.negotiate", "consult.exchange_views", "consult.dialogue"}
DID = {normalize(w) for w in "قام قامت قاموا قامتا قاما يقوم تقوم يقومون".split()}  # قام X بـ…: X did …
RELATIVES = {normalize(w) for w in "الذي التي الذين اللذين اللتين اللذان اللتان".split()}
PREPOSITIONS = {normalize(w) for w in "إلى الى على في من عن مع بعد قبل خلال عبر ضد حول منذ لدى تجاه إزاء بشأن نحو".split()}
_VERB_PREFIXES = {"", "و", "ف", "س", "وس", "فس", "ل", "ول", "فل"}
NEGATORS = {"لم", "لن", "لا", "ليس", "ليست", "عدم", "دون", "بدون", "غير", "ما"}
NEG_EXCEPT = {"سيما", "زال", "يزال", "تزال", "زالت", "بد", "سيم"} | {normalize(w) for w in (
    # ما as "which" before a verb of result (ما أسفر عن مقتل، ما أدى إلى) or of quantity (ما يزيد على ٥٠)
    "أسفر أدى تسبب نجم أوقع خلف يزيد تزيد يقارب يقرب يربو بين").split()}
DENY = {normalize(w) for w in "نفى نفت ينفي تنفي نفي نفيه نفوا ينفون انكر انكرت ينكر انكار انكاره".split()}
HYPO = {normalize(w) for w in (
    "اذا لو حال سوف قد يعتزم تعتزم ينوي تنوي يخطط تخطط المقرر المتوقع يجب ينبغي يمكن يمكنه محتمل "
    "احتمال امكانيه يستعد تستعد يتطلع تتطلع يامل تامل ينتظر تنتظر المنتظر سيتم سيقوم ستقوم سوف").split()}
SPEECH = {normalize(w) for w in (
    "قال قالت اكد اكدت اشار اشارت اعتبر اعتبرت راى رات اوضح اوضحت اضاف اضافت ذكر ذكرت زعم زعمت "
    "صرح صرحت شدد شددت يقول تقول يؤكد تؤكد يرى ترى اعلن اعلنت").split()}
COMPLEMENT = {"ان", "بان", "وان"}
# أنه/إنها…: the complementiser carries the subject of the verb after it, which is the speaker
PRONOUN_COMPLEMENT = {normalize(w) for w in "أنه أنها أنهم أنهما بأنه بأنها بأنهم وأنه وأنها".split()}
AGENT_MARKERS = (("من", "قبل"), ("على", "يد"), ("علي", "يد"), ("على", "ايدي"), ("علي", "ايدي"))
AGENT_WORDS = {"بيد", "برصاص", "بنيران", "بايدي"}  # one-word agent phrases: برصاص الجيش، بنيران القوات
PASSIVE_PRONE = {"assault.kill", "assault.casualty"}
# verbs whose subject is the victim (سقط، لقي، أصيب، جرح)
VICTIM_SUBJECT = {"assault.casualty", "assault.martyr"}  # أصيب…، استشهد…: the subject is the victim
CLAUSE_END = {".", "؛", ":", "؟", "!", "?", ";", "\"", "«", "»"}
# after a comma, these open a new clause with its own subject (…، كما رحبت الجامعة العربية)
CLAUSE_OPENERS = {normalize(w) for w in "كما فيما بينما حيث وذلك لكن لكنه لكنها الا واضاف وقال واكد".split()}
AGENTIVE = {"MIL", "COP", "REB", "UAF", "INS", "SPY", "GOV", "JUD", "CRM"}
GOVERNING = {"REQUEST", "THREATEN", "AGREE", "REJECT"}
# an authority's order (أمرت روسيا بطرد…، أمرت النيابة بحبس…، أمرت المحكمة بالإفراج عن…) is carried out by
# its own organs: the ordered act is the event, the orderer its actor, and the order no REQUEST
ORDER, ORDERED = "request.order", {"SANCTION", "COERCE", "RETREAT", "CONCEDE", "MOBILIZE", "ASSAULT", "AID"}
JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
ALLEGED = {"SANCTION", "COERCE"}
WAS = {normalize(w) for w in "كان كانت وكان وكانت فكان فكانت كانوا وكانوا".split()}
GENERIC = {normalize(w) for w in "مرارا دائما عادة غالبا احيانا".split()}  # not دوما: also Douma  # habitual, not one event
# a definite event noun that happens (وقع الهجوم، اندلعت الاشتباكات) or has a result (أسفر التفجير عن)
OCCURRED = {normalize(w) for w in "وقع وقعت يقع تقع جرى جرت يجري تجري حدث حدثت اندلع اندلعت تجدد تجددت "
            "تواصل تواصلت استمر استمرت نفذ نفذت تم تمت يتم وتم وتمت انطلق انطلقت تصاعد تصاعدت استمرار".split()}
RESULTED = {normalize(w) for w in "اسفر أسفرت يسفر أدى أدت خلف خلفت أوقع أوقعت تسبب تسببت".split()}
EXPOSED = {normalize(w) for w in "تعرض تعرضت يتعرض تتعرض تعرضوا يتعرضون تعرضها تعرضه".split()}
# a verbal noun governed by one of these names a known event, not a new one: جريمة اغتيال الحريري، قضية
# مقتل…، في ذكرى المجزرة، بتهمة القتل (unless the head itself occurs: وقعت جريمة قتل). Not منذ: the news
# labellers count "since the US fired missiles a week ago" (منذ أطلقت) as an event.
CASE_HEADS = {normalize(w) for w in "جريمة جرائم قضية ملف ذكرى تهمة تهم".split()}
# a foiled attack is the attackers' (named after it: هجوما للحوثيين) on those who foiled it (named before)
FOIL = {normalize(w) for w in (
    "أحبط أحبطت يحبط تحبط أفشل أفشلت يفشل تفشل صد صدت يصد تصد أجهض أجهضت يجهض تجهض تصدى تصدت يتصدى تتصدى "
    "إحباط إفشال صد التصدي").split()}


REQUIRES_BEFORE, REQUIRES_AFTER = 4, 15  # the words an entry requires stand this close to its trigger
DAWN = {"فجر", "فجرا"}  # فجر "detonated", or "dawn" before a day word (فجر اليوم)
DAY_WORDS = {normalize(w) for w in (
    "اليوم أمس يوم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت أحد اثنين ثلاثاء أربعاء خميس جمعة سبت "
    "الغد غد").split()}


def _near(reads, first: int, last: int) -> set[str]:
    """The readings of the words around a trigger, where what an entry requires must be: أعلن … سحب
    قواته, not أعلن at the start of a sentence that mentions a withdrawal twenty words later."""
    out: set[str] = set()
    for r in reads[max(0, first - REQUIRES_BEFORE): last + 1 + REQUIRES_AFTER]:
        out.update(r)
    return out


def find_triggers(sentence: Sentence) -> list[tuple[Hit, Trigger]]:
    toks = sentence.tokens
    reads = sentence_readings(sentence)
    idx = trigger_index()
    present = set()
    for r in reads:
        present.update(r)
    out = []
    i = 0
    while i < len(toks):
        hits = idx.match_at(toks, reads, i)
        if i > 0 and toks[i - 1].norm in PREPOSITIONS:  # after a preposition a word is a noun: إلى عزل
            hits = [h for h in hits if h.payload.pos == "noun"] or hits
        chosen = None
        for h in hits:
            e: Trigger = h.payload
            if e.pos == "verb" and h.prefix not in _VERB_PREFIXES:
                continue
            if e.pos == "participle" and (h.prefix not in ("", "و") or h.suffix or not _circumstantial(toks, i)):
                continue
            if h.suffix == "ي":  # اجتماعي is "social", not "my meeting"
                continue
            if e.pos == "verb" and h.suffix == "نا":  # طالبنا: "we demanded", quoted speech
                continue
            if e.pos == "verb" and h.suffix == "ه" and toks[i].text.endswith("ة"):
                continue  # سيطرة is a noun (taa marbuta), not سيطر + ه
            if h.prefix and h.suffix and toks[i].norm in common_words():
                continue  # وزارة is "ministry", not و + زار + ه
            if e.requires and not (e.requires & _near(reads, h.first, h.last)):
                continue
            if e.pos == "noun" and i > 0 and toks[i - 1].norm == "تحت":
                continue  # تحت تهديد السلاح، تحت الضغط: a circumstance, not an event
            if e.pos == "verb" and without_conjunction(toks[i].norm, 4) in DAWN and (
                    toks[i].norm.endswith("ا") or i + 1 < len(toks) and toks[i + 1].norm in DAY_WORDS):
                continue  # فجر اليوم، فجرا: at dawn
            if e.excludes & present:
                continue
            if chosen is None or _more_specific(e, chosen[1]):
                chosen = (h, e)
        if chosen:
            out.append(chosen)
            i = chosen[0].last + 1
        else:
            i += 1
    return out


def _circumstantial(toks, i: int) -> bool:
    """A participle at token i reads as the act of the clause's subject (…، متهما إسرائيل; لافروف متهما
    لندن), not as a predicate (كان معارضا), an attribute of an indefinite noun (أسقفا متهما بالتستر، موقفا
    رافضا) or a counted noun (62 متهما: defendants)."""
    if i == 0:
        return True
    prev = toks[i - 1].norm
    if prev.isdigit() or prev in NUMBER_WORDS or without_conjunction(prev, 3) in NUMBER_WORDS or prev == "صوتا":
        return False
    if any(toks[j].norm in COPULAS or without_conjunction(toks[j].norm, 3) in COPULAS for j in range(max(0, i - 3), i)):
        return False
    return not (prev.endswith("ا") and len(prev) > 2 and not prev.startswith(("ال", "وال", "بال", "لل")))


def _more_specific(a: Trigger, b: Trigger) -> bool:
    """Of two entries that both fire on a word, the one with a condition wins, and of two conditions the
    narrower (fewer alternatives): استدعى + تشاور (recall one's ambassador) beats استدعى + سفير (summon)."""
    if bool(a.requires) != bool(b.requires):
        return bool(a.requires)
    return bool(a.requires) and len(a.requires) < len(b.requires)


def without_conjunction(norm: str, min_len: int) -> str:
    """The word without a leading و/ف conjunction, when it is at least `min_len` letters long."""
    return norm[1:] if norm[:1] in "وف" and len(norm) >= min_len else norm


def _window_before(sentence: Sentence, i: int, n: int, commas: bool = True) -> list[int]:
    """Up to n token indices before i, nearest first, stopping at a clause end (and, with `commas`, at a
    comma)."""
    toks = sentence.tokens
    out = []
    j = i - 1
    while j >= 0 and len(out) < n and toks[j].text not in CLAUSE_END \
            and not (commas and toks[j].text in ("،", ",")):
        out.append(j)
        j -= 1
    return out


def is_speech_verb(norm: str) -> bool:
    """A speech verb (قال، أكد، أعلن…), with or without و/ف before it."""
    return norm in SPEECH or without_conjunction(norm, 4) in SPEECH


def _speech_verb_before(sentence: Sentence, i: int, n: int) -> int | None:
    """The nearest speech verb (قال، أعلن…) at most n words before token i in its clause (commas do not
    end it), else None."""
    toks = sentence.tokens
    return next((j for j in _window_before(sentence, i, n, commas=False) if is_speech_verb(toks[j].norm)), None)


def speech_sentence(sentence: Sentence) -> bool:
    """The sentence reports what someone said: a speech verb (قال، أكد، أضاف…), or a headline that quotes
    (روحاني: …)."""
    toks = sentence.tokens
    if any(is_speech_verb(t.norm) for t in toks):
        return True
    return sentence.is_title and any(t.text in (":", "«", '"') for t in toks)


def is_negated(sentence: Sentence, first: int) -> bool:
    toks = sentence.tokens
    before = _window_before(sentence, first, 4)
    for j in before:
        n = toks[j].norm
        base = without_conjunction(n, 3)
        if (n in NEGATORS or base in NEGATORS) and not (j + 1 < len(toks) and toks[j + 1].norm in NEG_EXCEPT):
            return True
    for j in _window_before(sentence, first, 8):
        n = toks[j].norm
        base = without_conjunction(n, 4)
        if n in DENY or base in DENY:
            return True
    return False


def is_hypothetical(sentence: Sentence, hit: Hit, entry: Trigger) -> bool:
    """Future, conditional, purpose (لاستهداف، للتوصل) and habitual (مرارا) readings: no single event."""
    toks = sentence.tokens
    if entry.pos == "verb" and "س" in hit.prefix and hit.stem[:1] in "يتنا":
        return True
    if any(t.norm in GENERIC for t in toks):
        return True
    for j in _window_before(sentence, hit.first, 4):
        n = toks[j].norm
        base = without_conjunction(n, 3)
        if n == "قد" and any(t.norm in WAS for t in toks[:j]):
            continue  # كان … قد + past: "had done", not "may do"
        if n in HYPO or base in HYPO:
            return True
    return False


def is_purpose(sentence: Sentence, hit: Hit, entry: Trigger) -> bool:
    """A verbal noun that reports no act of its own: لـ + noun is "in order to" (لاستهداف، للتوصل), and a
    definite noun names a topic (الهجوم، الاحتجاجات، المفاوضات), except after تعرض (تعرض لقصف، تعرض
    للهجوم: was shelled), as the subject of an occurrence verb (وقع الهجوم، اندلعت الاشتباكات، تم القبض)
    or of a result (التفجير أسفر عن مقتل…، أوقعت الغارات): then the noun reports the event. A noun governed by a case word
    (CASE_HEADS) is a known event too."""
    toks = sentence.tokens
    if hit.first > 0 and not hit.prefix:  # a verb form here is read as its verbal noun (بتهمة قتل)
        head = toks[hit.first - 1].norm
        while head[:1] in "وفب" and len(head) > 3 and head not in CASE_HEADS:
            head = head[1:]
        if head in CASE_HEADS and not any(
                toks[j].norm in OCCURRED or without_conjunction(toks[j].norm, 4) in OCCURRED
                for j in _window_before(sentence, hit.first - 1, 2)):
            return True
    if entry.pos != "noun" or "ل" not in hit.prefix:
        return False
    if hit.first > 0 and toks[hit.first - 1].norm in EXPOSED:
        return False
    if "ل" not in hit.prefix.replace("ال", ""):  # the article alone (ال، وال، بال): a topic, unless it happens
        before = {w for j in _window_before(sentence, hit.first, 2) for w in (toks[j].norm, without_conjunction(toks[j].norm, 4))}
        after = {w for t in toks[hit.last + 1: hit.last + 4] for w in (t.norm, without_conjunction(t.norm, 4))}
        return not (before & (OCCURRED | RESULTED) or after & RESULTED)  # وأوقعت الغارات…، أسفر الهجوم عن
    return True


def _speech_head(sentence: Sentence, first: int) -> int | None:
    """Index of a speech verb whose أن/إن complement contains token `first`, else None."""
    toks = sentence.tokens
    for j in range(first - 1, -1, -1):
        if toks[j].text in (".", "؛", "؟"):
            return None
        if toks[j].norm in COMPLEMENT or toks[j].norm == "ان" or toks[j].norm == "الي":
            for k in range(j - 1, max(-1, j - 12), -1):
                if is_speech_verb(toks[k].norm):
                    return k
    return None


def first_after(ms: list[Mention], pos: int, limit: int, exclude=()) -> Mention | None:
    for m in ms:
        if m.first > pos and m.first - pos <= limit and m not in exclude:
            return m
    return None


def _agent_marker(sentence: Sentence, start: int) -> int | None:
    toks = sentence.tokens
    for j in range(start, min(len(toks) - 1, start + 12)):
        if toks[j].text in CLAUSE_END:
            return None
        if (toks[j].norm, toks[j + 1].norm) in AGENT_MARKERS:
            return j + 1
        if toks[j].norm in AGENT_WORDS or toks[j].norm[1:] in AGENT_WORDS and toks[j].norm[0] in "وف":
            return j
    return None


def clause_mentions(sentence: Sentence, mentions: list[Mention], first: int, last: int) -> list[Mention]:
    """Mentions of the trigger's clause: from the last clause end or complementiser (أن، إن) before it to
    the next clause end (the speaker of "قالت الأمم المتحدة إن غارات…" is not the raids' actor)."""
    toks = sentence.tokens
    lo, hi = 0, len(toks)
    for j in range(first - 1, -1, -1):
        if toks[j].text in CLAUSE_END or toks[j].norm in COMPLEMENT:
            lo = j + 1
            break
    for j in range(last + 1, len(toks)):
        if toks[j].text in CLAUSE_END or (toks[j].text in ("،", ",") and j + 1 < len(toks)
                                            and toks[j + 1].norm in CLAUSE_OPENERS):
            hi = j
            break
    return [m for m in mentions if m.first >= lo and m.last < hi]


# words that introduce what a protest is against: ضد الحكومة، مناهضة للصين، المعارضين للحكومة، رفضا لزيارة…
TARGET_CUES = {normalize(w) for w in (
    "ضد مناهضة مناهض مناهضين مناهضون المناهضة المناهض المناهضين المناهضون معارضة معارض معارضين معارضون "
    "المعارضة المعارض المعارضين المعارضون رفضا تنديدا").split()}


# who can allege: a government, a person, a country or its capital, an organisation (not a newspaper)
SPEAKER_KINDS = {"role", "role+country", "person", "metonym", "country", "org", "nisba"}
PASSIVE_AUX = {normalize(w) for w in "جرى تم يتم يجري جرت تمت".split()}


def _reported_fact(sentence: Sentence, first: int) -> bool:
    """A speaker reports a fact rather than alleges an act: a passive report (جرى اعتقاله، تم طرده), or a
    sentence that names a year (منذ 2014، عام 2009): a dated fact, told as background."""
    toks = sentence.tokens
    if first > 0 and (toks[first - 1].norm in PASSIVE_AUX or toks[first - 1].norm[1:] in PASSIVE_AUX):
        return True
    return any(len(t.norm) == 4 and t.norm.isdigit() and t.norm[:2] in ("19", "20") for t in toks)


def protest_target(sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """What a protest is against, when a cue word names it (… ضد حكومة البشير، مناهضة للصين): the first
    mention with a country within three words after the cue."""
    for k, t in enumerate(sentence.tokens):
        n = t.norm[1:] if t.norm[:1] in ("و", "ف") and t.norm[1:] in TARGET_CUES else t.norm
        if n not in TARGET_CUES:
            continue
        for m in mentions:
            if 0 < m.first - k <= 3 and m.country:
                return m
    return None


def attribute(sentence: Sentence, hit: Hit, entry: Trigger, mentions: list[Mention], topic: Mention | None):
    """(actor mentions, recipient mentions) for a trigger."""
    toks = sentence.tokens
    ms = clause_mentions(sentence, mentions, hit.first, hit.last)
    before = [m for m in ms if m.last < hit.first]
    actor = recipient = None

    marker = _agent_marker(sentence, hit.last + 1)
    if marker is not None:
        actor = first_after(ms, marker, 4)
        recipient = first_after(ms, hit.last, 10, exclude=(actor,))
        if recipient and actor and recipient.first > actor.first:
            recipient = None
        return _lists(actor, recipient)

    if entry.pos == "participle":  # the main clause's subject acts: its first mention no preposition governs
        subject = next((m for m in mentions if m.last < hit.first and not is_prepositional(sentence, m)), None) or topic
        return _lists(subject, first_after(mentions, hit.last, 10, exclude=(subject,)))

    if entry.pos == "noun" and entry.event_type == "ASSAULT" and any(
            toks[j].norm in FOIL or toks[j].norm[1:] in FOIL and toks[j].norm[0] in "وف"
            for j in _window_before(sentence, hit.first, 4)):
        foiler = [m for m in before if hit.first - m.last <= 4]
        return _lists(first_after(ms, hit.last, 2), foiler[-1] if foiler else None)

    if entry.pos == "noun" and "ب" in hit.prefix.replace("ال", ""):
        # قامت امرأة بلجيكية … بتفجير نفسها، قامت قوات الاحتلال باعتقال…: the doer follows قام
        for j in _window_before(sentence, hit.first, 10):
            if without_conjunction(toks[j].norm, 4) in DID:
                doer = next((m for m in ms if j < m.first and m.last < hit.first), None)
                if doer is not None:
                    return _lists(doer, first_after(ms, hit.last, 10, exclude=(doer,)))
                break
    if entry.pos == "noun":  # an adjectival nisba names the doer: غارة إسرائيلية، ضربة جوية أميركية
        adj = first_after(ms, hit.last, 2)
        if adj is not None and adj.kind == "nisba":
            return _lists(adj, first_after(ms, adj.last, 10, exclude=(adj,)))

    if entry.pos == "verb" and hit.first > 0 and toks[hit.first - 1].norm in PRONOUN_COMPLEMENT:
        speaker = _speaker(sentence, ms, hit.first - 1)
        if speaker is not None:  # قال حلف الأطلسي في أفغانستان إنه قتل…، قال الجيش لرويترز إنه قصف…
            return _lists(speaker, first_after(ms, hit.last, 12, exclude=(speaker,)))

    near = []
    for m in before:
        gap = _unbracketed(toks, m.last + 1, hit.first)
        if len(gap) <= (2 if entry.pos == "verb" else 3) and not any(toks[k].text in ("،", ",") for k in gap) \
                and not is_prepositional(sentence, m):  # انسحابها من الاتفاق مع إيران وإعادة فرض…: not Iran's act
            near.append(m)
    if entry.id in VICTIM_SUBJECT and entry.pos == "verb":
        # أصيب ثلاثة جنود، لقي الصحفي مصرعه، سقط قتلى: the subject is who was hurt, whatever its kind
        return _lists(None, near[-1] if near else first_after(ms, hit.last, 6))
    if near and near[-1].kind != "counterpart":
        actor = near[-1]
        recipient = first_after(ms, hit.last, 12, exclude=(actor,))
        return _lists(actor, recipient)

    after = first_after(ms, hit.last, 6)
    if entry.pos == "noun":
        possessive = toks[hit.first].norm != hit.stem and toks[hit.first].norm.endswith(("ه", "ها", "هم", "هما"))
        if after and after.first - hit.last <= 2 and not possessive and (
                entry.id in PATIENT_NOUNS or after.first > 0 and toks[after.first - 1].norm in TARGET_PREPOSITIONS):
            recipient = after  # فرض العقوبات على النظام الإيراني، مقتل 10 جنود أتراك: the one it is done to
            actor = None
        elif after and after.first - hit.last <= 2 and not possessive:
            if set(after.sector) & AGENTIVE or after.kind in ("org", "metonym", "country", "role+country") and entry.event_type not in ("ASSAULT", "COERCE"):
                actor = after
                recipient = first_after(ms, after.last, 10, exclude=(actor,))
            elif entry.event_type in ("ASSAULT", "COERCE") and (set(after.sector) & AGENTIVE):
                actor = after
            else:
                recipient = after
                actor = topic if possessive else None
        else:
            actor = topic if possessive else None
            recipient = first_after(ms, hit.last, 10)
        return _lists(actor, recipient)

    # verbs: right after a relative pronoun whose head is a mention (بريطانيا، التي حملت روسيا المسؤولية), the
    # head is the subject, unless the verb carries the pronoun of its object (الغارات التي شنتها روسيا)
    rel = hit.first - 1
    if rel >= 1 and toks[rel].norm in RELATIVES and not toks[hit.first].norm.endswith(("ها", "هم", "ه")):
        head = next((m for m in reversed(before) if m.last == rel - 1
                     or m.last == rel - 2 and toks[rel - 1].text in ("،", ",")), None)
        if head is not None:
            return _lists(head, first_after(ms, hit.last, 12))
    # verbs: a subject never follows a preposition (استدعت سفيريها في إسرائيل: the topic recalled them)
    if after is not None and is_prepositional(sentence, after):
        return _lists(topic, after)
    nxt = hit.last + 1
    if nxt < len(toks) and toks[nxt].norm.isdigit():
        # قتل 5 مدنيين: a number right after the verb reads as a passive with its patient
        return _lists(None, first_after(ms, hit.last, 6))
    if after is not None and entry.id in PASSIVE_PRONE and not (set(after.sector) & AGENTIVE) \
            and after.kind not in ("org", "metonym", "role+country"):
        return _lists(None, after)  # قتل ثلاثة فلسطينيين: the victims, the killer unnamed
    if after is not None:
        # X و Y: both do a one-sided act; of a joint one (وقعت الإمارات والهند اتفاقية) Y is the other party
        actors = [after] if entry.event_type in JOINT_TYPES else _conjoined(sentence, ms, after)
        recipient = first_after(ms, actors[-1].last, 12, exclude=tuple(actors))
        if entry.event_type == "REQUEST":  # طلب الجبير، في كلمة أمام الأمم المتحدة، من كندا الاعتذار
            asked = next((m for m in ms if actors[-1].last < m.first <= actors[-1].last + 12
                          and sentence.tokens[m.first - 1].norm == "من"), None)
            recipient = asked or recipient
        return actors, ([recipient] if recipient else [])
    if entry.id in PASSIVE_PRONE:  # وفي ماناغوا قُتل شاب…: a killing verb with no subject after it is passive
        return _lists(None, first_after(ms, hit.last, 12))
    return _lists(topic, first_after(ms, hit.last, 12))


def _speaker(sentence: Sentence, ms: list[Mention], comp: int) -> Mention | None:
    """The subject of the speech verb before the complementiser at `comp` (قال X في بيان إنه…): the first
    mention after the verb that no preposition governs, else one right before the verb (X قال إنه…)."""
    j = _speech_verb_before(sentence, comp, 11)
    return None if j is None else subject_of_speech(sentence, ms, j, comp)


def subject_of_speech(sentence: Sentence, ms: list[Mention], verb: int, end: int) -> Mention | None:
    """Who speaks in the speech verb at token `verb`, whose clause runs to `end` (its complementiser):
    the first mention after the verb that no preposition governs, else one right before it."""
    after = next((m for m in ms if verb < m.first and m.last < end and not is_prepositional(sentence, m)), None)
    if after is not None:
        return after
    return next((m for m in reversed(ms) if m.last < verb and verb - m.last <= 2), None)


def _shared_subject(sentence: Sentence, hit: Hit, entry: Trigger, actor: list[Mention], recipient: list[Mention],
                    svo: tuple[int, list[Mention]] | None) -> tuple[list[Mention], list[Mention]]:
    """روسيا تطرد 60 دبلوماسيا وتغلق القنصلية الأمريكية: a subject put before its verb (svo: that verb's last
    token and its actor) is also the subject of a verb joined to it by و in the same clause; what follows the
    second verb is then its object, not its subject."""
    if svo is None or not hit.prefix.startswith("و") or entry.id in VICTIM_SUBJECT or any(
            sentence.tokens[j].text in CLAUSE_END for j in range(svo[0], hit.first)):
        return actor, recipient
    if actor and actor[0].first <= svo[0]:
        return actor, recipient
    if actor and actor[0].first > hit.last and actor[0].country != svo[1][0].country:
        recipient = actor[:1]
    return list(svo[1]), recipient


def _talk_partner(sentence: Sentence, hit: Hit, mentions: list[Mention], actor: list[Mention]) -> list[Mention]:
    """ناقش وزراء السبع أنشطة إيران: what talks are about is no partner; the partner comes within six words
    after the actor with مع, as a counterpart, or joined by و (else there is none)."""
    end = max([hit.last] + [m.last for m in actor])
    return [m for m in mentions if end < m.first <= end + 6 and m not in actor and is_partner(sentence, m)][:1]


def _claimant(sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """Who claims an attack in the sentence (تبنته حركة طالبان، وأعلن تنظيم داعش مسؤوليته): the first mention
    with a country within four words after a claim verb, or right before مسؤوليته/مسؤوليتها."""
    toks = sentence.tokens
    for k, t in enumerate(toks):
        n = without_conjunction(t.norm, 4)
        if n.startswith("تبن") and len(n) <= 6:
            m = next((m for m in mentions if 0 < m.first - k <= 4 and m.country), None)
            if m is not None:
                return m
        if n.startswith("مسؤوليت") and k > 0:
            m = next((m for m in mentions if 0 < k - m.last <= 2 and m.country), None)
            if m is not None:
                return m
    return None


def is_partner(sentence: Sentence, m: Mention) -> bool:
    """The other party of a talk: after مع (بحث مع نظيره), a counterpart, or joined to the actor by و."""
    prev = sentence.tokens[m.first - 1].norm if m.first > 0 else ""
    return prev in ("مع", "ومع") or m.kind == "counterpart" or (m.prefix or "").startswith("و")


def _unbracketed(toks, lo: int, hi: int) -> list[int]:
    """Indices lo..hi-1 without a day set off by commas (وأعلن الرئيس الأميركي، الثلاثاء، انسحاب بلاده)."""
    out = list(range(lo, hi))
    for k in range(lo, hi - 2):
        if toks[k].text in ("،", ",") and toks[k + 2].text in ("،", ",") and toks[k + 1].norm in DAY_WORDS:
            out = [j for j in out if not k <= j <= k + 2]
    return out


def is_prepositional(sentence: Sentence, m: Mention) -> bool:
    """The mention is the object of a preposition: a word (من، إلى، على) or a proclitic (ب، ل، ك) before it.
    Not في: an unnamed subject in a place (وقعت الأطراف المتحاربة في جنوب السودان) is of that place."""
    prev = sentence.tokens[m.first - 1].norm if m.first > 0 else ""
    return prev in PREPOSITIONS - {"في"} or any(p in (m.prefix or "").replace("ال", "") for p in "بلك")


def _conjoined(sentence: Sentence, ms: list[Mention], head: Mention) -> list[Mention]:
    """The actor and those joined to it by و (هددت فرنسا والولايات المتحدة بضرب دمشق: both threaten,
    Damascus is threatened)."""
    out = [head]
    for m in ms:
        if m.first <= out[-1].last:
            continue
        between = sentence.tokens[out[-1].last + 1: m.first]
        if m.country and (sentence.tokens[m.first].norm.startswith("و") and m.prefix.startswith("و")) \
                and all(t.text in ("،", ",") for t in between) and len(between) <= 1:
            out.append(m)
        else:
            break
    return out


def _lists(actor: Mention | None, recipient: Mention | None):
    return ([actor] if actor else []), ([recipient] if recipient else [])


# استهدف: an attack noun right before it is its subject (غارة إسرائيلية استهدفت…، الهجوم الذي استهدف…)
TARGETING = {"assault.target"}


# nouns whose complement is the one the act is done to, never its doer (مقتل 10 جنود أتراك، اعتقال الصحفي،
# اغتيال القيادي، خطف السياح), where that of هجوم، قصف، غارات is the doer (هجوم المسلحين، غارات التحالف)
PATIENT_NOUNS = {"assault.kill", "assault.assassinate", "assault.abduct", "assault.martyr", "assault.casualty",
                 "coerce.arrest", "coerce.detain", "coerce.detain_maghreb"}


# after an event noun these mark whom it is aimed at (فرض العقوبات على…، هجوم ضد…), where ل marks the doer
# (هجوم لقوات الحكومة) and مع the other side (معارك مع…)
TARGET_PREPOSITIONS = {normalize(w) for w in "على ضد إلى تجاه نحو".split()}


# acts announced together share their doer: أعلن ترامب الانسحاب من الاتفاق وإعادة فرض العقوبات
ANNOUNCING = {"CONCEDE", "SANCTION", "REJECT", "AGREE", "MOBILIZE"}


def _announced_with(sentence: Sentence, verb_end: int, hit: Hit) -> bool:
    """The trigger is joined by و to the act announced before it, ending at `verb_end`, in the same clause,
    at most 12 words on (أعلن … الانسحاب من الاتفاق وإعادة فرض العقوبات)."""
    toks = sentence.tokens
    if not 0 < hit.first - verb_end <= 12 or any(toks[k].text in CLAUSE_END or toks[k].norm in COMPLEMENT
                                                  for k in range(verb_end + 1, hit.first)):
        return False
    return toks[hit.first].norm.startswith("و") or hit.first > 0 and toks[hit.first - 1].norm.startswith("و") \
        and len(toks[hit.first - 1].norm) > 3


def _announcing_force(sentence: Sentence, mentions: list[Mention], hit: Hit) -> Mention | None:
    """An army, police or armed group with a country that announces the killing at `hit` (أعلن الجيش اليمني،
    مقتل…، قالت الشرطة إنها قتلت…): the speech verb at most ten words before, in the same clause, its
    subject the first mention after it."""
    j = _speech_verb_before(sentence, hit.first, 10)
    if j is None:
        return None
    m = next((m for m in mentions if j < m.first and m.last < hit.first), None)
    return m if m is not None and m.country and set(m.sector) & {"MIL", "COP", "REB", "INS"} else None


def _attack_agent(sentence: Sentence, triggers: list[tuple[Hit, Trigger]], n: int,
                  mentions: list[Mention]) -> Mention | None:
    """Who did the attack noun that follows trigger n in its clause (قتل مدني في قصف مدفعي لميليشيات الحوثي،
    في غارة إسرائيلية): a nisba or a ل-mention right after the noun."""
    toks = sentence.tokens
    hit = triggers[n][0]
    for h2, e2 in triggers[n + 1:]:
        if h2.first - hit.last > 12 or any(toks[k].text in CLAUSE_END for k in range(hit.last + 1, h2.first)):
            return None
        if e2.event_type != "ASSAULT" or e2.pos != "noun":
            continue
        m = next((m for m in mentions if h2.last < m.first <= h2.last + 2), None)
        if m is not None and (m.kind == "nisba" or "ل" in (m.prefix or "").replace("ال", "")):
            return m
        return None
    return None


def _attack_targets(sentence: Sentence, triggers: list[tuple[Hit, Trigger]]) -> dict[int, tuple[int, int, bool]]:
    """Trigger index -> (noun's last token, verb's last token, noun definite) for each attack noun and the
    targeting verb whose subject it is, at most three words apart in one clause: both report one attack, on
    the verb's object, by whoever the words between name (غارة إسرائيلية، هجوما لميليشيات الحوثي)."""
    toks = sentence.tokens
    out = {}
    for i, (h, e) in enumerate(triggers):
        if e.event_type != "ASSAULT" or e.pos != "noun":
            continue
        for j, (h2, e2) in enumerate(triggers[i + 1:], i + 1):
            gap = range(h.last + 1, h2.first)
            if e2.id in TARGETING and e2.pos == "verb" and 0 < h2.first - h.last <= 4 and not any(
                    toks[k].text in CLAUSE_END or toks[k].text in ("،", ",") for k in gap):
                out[i] = out[j] = (h.last, h2.last, "ال" in h.prefix)
                break
    return out


def candidates(sentence: Sentence, mentions: list[Mention], topic: Mention | None,
               triggers: list[tuple[Hit, Trigger]] | None = None) -> list[Candidate]:
    out: list[Candidate] = []
    named = {i for m in mentions if m.kind == "org" for i in range(m.first, m.last + 1)}
    # a trigger inside an organisation's name (منظمة حظر الأسلحة الكيميائية) is no event
    triggers = [(h, e) for h, e in (find_triggers(sentence) if triggers is None else triggers)
                if not any(i in named for i in range(h.first, h.last + 1))]
    svo = None  # (trigger end, actor) of the last verb whose subject stands before it
    targets = _attack_targets(sentence, triggers)
    announced = None  # (trigger end, actor) of the last announced act (ANNOUNCING) with an actor
    orders: dict[int, Candidate] = {}  # orders (ORDER) whose acts are coded in their place, by first token
    for n, (hit, entry) in enumerate(triggers):
        if is_negated(sentence, hit.first) or is_hypothetical(sentence, hit, entry):
            continue
        governed, order = False, None
        for prev_hit, prev in triggers[:n]:
            gap = hit.first - prev_hit.last
            if 0 < gap <= 4 and prev.id == ORDER and entry.event_type in ORDERED:
                order = orders.get(prev_hit.first) or next((c for c in out if c.first == prev_hit.first), None)
                continue
            if 0 < gap <= 6 and (prev.event_type in GOVERNING or prev.mode == "allege"):
                governed = True  # طالب بوقف…، هدد بفرض…: the demanded act is not an event
            if 0 < gap <= 3 and entry.pos == "noun" and prev.pos == "verb":
                governed = True  # عقد اجتماعا، شن غارات، ستقاطع المحادثات: the verb's object
            if 0 < gap <= 8 and entry.pos == "noun" and prev.pos == "verb" and prev.event_type == entry.event_type \
                    and not any(sentence.tokens[j].text in CLAUSE_END or sentence.tokens[j].text in ("،", ",")
                                for j in range(prev_hit.last + 1, hit.first)):
                governed = True  # شنت مقاتلات التحالف العربي غارات: the same act, its subject in between
        if governed:
            continue
        actor, recipient = attribute(sentence, hit, entry, mentions, topic)
        if order is not None:  # أمرت روسيا بطرد دبلوماسيين بريطانيين: Russia expels them
            orders[order.first] = order
            if order in out:
                out.remove(order)
            actor = order.actor or actor
            recipient = [m for m in recipient if m not in actor] or [m for m in order.recipient if m not in actor]
        if n in targets:  # غارة إسرائيلية استهدفت مقاتلين…: the verb's object is the target
            noun_end, verb_end, definite = targets[n]
            between = [m for m in mentions if noun_end < m.first and m.last <= verb_end]
            # the raids (الغارات استهدفت): those already told, by the topic; a raid (غارة استهدفت): by no one named
            actor = between[:1] or ([topic] if definite and topic is not None else [])
            recipient = [m for m in [first_after(mentions, verb_end, 10)] if m]
        if entry.pos == "verb":
            actor, recipient = _shared_subject(sentence, hit, entry, actor, recipient, svo)
            if actor and actor[0].last < hit.first:
                svo = (hit.last, actor)
        if (not actor or actor[0] is topic) and announced is not None and _announced_with(sentence, announced[0], hit):
            actor = announced[1]  # أعلن ترامب انسحاب بلاده … وإعادة فرض العقوبات: the announcer's acts
        if actor and entry.event_type in ANNOUNCING:
            announced = (hit.last, actor)
        if entry.id in TOPIC_OBJECT and entry.pos == "verb" and recipient and not is_partner(sentence, recipient[0]):
            recipient = _talk_partner(sentence, hit, mentions, actor)
        if entry.event_type == "ASSAULT" and entry.pos == "verb" and not any(m.country for m in actor):
            agent = _attack_agent(sentence, triggers, n, mentions)
            if agent is not None:  # قتل ثلاثة فلسطينيين في غارة إسرائيلية: the raid's doer did it
                actor = [agent]
                recipient = [m for m in recipient if m is not agent] or [
                    m for m in mentions if hit.last < m.first and m.last < agent.first][:1]
        if entry.id == "assault.kill" and entry.pos == "noun" and not any(m.country for m in actor) and recipient \
                and all(r.country for r in recipient):
            force = _announcing_force(sentence, mentions, hit)
            if force is not None and not any(r.country == force.country and set(r.sector) & set(force.sector)
                                             for r in recipient):
                actor = [force]  # أعلن الجيش اليمني مقتل 20 مسلحا من الحوثيين: the army killed them (not its own)
        if entry.event_type == "ASSAULT" and not any(m.country for m in actor):
            claimant = _claimant(sentence, mentions)
            if claimant is not None and claimant not in recipient:
                actor = [claimant]  # هجوم انتحاري … وتبنته حركة طالبان: who claims it did it
        if entry.event_type == "PROTEST":
            target = protest_target(sentence, mentions)
            if target is not None:  # what the protest is against is never the protester
                recipient = [target]
                actor = [m for m in actor or [] if m.first != target.first]
        head = _speech_head(sentence, hit.first) if entry.event_type in ALLEGED and entry.pos == "noun" else None
        if head is not None and actor and not _reported_fact(sentence, hit.first):
            speaker = first_after(mentions, head, 4) or topic
            if speaker and speaker.country and speaker.country != actor[0].country \
                    and speaker.kind in SPEAKER_KINDS and not set(speaker.sector) & {"MED"}:
                out.append(Candidate(Trigger(entry.id + "+alleged", "ACCUSE", "allege", "112", entry.pos,
                                             entry.requires), hit.first, hit.last, [speaker], actor, hit))
                continue
        if is_purpose(sentence, hit, entry):
            continue
        out.append(Candidate(entry, hit.first, hit.last, actor, recipient, hit))
    return out
