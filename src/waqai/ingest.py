"""`waqai ingest`: read inputs, code articles in a pool of worker processes, store them, fuse.

The main process reads the inputs and owns the database; workers code articles (a pure function of the
article and the resources) and return plain data. Results are taken back in input order and each article
is committed with its reports in one transaction, so an interrupted run has stored a prefix of its inputs;
running the same command again skips what is stored and fusion, recomputed from the stored reports, gives
the same database as an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import sqlite3
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from waqai.fuse import NearDuplicates, content_hash, signature
from waqai.model import Article
from waqai.read import Problem, read_inputs
from waqai.store import Store, StoreError, search_words


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
        "source_hash": source_hash(article),
        "words": search_words(text),
        "content_hash": content_hash(text),
        "signature": signature(text),
        "events": [to_record(e) for e in coded.events],
        "warnings": [w for w in coded.warnings if not w.startswith("removed ")],
    }


def source_hash(article: Article) -> str:
    """Identity of an input article as read (title and text): the same id with another text is a conflict."""
    return hashlib.sha1(f"{article.title or ''}\n{article.text}".encode()).hexdigest()


def id_conflict(article: Article, first_origin: str | None) -> str:
    return f"id {article.id!r} is already used by another article ({first_origin or 'stored earlier'})"


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
    lock = _lock(db)
    try:
        store = Store(db)
    except BaseException:
        if lock is not None:
            lock.close()
        raise
    summary = Summary()
    try:
        known = store.article_keys()  # id -> (source hash, origin)
        near = NearDuplicates()
        for aid, sig in store.signatures():
            near.add(aid, sig)

        def problem(origin: str, reason: str, fatal: bool = True) -> None:
            store.add_reject(origin, reason, "error" if fatal else "warning")
            if on_problem is not None:
                on_problem(origin, reason, fatal)
            summary.rejects += fatal
            summary.warnings += not fatal

        def todo() -> Iterator[Article]:
            for item in read_inputs(paths, text_column):
                if isinstance(item, Problem):
                    problem(item.origin, item.reason, item.fatal)
                    continue
                summary.read += 1
                h = source_hash(item)
                if item.id in known:  # stored before, or read earlier in this run
                    first_hash, first_origin = known[item.id]
                    if first_hash == h:
                        summary.skipped += 1
                    else:  # the same id for another text: the later one is refused, never dropped silently
                        problem(item.origin or item.id, id_conflict(item, first_origin))
                    continue
                known[item.id] = (h, item.origin)
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
            pool = _Pool(workers, reference, use_judge)
            try:
                done: list = []
                for batch in _batches(todo(), BATCH):
                    pool.submit(batch)
                    if len(pool.window) >= workers * 4:
                        done.extend(pool.next())
                    if len(done) >= COMMIT:
                        _consume(done, store, near, summary, progress, t0, on_problem)
                        done = []
                while pool.window:
                    done.extend(pool.next())
                _consume(done, store, near, summary, progress, t0, on_problem)
            finally:
                pool.close()
        summary.fusion = store.fuse()
    finally:
        store.close()
        if lock is not None:
            lock.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _lock(db: str):
    """One ingest at a time writes a database (two would each miss the other's near-duplicates): an
    exclusive lock on DB.lock, released when the process ends, whatever way it ends."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return None
    try:
        f = open(f"{db}.lock", "a")
    except OSError as e:
        raise StoreError(f"{db}: cannot create its lock file ({e.strerror or e})") from None
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise StoreError(f"{db}: another waqai ingest is writing this database") from None
    return f


START_METHOD = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
CRASHED = "coding crashed the worker process"
# A worker that codes one article for longer than this is stuck (a pathological input): it is stopped, and
# the article rejected; the others of its batch are coded again.
ARTICLE_SECONDS = float(os.environ.get("WAQAI_ARTICLE_SECONDS", "120"))
BATCH_SECONDS_PER_ARTICLE = 1.0  # what a batch may take beyond that, per article (coding takes ~7 ms)


def _timed_out(seconds: float) -> str:
    return f"coding took longer than {seconds:g} s (WAQAI_ARTICLE_SECONDS): the worker was stopped"


class _Pool:
    """Worker processes and the batches sent to them, taken back in order. A worker that dies (a crash in
    a native library, the OOM killer) breaks the pool, and one that takes too long is stopped: a new pool
    is started, the batch is coded again one article at a time, and an article that kills a worker again,
    or takes longer than ARTICLE_SECONDS alone, is rejected."""

    def __init__(self, workers: int, reference, use_judge: bool):
        self.args = (workers, reference, use_judge)
        self.window: deque = deque()  # (future, batch)
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        workers, reference, use_judge = self.args
        return ProcessPoolExecutor(workers, mp_context=mp.get_context(START_METHOD), initializer=_init,
                                   initargs=(reference, use_judge))

    def _restart(self, kill: bool = False) -> None:
        if kill:  # a stuck worker does not stop by being asked: stop its process
            for proc in list(getattr(self.pool, "_processes", {}).values()):
                proc.kill()
        self.pool.shutdown(wait=kill, cancel_futures=True)
        self.pool = self._start()
        # wait until a new worker has loaded its resources, so that the time limits below time coding only
        self.pool.submit(_work_batch, []).result()

    def submit(self, batch: list[Article]) -> None:
        self.window.append((self.pool.submit(_work_batch, batch), batch))

    def next(self) -> list:
        fut, batch = self.window.popleft()
        try:
            # batches are taken back in order, so this one is running or done: ARTICLE_SECONDS for a stuck
            # article, plus a second for each of the others
            return fut.result(timeout=ARTICLE_SECONDS + BATCH_SECONDS_PER_ARTICLE * len(batch))
        except (BrokenProcessPool, TimeoutError) as e:
            # recode the batch one article at a time: only the article that crashes or hangs is lost
            pending = [b for _, b in self.window]
            self.window.clear()
            self._restart(kill=isinstance(e, TimeoutError))
            results = []
            for a in batch:
                try:
                    results.extend(self.pool.submit(_work_batch, [a]).result(timeout=ARTICLE_SECONDS))
                except BrokenProcessPool:
                    results.append((a, None, CRASHED))
                    self._restart()
                except TimeoutError:
                    results.append((a, None, _timed_out(ARTICLE_SECONDS)))
                    self._restart(kill=True)
            for b in pending:
                self.submit(b)
            return results

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


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
        try:
            stored = store.add_article(item, sorted(links.items()))
        except (sqlite3.Error, ValueError, TypeError, UnicodeError) as e:
            reason = f"cannot store: {type(e).__name__}: {e}"
            store.add_reject(article.origin or article.id, reason)
            if on_problem is not None:
                on_problem(article.origin or article.id, reason, True)
            summary.rejects += 1
            continue
        if stored:
            summary.stored += 1
            summary.mentions += len(item["events"])
            summary.duplicates += bool(links)
