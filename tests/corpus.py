"""A synthetic news corpus written by the team for the ingest tests: stories told by several outlets,
syndicated copies, near-duplicates, and bad inputs. No text is taken from any corpus."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from pathlib import Path

PAIRS = [("الروسي", "الهندي"), ("الفرنسي", "المصري"), ("التركي", "الإيراني"), ("الأردني", "السعودي"),
         ("الصيني", "الباكستاني"), ("الألماني", "الإيطالي"), ("الياباني", "الكوري الجنوبي"),
         ("العراقي", "الكويتي"), ("القطري", "العماني"), ("الجزائري", "التونسي")]
CITIES = ["موسكو", "القاهرة", "أنقرة", "عمان", "بكين", "برلين", "طوكيو", "بغداد", "الدوحة", "الجزائر"]
TOPICS = ["التعاون الاقتصادي", "الأوضاع في المنطقة", "مكافحة الإرهاب", "أمن الطاقة", "التبادل التجاري",
          "الاستثمارات المشتركة", "قضايا اللاجئين", "الأمن الغذائي"]
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
# background sentences, made specific to each story by its place, topic and day so that two stories never
# look alike to the near-duplicate detector while copies of one story do
FILLER = ["وأشار بيان {city} إلى أن {topic} سيبقى على جدول {day} وما بعده.",
          "ويأتي لقاء {city} في إطار جولة تشمل عواصم أخرى بعد {day}.",
          "وتناول لقاء {city} كذلك ملفات تتصل ب{topic} وبالتجارة.",
          "وقال مراقبون في {city} إن {topic} شهد تطورا منذ {day} الماضي.",
          "وأوضحت مصادر {city} أن فرق العمل الخاصة ب{topic} ستجتمع قريبا.",
          "ونقلت صحف {city} عن دبلوماسيين أن {topic} يحتاج إلى جهد مشترك.",
          "وذكرت وكالة أنباء {city} أن {topic} نوقش في اجتماع {day} مطولا.",
          "وأكدت أوساط {city} أن {topic} يحظى بأولوية في لقاءات {day} المقبلة.",
          "ورأى محللون في {city} أن نتائج بحث {topic} ستظهر بعد {day} بأسابيع.",
          "ولفتت مصادر {city} إلى أن خبراء {topic} أعدوا أوراقا قبل {day}.",
          "وشهدت {city} إجراءات أمنية مشددة خلال لقاءات {topic} يوم {day}.",
          "واختتم وفد {city} زيارته بجولة في معرض عن {topic} مساء {day}."]


def story(k: int, day: date, wording: int = 0) -> tuple[str, str]:
    a, b = PAIRS[k % len(PAIRS)]
    city = CITIES[k % len(CITIES)]
    topic = TOPICS[k % len(TOPICS)]
    wd = WEEKDAYS[day.weekday()]
    if wording == 0:
        title = f"وزير الخارجية {a} يلتقي نظيره {b} في {city}"
        body = (f"{city} - التقى وزير الخارجية {a} نظيره {b} في {city} اليوم {wd}، وبحث الجانبان {topic}. "
                + " ".join(f.format(city=city, topic=topic, day=wd) for f in FILLER))
    else:
        title = f"مباحثات بين وزيري خارجية البلدين حول {topic}"
        body = (f"أجرى وزير الخارجية {a} اليوم {wd} في {city} مباحثات مع نظيره {b} تناولت {topic}. "
                f"{FILLER[0].format(city=city, topic=topic, day=wd)}")
    return title, body


def write_corpus(folder: Path, n_stories: int = 40, start: date = date(2023, 3, 1)) -> dict:
    """Write a JSONL corpus (and return what it holds): for each story, the original report, a syndicated
    copy from another outlet, every third story a near-duplicate copy with one changed sentence published
    three days later, and every other story a report in different words from a fourth outlet."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for k in range(n_stories):
        day = start + timedelta(days=3 * k)
        title, body = story(k, day)
        rows.append({"id": f"a-{k}", "source": "outlet-a", "url": f"https://a.example/{k}", "title": title,
                     "text": body, "published": day.isoformat()})
        rows.append({"id": f"b-{k}", "source": "outlet-b", "url": f"https://b.example/{k}", "title": title,
                     "text": body, "published": day.isoformat()})
        if k % 3 == 0:
            last = body.rindex("واختتم")
            rows.append({"id": f"c-{k}", "source": "outlet-c", "url": f"https://c.example/{k}", "title": title,
                         "text": body[:last] + "وسيعقد الجانبان اجتماعا آخر في وقت لاحق.",
                         "published": (day + timedelta(days=3)).isoformat()})
        if k % 2 == 0:
            t2, b2 = story(k, day, wording=1)
            rows.append({"id": f"d-{k}", "source": "outlet-d", "url": f"https://d.example/{k}", "title": t2,
                         "text": b2, "published": day.isoformat()})
    path = folder / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return {"path": path, "rows": rows}


def write_bad_inputs(folder: Path) -> list[str]:
    """One file per kind of bad input; returns their names."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "malformed.jsonl").write_text(
        '{"id": "ok-1", "text": "التقى وزير الخارجية الروسي نظيره الهندي اليوم.", "published": "2023-05-04"}\n'
        '{"id": "broken", "text": "نص بلا نهاية\n', encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "cp1256.txt").write_bytes("عنوان\n\nندد وزير الخارجية المصري بالهجوم على السفارة.".encode("windows-1256"))
    (folder / "huge.jsonl").write_bytes(b'{"id": "huge", "text": "' + "ا".encode() * 26_000_000 + b'"}\n')
    unreadable = folder / "unreadable.txt"
    unreadable.write_text("نص", encoding="utf-8")
    unreadable.chmod(0)
    return ["malformed.jsonl:2", "empty.txt", "binary.txt", "cp1256.txt", "huge.jsonl:1", "unreadable.txt"]


OTHER_NEWS = [  # other kinds of events, for the API and dashboard tests
    ("مظاهرات في بغداد", "بغداد - تظاهر آلاف العراقيين اليوم في ساحة التحرير احتجاجا على انقطاع الكهرباء."),
    ("الخارجية المصرية تدين الهجوم", "القاهرة - أدانت وزارة الخارجية المصرية اليوم الهجوم على السفارة الأردنية."),
    ("تركيا تتهم إيران", "أنقرة - اتهم وزير الخارجية التركي اليوم إيران بدعم الجماعات المسلحة في المنطقة."),
    ("قصف على غزة", "غزة - قصفت طائرات إسرائيلية اليوم مواقع في قطاع غزة، وفق مصادر فلسطينية."),
    # people and organisations: one the tables know, one only the role + name apposition and the tagger find
    ("غوتيريش يدعو إلى التهدئة", "نيويورك - دعا الأمين العام للأمم المتحدة أنطونيو غوتيريش اليوم إسرائيل إلى "
     "وقف التصعيد في قطاع غزة، وقال إن منظمة الصحة العالمية مستعدة لإرسال مساعدات."),
    ("ماليزيا تنتقد العقوبات", "كوالالمبور - انتقد وزير الدفاع الماليزي عبد الرحيم زاهدي اليوم العقوبات "
     "الأمريكية على إيران. وقال زاهدي إن شركة بتروناس ستواصل عملها رغم ضغوط واشنطن."),
]


def write_other_news(folder: Path, day: date = date(2023, 3, 15)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "other.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for k, (title, text) in enumerate(OTHER_NEWS):
            f.write(json.dumps({"id": f"o-{k}", "source": "outlet-e", "url": f"https://e.example/{k}", "title": title,
                                "text": text, "published": (day + timedelta(days=k)).isoformat()},
                               ensure_ascii=False) + "\n")
    return path
