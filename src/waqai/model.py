"""The one data model every stage reads and writes: plain dataclasses, no logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Token:
    text: str  # as written in the article
    start: int  # character offsets into the cleaned article text
    end: int
    norm: str  # normalised for matching


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None
    language: str = "ar"
    origin: str | None = None  # the input it was read from (file, line)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    is_title: bool = False


@dataclass
class Mention:
    """A span of a sentence that names an actor (or stands for one)."""

    kind: str  # country | nisba | role | org | metonym | person | counterpart | backref | group
    first: int  # token index in the sentence (inclusive)
    last: int  # token index (inclusive)
    start: int  # character offsets into the article text
    end: int
    text: str
    country: str | None = None
    sector: list[str] = field(default_factory=list)
    code: str | None = None
    name: str | None = None
    members: list["Mention"] = field(default_factory=list)  # for back-references (الطرفان)
    prefix: str = ""  # clitics on the first word (و، ب، ل…)
    person: tuple[int, int] | None = None  # tokens of the person a role or office names (… سيرجي لافروف)


@dataclass
class Actor:
    code: str
    country: str | None
    sector: list[str]
    entity_text: str
    name: str | None = None
    wikidata: str | None = None


@dataclass
class Place:
    extracted_place: str
    resolved_place: str
    country_code: str | None
    lat: float | None
    lon: float | None
    resolution: int  # 1 country, 2 first-level region, 3 second level / district, 4 town, 5 city


@dataclass
class Event:
    id: str
    date: str | None
    date_precision: str | None  # day | month | year | None
    event_type: str
    mode: str | None
    context: list[str]
    actor: list[Actor]
    recipient: list[Actor]
    event_loc: Place | None
    cameo: str
    goldstein: float
    quad_class: int
    text: str
    text_info: dict
    trigger: dict
    cite_info: dict
    confidence: float
    coder: str
    trigger_id: str | None = None  # the lexicon entry that fired (not part of the PLOVER record)
    # people and organisations the sentence names: {"text", "form", "type" PERS|ORG, "start", "end"} + "code",
    # "name", "role" (actor|recipient) where known (waqai.actors.named_entities)
    entities: list[dict] = field(default_factory=list)


@dataclass
class CodedArticle:
    article: Article
    sentences: list[Sentence]
    events: list[Event]
    warnings: list[str] = field(default_factory=list)
    text: str = ""  # the cleaned text (title + body) every offset points into
