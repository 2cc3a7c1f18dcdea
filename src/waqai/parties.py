"""Parties: the learned choice of a lexicon event's actor and recipient among the actors its sentence names.

The rules of waqai.events.attribute read who did what from the sentence's shape (the subject before or after
the verb, من قبل، a nisba after an attack noun, a counterpart…) and give one answer. This stage scores every
actor the sentence names with a country, the discourse's topic and "no one named", with two models
(scripts/train_parties.py, trained on the actor and recipient codes annotators gave to true events of the
judge's labels, eval/parties/; gradient-boosted trees since session 13, a Forest here, and logistic weights
before): the rules' answer is one feature among where each mention stands against the trigger, the
preposition or clitic before it, its kind and sector, crossed with the event's type and the trigger's part
of speech. Where the best scored actor is of the rules' actor's country, the rules' answer
(which may hold several actors, a counterpart, both parties of الطرفان) is kept as it is; otherwise the
model's choice replaces it. Without the model file the rules' answer stands.
"""

from __future__ import annotations

from functools import lru_cache

from waqai.events import (AGENT_MARKERS, AGENT_WORDS, PREPOSITIONS, VICTIM_SUBJECT, Candidate, clause_mentions,
                          is_partner, is_prepositional, is_speech_verb, subject_of_speech, without_conjunction)
from waqai.model import Mention, Sentence
from waqai.resources import path, read_rows, role_weights

MODEL = "parties/weights.tsv"  # a linear model (train_parties.py --model linear)
FORESTS = "parties/trees.tsv"  # gradient-boosted trees (the default): used when shipped
NONE = None  # the "no one named" choice
# the agent phrases of events.attribute (من قبل، على يد، برصاص…): the doer follows their last word
AGENT_CUES = {last for _, last in AGENT_MARKERS} | AGENT_WORDS
SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "INS", "UAF", "CVL", "REF", "MED", "IGO", "NGO", "SPY",
           "PTY", "BUS", "CRM"}


def _country(m: Mention) -> str | None:
    if m.kind == "backref":
        return next((x.country for x in m.members if x.country), None)
    return m.country


def countries(m: Mention) -> set[str]:
    """The countries a mention stands for (both members of الطرفان)."""
    if m.kind == "backref":
        return {x.country for x in m.members if x.country}
    return {m.country} if m.country else set()


def party_candidates(mentions: list[Mention], topic: Mention | None,
                     exclude: Mention | None = None) -> list[Mention | None]:
    """The choices: each mention the sentence names with a country (but `exclude`), the topic when the
    sentence names nothing of its country, and None (no one named)."""
    out: list[Mention | None] = [m for m in mentions if countries(m) and m is not exclude]
    if topic is not None and topic is not exclude and _country(topic) and all(
            _country(m) != _country(topic) for m in mentions):
        out.append(topic)
    return out + [NONE]


def _verb_gender(norm: str) -> str:
    """The subject agreement a verb shows: 'pl' (…وا), 'f' (past …ت, present ت…), else 'm'."""
    w = without_conjunction(norm, 5)
    if w.endswith("وا"):
        return "pl"
    return "f" if w.endswith("ت") or w.startswith("ت") else "m"


def _gender(m: Mention) -> str:
    """A mention's grammatical gender as a subject: countries and capitals are feminine, and so is a head
    noun in ة (الحكومة، الشرطة، قوات)."""
    head = (m.text.split() or [""])[0]
    return "f" if m.kind in ("country", "metonym") or head.endswith(("ة", "ات")) else "m"


def _bucket(d: int) -> str:
    return "0" if d <= 1 else "1" if d <= 3 else "2" if d <= 6 else "3" if d <= 12 else "4"


def features(s: Sentence, mentions: list[Mention], topic: Mention | None, c: Candidate, m: Mention | None,
             role: str, actor: Mention | None = None) -> list[str]:
    """What tells the `role` ("actor" or "recipient") of candidate `c` among the choices: for a mention, where
    it stands against the trigger (side, distance, rank, clause), the preposition or clitic before it (and
    whether it reads as the other party of a talk: after مع، a counterpart, joined by و), its
    kind and sectors, whether the rules chose it (for either role), and these crossed with the event's type
    and the trigger's part of speech; for the recipient, whether it shares the chosen actor's country."""
    t, pos, toks = c.entry.event_type, c.entry.pos, s.tokens
    rule = (c.actor if role == "actor" else c.recipient)[:1]
    other = (c.recipient if role == "actor" else c.actor)[:1]
    if m is NONE:
        f = ["none", f"none|t={t}", f"none|pos={pos}", f"none|t={t}|pos={pos}"]
        if not rule:
            f += ["none|rule", f"none|rule|t={t}"]
        elif not countries(rule[0]):
            f += ["none|rule-no-country"]
        f += ["none|title"] if s.is_title else []
        return f
    named = any(m is x for x in mentions)
    chosen = bool(rule) and rule[0] is m
    f = ["bias" if named else "topic-only"]
    if chosen:
        f += ["rule", f"rule|t={t}", f"rule|pos={pos}"]
    elif rule and countries(rule[0]) & countries(m):
        f += ["rule-country"]
    if other and other[0] is m:
        f += ["other-rule", f"other-rule|t={t}"]
    if topic is not None and countries(topic) & countries(m):
        f += ["topic", f"topic|t={t}"]
    if role == "recipient" and actor is not None and countries(actor) & countries(m):
        f += ["same-as-actor", f"same-as-actor|t={t}"]
    if not named:
        return f + [f"topic-only|t={t}", f"topic-only|pos={pos}"]
    side = "before" if m.last < c.first else "after" if m.first > c.last else "in"
    gap = c.first - m.last if side == "before" else m.first - c.last if side == "after" else 0
    prev = toks[m.first - 1].norm if m.first > 0 else "^"
    prev = prev if prev in PREPOSITIONS or prev in AGENT_CUES else "w"
    clitics = "".join(ch for ch in (m.prefix or "").replace("ال", "") if ch in "بلكو")
    ranked = [x for x in mentions if countries(x)]
    if side == "after":
        rank = [x for x in ranked if x.first > c.last].index(m)
    elif side == "before":
        rank = [x for x in reversed(ranked) if x.last < c.first].index(m)
    else:
        rank = 0
    rank_s = str(min(rank, 2))
    clause = any(m is x for x in clause_mentions(s, mentions, c.first, c.last))
    f += [f"side={side}", f"side={side}|pos={pos}", f"side={side}|t={t}", f"side={side}|d={_bucket(gap)}",
          f"side={side}|rank={rank_s}", f"side={side}|rank={rank_s}|pos={pos}", f"side={side}|rank={rank_s}|t={t}",
          f"k={m.kind}", f"k={m.kind}|side={side}", f"prev={prev}", f"prev={prev}|side={side}", f"pfx={clitics}",
          f"pfx={clitics}|side={side}", f"e={c.entry.id}|side={side}", f"e={c.entry.id}|side={side}|rank={rank_s}"]
    f += ["clause", f"clause|side={side}"] if clause else ["out-of-clause"]
    f += ["prep", f"prep|side={side}", f"prep|t={t}"] if is_prepositional(s, m) else []
    f += ["partner", f"partner|t={t}", f"partner|side={side}"] if is_partner(s, m) else []
    f += [f"sec={x}|t={t}" for x in m.sector if x in SECTORS]
    f += [f"sec={x}|side={side}" for x in m.sector if x in SECTORS]
    f += [f"k={m.kind}|t={t}"]
    if pos == "verb":  # قصفت القوات / قصف الجيش: a subject agrees with its verb
        vg, mg = _verb_gender(toks[c.first].norm), _gender(m)
        f += [f"vg={vg}|mg={mg}", f"vg={vg}|mg={mg}|side={side}"]
    verb = next((j for j in range(c.first - 1, -1, -1) if is_speech_verb(toks[j].norm)), None)
    if verb is not None and subject_of_speech(s, mentions, verb, c.first) is m:
        f += ["speaker", f"speaker|t={t}"]  # قال X إن…: who says it, for an act told in what X said
    f += ["title"] if s.is_title else []
    return f


class Forest:
    """A sum of regression trees over binary features (gradient boosting, scripts/train_parties.py): each
    split asks whether a feature is present; the score is the base plus the leaf each tree reaches. A tree is
    a tuple of nodes, (feature, child if absent, child if present) or (None, leaf value, None), root first."""

    def __init__(self, base: float, trees: list[tuple[tuple, ...]]):
        self.base, self.trees = base, trees

    def score(self, features: list[str]) -> float:
        have, z = set(features), self.base
        for nodes in self.trees:
            feat, absent, present = nodes[0]
            while feat is not None:
                feat, absent, present = nodes[present if feat in have else absent]
            z += absent
        return z


def role_forests(name: str) -> dict[str, Forest] | None:
    """The forests of a party model file (`role<TAB>tree<TAB>node<TAB>feature<TAB>absent<TAB>present<TAB>value`
    rows: a split names its feature and its two children's node numbers, a leaf only its value; the row of
    tree `base` holds the base score) as role -> Forest; None when the file is not shipped."""
    if not path(name).is_file():
        return None
    rows: dict[str, dict[str, list]] = {}
    base: dict[str, float] = {}
    for role, tree, node, feat, absent, present, value in read_rows(
            name, ["role", "tree", "node", "feature", "absent", "present", "value"]):
        if tree == "base":
            base[role] = float(value)
            continue
        nodes = rows.setdefault(role, {}).setdefault(tree, [])
        if int(node) != len(nodes):
            raise ValueError(f"{name}: {role} tree {tree}: node {node} out of order")
        nodes.append((feat, int(absent), int(present)) if feat else (None, float(value), None))
    return {role: Forest(base[role], [tuple(n) for _, n in sorted(trees.items(), key=lambda kv: int(kv[0]))])
            for role, trees in rows.items()}


Model = dict[str, float] | Forest  # a linear model's weights, or a forest


@lru_cache(maxsize=1)
def _model() -> dict[str, Model] | None:
    return role_forests(FORESTS) or role_weights(MODEL)


def score(model: Model, features: list[str]) -> float:
    """A choice's score: a forest's, or the sum of a linear model's weights."""
    if isinstance(model, Forest):
        return model.score(features)
    return sum(model.get(x, 0.0) for x in features)


def best(model: Model, scored: list[tuple[Mention | None, list[str]]]) -> Mention | None:
    """The choice with the highest score (the first of equals; None if there is no choice), for these
    models and for waqai.speech's."""
    top, out = None, None
    for m, f in scored:
        z = score(model, f)
        if top is None or z > top:
            top, out = z, m
    return out


def _decide(rule: list[Mention], choice: Mention | None) -> list[Mention]:
    """The rules' list where the model agrees with it on the country (or on no one), else the choice."""
    if choice is NONE:
        return [] if not rule or countries(rule[0]) else rule  # a role with no country of its own is kept
    if rule and countries(rule[0]) & countries(choice):
        return rule
    return [choice]


def choose_actor(s: Sentence, mentions: list[Mention], topic: Mention | None, c: Candidate,
                 model: Model) -> list[Mention]:
    """The actors of candidate `c` given the actor model: the rules' list where the best scored choice agrees
    with it on the country, else that choice. The subject of a verb whose subject is hurt (أصيب، استشهد: the
    rules' recipient) is never its actor."""
    hurt = c.recipient[0] if c.entry.id in VICTIM_SUBJECT and c.entry.pos == "verb" and c.recipient else None
    return _decide(c.actor, best(model, [(m, features(s, mentions, topic, c, m, "actor"))
                                         for m in party_candidates(mentions, topic, exclude=hurt)]))


def choose_parties(s: Sentence, mentions: list[Mention], topic: Mention | None, c: Candidate,
                   weights: dict[str, Model] | None = None) -> Candidate:
    """The candidate with the actor and recipient the models choose (the same candidate without a model)."""
    w = weights if weights is not None else _model()
    if w is None:
        return c
    actors = choose_actor(s, mentions, topic, c, w["actor"])
    head = actors[0] if actors else None
    recipient = best(w["recipient"], [(m, features(s, mentions, topic, c, m, "recipient", head))
                                      for m in party_candidates(mentions, topic, exclude=head)])
    recipients = _decide([x for x in c.recipient if x is not head], recipient)
    if actors is c.actor and recipients == c.recipient:
        return c
    return Candidate(c.entry, c.first, c.last, actors, recipients, c.hit)
