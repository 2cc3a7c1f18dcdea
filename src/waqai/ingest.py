"""`waqai ingest`: read inputs, code articles in a pool of worker processes, store them, fuse.

The main process reads the inputs and owns the database; workers code articles (a pure function of the
article and the resources) and return plain data. Results are taken back in input order and each article
is committed with its reports in one transaction, so an interrupted run has stored a prefix of its inputs;
running the same command again skips what is stored and fusion, recomputed from the stored reports, gives
the same database as an uninterrupted run.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from waqai.fuse import NearDuplicates, content_hash, signature
from waqai.model import Article
from waqai.read import Problem, read_inputs
from waqai.store import Store, search_words


@dataclass
class Summary:
    read: int = 0
    stored: int = 0
    skipped: int = 0  # already in the database (same id)
    failed: int = 0  # read, but coding failed
    mentions: int = 0
    rejects: int = 0
    warnings: int = 0
    duplicates: int = 0  # stored articles linked to an earlier one
    seconds: float = 0.0
    fusion: dict = field(default_factory=dict)
    shown_at: float = 0.0  # when progress was last reported

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


def prepare(article: Article, reference: date | None, use_judge: bool = True) -> dict:
    """Code one article and return everything the store needs, as plain picklable data."""
    from waqai.export import to_record
    from waqai.pipeline import code_article

    coded = code_article(article, reference, use_judge)
    text = coded.text
    return {
        "article": {"id": article.id, "url": article.url, "source": article.source, "title": article.title,
                    "published": article.published.isoformat() if article.published else None,
                    "origin": article.origin},
        "text": text,
        "words": search_words(text),
        "content_hash": content_hash(text),
        "signature": signature(text),
        "events": [to_record(e) for e in coded.events],
        "warnings": [w for w in coded.warnings if not w.startswith("removed ")],
    }


BATCH = 16  # articles per task sent to a worker
COMMIT = 128  # articles per transaction (each article is written whole or not at all)
_REFERENCE: date | None = None
_JUDGE = True


def _init(reference: date | None, use_judge: bool) -> None:
    global _REFERENCE, _JUDGE
    _REFERENCE, _JUDGE = reference, use_judge
    _warm()


def _warm() -> None:
    """Load every resource once per worker, before the first article."""
    from waqai.pipeline import code_article

    code_article(Article(id="warm-up", text="التقى وزير الخارجية الروسي نظيره الهندي."), date(2000, 1, 1))


def _work(article: Article) -> tuple[Article, dict | None, str | None]:
    try:
        return article, prepare(article, _REFERENCE, _JUDGE), None
    except Exception as e:  # noqa: BLE001 - one bad article never stops a batch
        return article, None, f"coding failed: {type(e).__name__}: {e}"


def _work_batch(batch: list[Article]) -> list[tuple[Article, dict | None, str | None]]:
    return [_work(a) for a in batch]


def _batches(items: Iterator[Article], n: int) -> Iterator[list[Article]]:
    batch = []
    for x in items:
        batch.append(x)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(paths: list[str], db: str, workers: int | None = None, reference: date | None = None,
           text_column: str = "text", use_judge: bool = True, progress=None, on_problem=None) -> Summary:
    """Ingest `paths` into the database `db`. `progress(summary)` is called now and then, and
    `on_problem(origin, reason, fatal)` for every input that is rejected or read with a warning."""
    t0 = time.perf_counter()
    store = Store(db)
    summary = Summary()
    try:
        known = store.article_ids()
        near = NearDuplicates()
        for aid, sig in store.signatures():
            near.add(aid, sig)

        def todo() -> Iterator[Article]:
            seen = set()
            for item in read_inputs(paths, text_column):
                if isinstance(item, Problem):
                    store.add_reject(item.origin, item.reason, "error" if item.fatal else "warning")
                    if on_problem is not None:
                        on_problem(item.origin, item.reason, item.fatal)
                    summary.rejects += item.fatal
                    summary.warnings += not item.fatal
                    continue
                summary.read += 1
                if item.id in known or item.id in seen:
                    summary.skipped += 1
                    continue
                seen.add(item.id)
                if reference is not None and item.published is None:
                    item.published = reference
                yield item

        workers = workers or os.cpu_count() or 1
        if workers == 1:
            _init(reference, use_judge)
            for batch in _batches(todo(), COMMIT):
                _consume([_work(a) for a in batch], store, near, summary, progress, t0, on_problem)
        else:
            # the inputs are read in this thread, a bounded window of batches ahead of the workers, and
            # results are taken back in input order
            ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
            with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                                     initargs=(reference, use_judge)) as pool:
                window: deque = deque()
                done: list = []
                for batch in _batches(todo(), BATCH):
                    window.append(pool.submit(_work_batch, batch))
                    if len(window) >= workers * 4:
                        done.extend(window.popleft().result())
                    if len(done) >= COMMIT:
                        _consume(done, store, near, summary, progress, t0, on_problem)
                        done = []
                while window:
                    done.extend(window.popleft().result())
                _consume(done, store, near, summary, progress, t0, on_problem)
        summary.fusion = store.fuse()
    finally:
        store.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _consume(results, store: Store, near: NearDuplicates, summary: Summary, progress, t0: float,
             on_problem=None) -> None:
    """Store a batch of coded articles: one transaction for the batch (each article whole or not at all)."""
    with store.transaction():
        _store_batch(results, store, near, summary, on_problem)
    now = time.perf_counter()
    if progress is not None and now - summary.shown_at > 0.2:
        summary.shown_at = now
        summary.seconds = now - t0
        progress(summary)


def _store_batch(results, store: Store, near: NearDuplicates, summary: Summary, on_problem=None) -> None:
    for article, item, error in results:
        if item is None:
            store.add_reject(article.origin or article.id, error)
            if on_problem is not None:
                on_problem(article.origin or article.id, error, True)
            summary.failed += 1
            summary.rejects += 1
            continue
        aid = article.id
        links = {o: s for o, s in near.add(aid, item["signature"])}
        for other in store.same_hash(item["content_hash"]):
            links[other] = 1.0
        if store.add_article(item, sorted(links.items())):
            summary.stored += 1
            summary.mentions += len(item["events"])
            summary.duplicates += bool(links)
