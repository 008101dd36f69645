"""Scale-out on Dask: the cheap tier per shard of inputs, stories merged globally, the deep tier per story.

A run has four steps; steps 1, 2 and 4 run on Dask workers, step 3 on the caller:

1. **read** — the inputs (files, directory members, URLs) are split into shards; each worker reads and
   extracts its shard and returns the raw articles with a 64-bit hash of every normalised line
   (:meth:`newsdesk.clean.CorpusStats.keys`);
2. **clean** — the line counts of the whole batch are summed on the caller and sent back, so that each
   shard is cleaned with the statistics of the *whole* batch: boilerplate repeated across shards is
   recognised exactly as in a one-process run;
3. **dedupe and cluster** — global, on the caller (:func:`newsdesk.dedupe`, :func:`newsdesk.cluster`):
   both are cheap-tier and need every article;
4. **brief** — the stories are spread over the workers; each worker loads the spaCy pipeline once.

The result is the same as :func:`newsdesk.read` followed by :func:`newsdesk.brief` (tested), only the
work is spread.  ``scheduler`` chooses where: ``None`` or ``"processes"`` is a local pool of
``workers`` processes (Dask's multiprocessing scheduler); ``"threads"`` and ``"sync"`` are Dask's
other local schedulers; a ``dask.distributed.Client`` or the address of a running Dask scheduler
(``"tcp://host:8786"``) sends the work to that cluster, whose workers need newsdesk installed.

Needs the ``scale`` extra (``pip install 'newsdesk[scale]'``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.managers import BaseManager
from typing import Any

from . import clean as _clean
from . import ingest as _ingest
from .cluster import cluster_articles
from .dedup import mark_duplicates
from .errors import InputError, MissingExtraError, NewsdeskError, OptionsError, StoryError
from .ingest.fetch import Fetcher, HostLedger, is_url
from .models import Article, Brief, Story
from .options import DEFAULT_OPTIONS, Options

__all__ = ["read_sharded", "brief_sharded", "brief_jobs", "run"]

log = logging.getLogger(__name__)

# Shards per worker: more shards balance uneven files (a WARC next to small pages) at the cost of
# per-task overhead (about 1 ms per task on the local process pool).
SHARDS_PER_WORKER = 4


def _dask() -> Any:
    try:
        import dask
        import dask.bag  # noqa: F401 - the bag API is used below
    except ImportError as exc:
        raise MissingExtraError("dask", "scale") from exc
    return dask


def _compute_kwargs(scheduler: Any, workers: int | None) -> dict[str, Any]:
    """Keyword arguments of ``dask.compute`` for ``scheduler`` (see the module docstring)."""
    if workers is not None and workers < 1:
        raise OptionsError(f"workers must be at least 1, got {workers}")
    if scheduler is None or scheduler == "processes":
        return {"scheduler": "processes", "num_workers": workers or os.cpu_count() or 1}
    if scheduler in ("threads", "sync", "synchronous"):
        return {"scheduler": scheduler, **({"num_workers": workers} if workers and scheduler == "threads" else {})}
    if isinstance(scheduler, str):
        try:
            from distributed import Client
        except ImportError as exc:
            raise MissingExtraError("distributed", "scale") from exc
        try:
            return {"scheduler": Client(scheduler, set_as_default=False, timeout="10s")}
        except OSError as exc:
            raise OptionsError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    return {"scheduler": scheduler}  # a distributed.Client


@contextmanager
def _session(scheduler: Any, workers: int | None, options: Options = DEFAULT_OPTIONS) -> Iterator[dict[str, Any]]:
    """``dask.compute`` keyword arguments for one run: a local process pool is started once and
    reused by every step (starting a process and importing newsdesk takes seconds; each worker starts
    loading the run's spaCy pipeline at once, in a thread, while it reads its shards or waits for the
    stories), and a client made here from an address is closed at the end."""
    kwargs = _compute_kwargs(scheduler, workers)
    owned: Any = None
    if kwargs["scheduler"] == "processes" and "pool" not in kwargs:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, as Dask does by default: forking a process that holds spaCy or torch is unsafe
        owned = ProcessPoolExecutor(kwargs["num_workers"], mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_start_worker, initargs=(options,))
        kwargs["pool"] = owned
    elif isinstance(scheduler, str) and not isinstance(kwargs["scheduler"], str):
        owned = kwargs["scheduler"]
    try:
        yield kwargs
    finally:
        if owned is not None:
            if isinstance(kwargs["scheduler"], str):  # our process pool
                owned.shutdown()
            else:  # our client: close it, never Client.shutdown(), which stops the user's cluster
                owned.close()


def _n_workers(kwargs: dict[str, Any]) -> int:
    sched = kwargs["scheduler"]
    if isinstance(sched, str):
        return int(kwargs.get("num_workers") or os.cpu_count() or 1)
    try:
        return max(1, len(sched.scheduler_info().get("workers", {})))
    except Exception:  # noqa: BLE001 - any client without that method: assume a small cluster
        return os.cpu_count() or 1


def _shards(items: Sequence[Any], n: int) -> list[list[Any]]:
    """``items`` in ``n`` contiguous runs of near-equal size (reading order is kept)."""
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for k in range(n):
        end = start + size + (1 if k < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return [s for s in out if s]


# ------------------------------------------------------------------------------------------ worker tasks
# Module-level functions, so that every scheduler can pickle them.

def _read_shard(entries: list[tuple[str, str]], options: Options, ledger: Any = None
                ) -> tuple[list[Article], list[tuple[str, str]], Counter[int]]:
    errors: list[tuple[str, str]] = []
    articles: list[Article] = []
    # one fetcher for the shard, its per-host timing and robots.txt in the run's ledger
    fetcher = Fetcher(options, ledger=ledger) if any(is_url(name) for name, _ in entries) else None
    try:
        for name, file_id in entries:
            articles.extend(_ingest.read_input(name, file_id, options, fetcher=fetcher,
                                               on_error=lambda e: errors.append((e.source, e.reason))))
    finally:
        if fetcher is not None:
            fetcher.close()
    counts: Counter[int] = Counter()
    for art in articles:
        counts.update(_clean.stable_key_hash(k) for k in _clean.CorpusStats.keys(art))
    return articles, errors, counts


def _clean_shard(articles: list[Article], counts: dict[int, int], n_docs: int, options: Options) -> list[Article]:
    corpus = _clean.CorpusStats.from_counts(articles, counts, n_docs)
    return [_clean.clean_article(a, options, corpus=corpus) for a in articles]


def _one_blas_thread() -> None:
    """Worker start-up: one BLAS/OpenMP thread each, as the workers already fill the cores
    (numpy's default is one thread per core in every worker)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # for the libraries loaded from now on
    try:
        import numpy  # noqa: F401 - loads the BLAS that threadpoolctl limits
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - dependencies of scikit-learn
        return
    threadpool_limits(1)  # for those already loaded (the parent's main module is imported on spawn)


def _start_worker(options: Options) -> None:
    """A local worker's start-up: one BLAS thread, and the run's spaCy pipeline loading in a thread (the
    import and the model load overlap the worker's reading, and its idle time while the caller dedupes
    and clusters, instead of delaying its first story)."""
    _one_blas_thread()

    def load() -> None:
        try:
            _worker_nlp(options).pipeline(deep=True)
        except Exception:  # noqa: BLE001 -- reported by the first story that needs it
            pass

    threading.Thread(target=load, name="newsdesk-worker-preload", daemon=True).start()


_WORKER_NLP: dict[Options, Any] = {}
_WORKER_LOCK = threading.Lock()


def _worker_nlp(options: Options) -> Any:
    from .nlp import NLP

    with _WORKER_LOCK:
        nlp = _WORKER_NLP.get(options)
        if nlp is None:  # one NLP (parse cache, pipeline) per worker process and options
            nlp = _WORKER_NLP[options] = NLP(options)
    return nlp


_Failure = tuple[str, tuple[str, ...], str]  # (story id, article ids, reason): picklable as any exception may not be


def _brief_task(jobs: list[tuple[Story, list[Article]]], options: Options, with_rows: bool
                ) -> list[tuple[Brief | None, list[tuple], _Failure | None]]:
    """A few stories on a worker, their originals parsed in one spaCy batch (as ``newsdesk.brief`` does:
    spaCy costs about 15% more CPU in batches of one story's two or three documents): per story its brief
    (``None`` when it fails, with the failure), and with ``with_rows`` the NLP rows a store keeps beside it,
    from the same (cached) parse."""
    from .briefing import brief_or_report, nlp_rows, originals_of, parsed_together

    nlp = _worker_nlp(options)
    out: list[tuple[Brief | None, list[tuple], _Failure | None]] = []
    with parsed_together(nlp, [originals_of(m) for _, m in jobs]):
        for story, members in jobs:
            failed: list[StoryError] = []
            b = brief_or_report(story, members, options, nlp, failed.append)
            rows = nlp_rows(nlp, members) if with_rows and b is not None else []
            out.append((b, rows, (story.id, story.article_ids, failed[0].reason) if failed else None))
    return out


def _compute_briefs(dask: Any, kwargs: dict[str, Any], jobs: Sequence[tuple[Story, Sequence[Article]]],
                    options: Options, report: Callable[[StoryError], None], with_rows: bool
                    ) -> list[tuple[Brief | None, list[tuple]]]:
    """(brief or None, NLP rows) per job, in job order; failures reported in job order."""
    # stories biggest first, small consecutive ones together in a task (parsed in one batch, as newsdesk.brief
    # does): the workers take the next task as they finish one, so one long story does not hold back a whole
    # shard of others
    from .briefing import originals_of, parse_batches

    order = sorted(range(len(jobs)), key=lambda i: (-len(jobs[i][1]), i))
    chunks = [[order[k] for k in run] for run in parse_batches([originals_of(jobs[i][1]) for i in order], options)]
    tasks = [dask.delayed(_brief_task)([(jobs[i][0], list(jobs[i][1])) for i in chunk], options, with_rows)
             for chunk in chunks]
    done = [r for part in (dask.compute(*tasks, **kwargs) if tasks else ()) for r in part]
    got: dict[int, tuple[Brief | None, list[tuple]]] = {}
    failures: dict[int, _Failure] = {}
    for i, (b, rows, failed) in zip([i for chunk in chunks for i in chunk], done):
        got[i] = (b, rows)
        if failed is not None:
            failures[i] = failed
    for i in sorted(failures):
        report(StoryError(*failures[i]))
    return [got[i] for i in range(len(jobs))]


# ------------------------------------------------------------------------------------------ public API

def read_sharded(
    paths: Iterable[str | os.PathLike[str]],
    options: Options = DEFAULT_OPTIONS,
    *,
    scheduler: Any = None,
    workers: int | None = None,
    on_error: Callable[[InputError], None] | None = None,
) -> list[Article]:
    """:func:`newsdesk.read` with reading, extraction and cleaning spread over Dask workers.

    Same articles in the same order as :func:`newsdesk.read`; inputs that cannot be read go to
    ``on_error`` (or the log) and are skipped, as there.  Standard input (``-``) is read here,
    on the caller.
    """
    dask = _dask()
    report = on_error if on_error is not None else _log_error
    with _session(scheduler, workers, options) as kwargs:
        return _read(dask, kwargs, paths, options, report)


def _read(dask: Any, kwargs: dict[str, Any], paths: Iterable[str | os.PathLike[str]], options: Options,
          report: Callable[[InputError], None]) -> list[Article]:
    entries = _ingest.input_files(paths, report)
    with _ledger(kwargs, any(is_url(name) for name, _ in entries)) as ledger:
        results = _read_groups(dask, kwargs, entries, options, ledger)
    return _clean_results(dask, kwargs, results, options, report)


class _LedgerManager(BaseManager):
    """Serves one :class:`~newsdesk.ingest.fetch.HostLedger` to the worker processes of a run."""


_LedgerManager.register("HostLedger", HostLedger)


@contextmanager
def _ledger(kwargs: dict[str, Any], needed: bool) -> Iterator[Any]:
    """The run's shared per-host politeness (robots.txt, delays) for the readers of every shard: an object
    here for Dask's thread and synchronous schedulers, a manager process's for the local process pool;
    ``None`` (each shard its own) on a distributed cluster, whose workers cannot reach this process."""
    sched = kwargs["scheduler"]
    if not needed or not isinstance(sched, str):
        yield None
        return
    if sched != "processes":
        yield HostLedger()
        return
    import multiprocessing

    manager = _LedgerManager(ctx=multiprocessing.get_context("spawn"))
    manager.start()
    try:
        yield manager.HostLedger()  # type: ignore[attr-defined]
    finally:
        manager.shutdown()


def _read_groups(dask: Any, kwargs: dict[str, Any], entries: list[tuple[str, str]], options: Options,
                 ledger: Any) -> list[tuple[list[Article], list[tuple[str, str]], Counter[int]]]:
    """Every entry read, in shards on the workers (standard input here, in its place among them)."""
    n_shards = _n_workers(kwargs) * SHARDS_PER_WORKER
    n_remote = sum(1 for e in entries if e[0] != _ingest.STDIN)
    groups: list[tuple[bool, list[tuple[str, str]]]] = []  # (read here?, entries)
    run_: list[tuple[str, str]] = []
    for e in [*entries, None]:
        if e is not None and e[0] != _ingest.STDIN:
            run_.append(e)
            continue
        if run_:
            k = max(1, round(n_shards * len(run_) / max(n_remote, 1)))
            groups.extend((False, s) for s in _shards(run_, k))
            run_ = []
        if e is not None:
            groups.append((True, [e]))
    remote = [dask.delayed(_read_shard)(g, options, ledger) for here, g in groups if not here]
    computed = iter(dask.compute(*remote, **kwargs) if remote else ())
    return [_read_shard(g, options, ledger) if here else next(computed) for here, g in groups]


def _clean_results(dask: Any, kwargs: dict[str, Any],
                   results: list[tuple[list[Article], list[tuple[str, str]], Counter[int]]], options: Options,
                   report: Callable[[InputError], None]) -> list[Article]:
    """The shards' articles cleaned with the whole batch's line statistics, repeated ids reported."""
    # ids must be unique across shards, as in one run: later repeats are reported and skipped
    seen: dict[str, str] = {}
    kept_shards: list[list[Article]] = []
    counts: Counter[int] = Counter()
    for articles, errors, shard_counts in results:
        for source, reason in errors:
            report(InputError(source, reason))
        kept = []
        for art in articles:
            if _ingest.first_of_its_id(art, seen, report):
                kept.append(art)
            else:  # a skipped repeat must not count towards the line statistics
                shard_counts.subtract(_clean.stable_key_hash(k) for k in _clean.CorpusStats.keys(art))
        counts.update(shard_counts)
        kept_shards.append(kept)
    n_docs = sum(len(s) for s in kept_shards)
    repeated = {h: c for h, c in counts.items() if c > 1}
    tasks = [dask.delayed(_clean_shard)(s, repeated, n_docs, options) for s in kept_shards if s]
    cleaned = dask.compute(*tasks, **kwargs) if tasks else ()
    return [a for shard in cleaned for a in shard]


def brief_sharded(
    articles: Sequence[Article],
    options: Options = DEFAULT_OPTIONS,
    *,
    scheduler: Any = None,
    workers: int | None = None,
    stories: Sequence[Story] | None = None,
    on_error: Callable[[StoryError], None] | None = None,
) -> list[Brief]:
    """:func:`newsdesk.brief` with the deep tier (one BRIEF per story) spread over Dask workers.

    Copies are marked and stories found here, on the whole batch (unless ``stories`` is given);
    each worker then receives only the articles of its stories.  Briefs come back in story order;
    a story whose brief fails is reported to ``on_error`` (or logged) and left out, as in
    :func:`newsdesk.brief`.
    """
    dask = _dask()
    with _session(scheduler, workers, options) as kwargs:
        return _brief(dask, kwargs, articles, options, stories, on_error or _log_error)


def _log_error(err: NewsdeskError) -> None:
    log.warning("%s", err)


def _brief(dask: Any, kwargs: dict[str, Any], articles: Sequence[Article], options: Options,
           stories: Sequence[Story] | None, report: Callable[[StoryError], None]) -> list[Brief]:
    marked = mark_duplicates(articles, options)
    stories = list(stories) if stories is not None else cluster_articles(marked, options)
    by_id = {a.id: a for a in marked}
    jobs = [(st, [by_id[a] for a in st.article_ids]) for st in stories]
    return [b for b, _ in _compute_briefs(dask, kwargs, jobs, options, report, with_rows=False) if b is not None]


def run(
    paths: Iterable[str | os.PathLike[str]],
    options: Options = DEFAULT_OPTIONS,
    *,
    scheduler: Any = None,
    workers: int | None = None,
    on_error: Callable[[InputError | StoryError], None] | None = None,
) -> list[Brief]:
    """Read ``paths`` and brief every story, spread over Dask (:func:`read_sharded`, :func:`brief_sharded`).

    Inputs that cannot be read (:class:`InputError`) and stories that cannot be briefed
    (:class:`StoryError`) go to ``on_error`` (or the log) and are skipped."""
    dask = _dask()
    report = on_error if on_error is not None else _log_error
    with _session(scheduler, workers, options) as kwargs:  # one pool or client for both steps
        return _brief(dask, kwargs, _read(dask, kwargs, paths, options, report), options, None, report)


def brief_jobs(
    jobs: Sequence[tuple[Story, Sequence[Article]]],
    options: Options = DEFAULT_OPTIONS,
    *,
    scheduler: Any = None,
    workers: int | None = None,
    on_error: Callable[[StoryError], None] | None = None,
) -> list[tuple[Brief | None, list[tuple]]]:
    """For :meth:`newsdesk.Store.refresh`: (brief, NLP rows) per (story, its articles), in order, computed on
    Dask; a failed story gives (None, []) after a :class:`StoryError` to ``on_error`` (or the log)."""
    dask = _dask()
    with _session(scheduler, workers, options) as kwargs:
        return _compute_briefs(dask, kwargs, jobs, options, on_error or _log_error, with_rows=True)
