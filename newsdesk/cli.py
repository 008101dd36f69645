"""The ``newsdesk`` command line: a thin layer over :mod:`newsdesk.api`.

Exit codes (contract): 0 success; 1 some inputs were skipped or a story's brief failed (one
message per skipped input or story on stderr); 2 a usage, configuration or model error, a
missing optional extra, a store that cannot be used, nothing readable, or any other error
that stops the run — always as one line on stderr (the traceback only with ``--verbose``).

Everything printed that comes from the inputs (titles, file names, reasons naming them) has
its control characters shown escaped (``\\x1b``), so no article can drive the terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from . import api, report
from .errors import InputError, MissingExtraError, NewsdeskError, StoryError
from .models import Article
from .nlp import NLP
from .options import DEFAULT_OPTIONS, Options
from .wording import count

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    """``text`` with every control character (C0, DEL, C1: ESC, CSI, BEL, newlines …) shown as an escape,
    so that what an input contains is printed and never acted on by the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


class _SafeFormatter(logging.Formatter):
    """Log lines with control characters escaped (library messages name files and quote inputs)."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record))


class _Group(TyperGroup):
    """The command group: any error that stops a command becomes one line and exit code 2."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except NewsdeskError as exc:  # usage, configuration, model, missing extra, store …
            _fail(str(exc), exc)
        except Exception as exc:
            if type(exc).__module__.split(".")[0] in ("typer", "click"):  # Exit, usage errors: click's own
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback; "
                  "please report it)", exc)


def _fail(message: str, exc: BaseException) -> None:
    if state.verbose:
        traceback.print_exception(exc, file=sys.stderr)
    say(f"newsdesk: {message}")
    raise typer.Exit(2) from exc


app = typer.Typer(
    name="newsdesk",
    cls=_Group,
    help="Many reports of the same events in, one sourced account of each story out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

from .eval import eval_app  # noqa: E402

app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def say(message: str) -> None:
    """One line on stderr, as it is (no markup) with control characters escaped."""
    err.print(safe(message), markup=False)


def show(message: str) -> None:
    """One line on stdout, as it is (no markup) with control characters escaped."""
    out.print(safe(message), markup=False)


class _State:
    options: Options = DEFAULT_OPTIONS
    quiet: bool = False
    verbose: bool = False
    skipped: list[InputError | StoryError]

    def __init__(self) -> None:
        self.skipped = []


state = _State()

WORKERS_OPTION = typer.Option(None, "--workers", min=1, help="Spread the work over N local worker processes with "
                              "Dask (needs newsdesk[scale]); with --db, the per-story briefs.")
SCHEDULER_OPTION = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786) to "
                                "spread the work over (needs newsdesk[scale]); with --db, the per-story briefs.")
PATHS_HELP = "Files, directories (read recursively), http(s):// URLs, or '-' for JSONL on standard input."


@app.callback()
def main(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors on stderr; no progress bars."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging on stderr."),
    config: Path | None = typer.Option(None, "--config", help="TOML file of options (see docs/options.md)."),
    version: bool = typer.Option(False, "--version", is_eager=True, help="Print the version and exit.",
                                 callback=lambda v: _version(v)),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let URLs reach private, loopback and link-local addresses."),
    follow_links: bool = typer.Option(False, "--follow-links", help="Read the page each feed entry links to."),
    no_robots: bool = typer.Option(False, "--ignore-robots", help="Do not obey robots.txt (your own sites only)."),
    no_embed: bool = typer.Option(False, "--no-embed", help="Judge same content without the sentence-embedding "
                                  "model (lexical and key-fact evidence only; faster, no torch)."),
) -> None:
    """newsdesk: dedupe, cluster and brief news articles with full attribution."""
    _configure_logging(quiet, verbose)
    state.quiet = quiet
    state.verbose = verbose
    state.skipped = []
    try:
        state.options = Options.from_toml(config) if config else DEFAULT_OPTIONS
        state.options = state.options.replace(allow_private=allow_private or None,
                                              follow_links=follow_links or None,
                                              respect_robots=False if no_robots else None,
                                              same_content_model=False if no_embed else None)
    except NewsdeskError as exc:
        _fail(str(exc), exc)


#: libraries that log their own view of a problem newsdesk reports itself, naming the input
#: (trafilatura's "discarding data: None", htmldate's date guesses): heard only with --verbose
_CHATTY = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer", "warcio")


def _configure_logging(quiet: bool, verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("newsdesk: %(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.CRITICAL)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        show(f"newsdesk {__version__}")
        raise typer.Exit(0)


def _report_skip(e: InputError | StoryError) -> None:
    state.skipped.append(e)
    say(f"newsdesk: skipped {e.source}: {e.reason}")


def _read(paths: list[str]) -> list[Article]:
    return _reading(paths, "Reading articles", lambda: api.read(paths, state.options, on_error=_report_skip))


def _reading(paths: list[str], what: str, work: Callable[[], list[Any]]) -> list[Any]:
    """Run ``work`` (which reads ``paths``) under a spinner; exit 2 on an error or when nothing came of it."""
    with _spinner(what):
        got = work()
    if not got:
        say("newsdesk: nothing could be read from " + ", ".join(paths))
        raise typer.Exit(2)
    return got


@contextmanager
def _spinner(what: str) -> Iterator[None]:
    if state.quiet or not err.is_terminal:
        yield
        return
    with err.status(what + "…"):
        yield


@contextmanager
def _progress(what: str, total: int) -> Iterator[Any]:
    if state.quiet or not err.is_terminal or total < 2:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)


def _finish() -> None:
    if state.skipped:
        raise typer.Exit(1)


def _options(**changes: Any) -> Options:
    """The run's options (``--config`` file, else defaults) with the flags given on this command line:
    a flag left out is ``None`` here and the file's value stands."""
    return state.options.replace(**changes)


_JSON_UNSAFE = re.compile("[\x7f-\x9f]")


def _print_json(obj: Any) -> None:
    """JSON on stdout; the characters JSON leaves raw but a terminal may act on (DEL, C1) are written as
    ``\\u`` escapes (the same JSON value)."""
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print {\"articles\": [ARTICLE…]}."),
    dedupe: bool = typer.Option(True, "--dedupe/--no-dedupe", help="Mark duplicate_of on copies."),
) -> None:
    """Read, extract and clean articles (no clustering)."""
    articles = _read(paths)
    if dedupe:
        articles = api.dedupe(articles, state.options)
    if as_json:
        _print_json({"articles": [a.to_json() for a in articles]})
    else:
        t = Table("id", "title", "outlet", "published", "words", "copy of")
        for a in articles:
            t.add_row(*(Text(safe(cell)) for cell in (
                a.id, a.title or "", a.source or "", a.published.isoformat() if a.published else "",
                str(len(a.text.split())), a.duplicate_of or "")))
        out.print(t)
    _finish()


@app.command()
def summarize(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    words: int | None = typer.Option(None, "--words", "-w", min=1, show_default="100, or the --config file's",
                                     help="Word budget (whitespace-separated words)."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"summary\": [SENTENCE…]}."),
) -> None:
    """Summarize ALL input articles as one story, in whole verbatim sentences."""
    options = _options(words=words)
    articles = _read(paths)
    with _progress("Parsing", len(articles)) as tick:
        summary = api.summarize(articles, options, nlp=NLP(options), progress=tick)
    if not summary:
        say(f"newsdesk: no sentence could be selected within {options.words} words")
    if as_json:
        _print_json({"summary": [s.to_json() for s in summary]})
    else:
        for s in summary:
            show(f"{s.text} [{', '.join(s.sources)}]")
    _finish()


@app.command()
def cluster(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print {\"stories\": [{\"id\", \"articles\", \"topic\"}]}."),
) -> None:
    """Group articles into stories (duplicates go with their original); stories of one topic share its id."""
    articles = _read(paths)
    stories = api.cluster(articles, state.options)
    if as_json:
        _print_json({"stories": [s.to_json() for s in stories]})
    else:
        titles = {a.id: a.title or a.id for a in articles}
        for s in stories:
            out.print(Text.assemble((safe(s.id), "bold"), f" ({count(len(s.article_ids), 'article')})"))
            for aid in s.article_ids:
                show(f"  {aid}  {titles[aid]}")
    _finish()


def _brief_scaled(paths: list[str], options: Options, workers: int | None, scheduler: str | None) -> list[Any]:
    from . import scale

    return _reading(paths, "Reading and briefing on Dask",
                    lambda: scale.run(paths, options, scheduler=scheduler, workers=workers, on_error=_report_skip))


def _preload_pipeline(options: Options) -> None:
    """Start loading the spaCy pipeline in a background thread while the inputs are read (the import
    and the model load overlap reading, cleaning and the language model's unpacking); a failure here
    is left for the first real use to report."""
    def load() -> None:
        try:
            NLP(options).pipeline(deep=True)
        except Exception:  # noqa: BLE001 -- reported where the pipeline is needed
            pass

    threading.Thread(target=load, name="newsdesk-preload", daemon=True).start()


def _brief_all(articles: list[Article], options: Options) -> list[Any]:
    with _progress("Briefing", len(articles)) as tick:  # copies are not parsed: the bar may end early
        return api.brief(articles, options, nlp=NLP(options), progress=tick, on_error=_report_skip)


@app.command()
def brief(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    words: int | None = typer.Option(None, "--words", "-w", min=1, show_default="100, or the --config file's",
                                     help="Summary budget per story, in words."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"stories\": [BRIEF…]} on stdout."),
    md: bool = typer.Option(False, "--md", help="Write brief.md to --out."),
    html: bool = typer.Option(False, "--html", help="Write brief.html (self-contained) to --out."),
    out_dir: Path = typer.Option(Path("."), "--out", "-o", help="Folder for --md/--html files."),
    db: Path | None = typer.Option(None, "--db", help="Store (SQLite file) to grow: only changed stories "
                                   "are re-briefed; prints the briefs of every stored story."),
    workers: int | None = WORKERS_OPTION,
    scheduler: str | None = SCHEDULER_OPTION,
) -> None:
    """The whole pipeline: dedupe, cluster, and a BRIEF per story."""
    options = _options(words=words)
    if not (workers or scheduler):
        _preload_pipeline(options)
    if db is not None:  # the store grows in this process; with --workers/--scheduler the briefs run on Dask
        briefs = _brief_db(_read(paths), db, options, workers, scheduler)
    elif workers or scheduler:
        briefs = _brief_scaled(paths, options, workers, scheduler)
    else:
        briefs = _brief_all(_read(paths), options)
    formats = [f for f, on in (("md", md), ("html", html)) if on]
    if formats:
        for p in report.write_report(briefs, out_dir, formats):
            say(f"newsdesk: wrote {p}")
    if as_json:
        _print_json(report.to_json(briefs))
    elif not formats:
        _print_stories(briefs)
    _finish()


def _open_store(db: Path, options: Options) -> Any:
    from .store import Store

    return Store(db, options)  # a StoreError is one line and exit 2 (_Group)


def _store_add(store: Any, articles: list[Article], batch_size: int) -> Any:
    """Add in transactions of ``batch_size`` articles (0: one); returns the merged AddResult.
    An article the store refuses is skipped (named on stderr, exit 1) and the others are stored."""
    from .store import AddResult

    size = batch_size if batch_size > 0 else max(1, len(articles))
    parts: list[Any] = []
    with _spinner("Storing articles"):
        for k in range(0, len(articles), size):
            parts.append(store.add(articles[k:k + size], on_error=_report_skip))
    merged = {f: tuple(x for p in parts for x in getattr(p, f)) for f in
              ("added", "updated", "unchanged", "duplicates", "skipped")}
    merged["changed_stories"] = tuple(dict.fromkeys(x for p in parts for x in p.changed_stories))
    return AddResult(**merged)


def _store_refresh(store: Any, options: Options, workers: int | None = None, scheduler: str | None = None
                   ) -> list[str]:
    dirty = store.dirty()
    with _progress("Briefing", len(dirty)) as tick:
        if workers or scheduler:
            return store.refresh(progress=tick, workers=workers, scheduler=scheduler)  # type: ignore[no-any-return]
        return store.refresh(NLP(options), progress=tick)  # type: ignore[no-any-return]


def _brief_db(articles: list[Article], db: Path, options: Options, workers: int | None = None,
              scheduler: str | None = None) -> list[Any]:
    with _open_store(db, options) as store:
        _store_add(store, articles, 0)
        _store_refresh(store, options, workers, scheduler)
        ids = [r.id for r in sorted(store.stories(limit=1 << 30), key=lambda r: -r.articles)]
        return [b for b in (store.brief(i) for i in ids) if b is not None]


@app.command()
def add(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    db: Path = typer.Option(..., "--db", help="Store (SQLite file); created when missing."),
    brief: bool = typer.Option(True, "--brief/--no-brief", help="Re-brief the stories that changed."),
    words: int | None = typer.Option(None, "--words", "-w", min=1, show_default="100, or the --config file's",
                                     help="Summary budget per story, in words."),
    batch_size: int = typer.Option(500, "--batch-size", min=0,
                                   help="Articles per transaction (0: all in one)."),
    as_json: bool = typer.Option(False, "--json", help="Print what changed as JSON."),
    workers: int | None = WORKERS_OPTION,
    scheduler: str | None = SCHEDULER_OPTION,
) -> None:
    """Add articles to a store: dedupe and cluster them into the stored stories, re-brief changed stories."""
    options = _options(words=words)
    articles = _read(paths)
    with _open_store(db, options) as store:
        result = _store_add(store, articles, batch_size)
        briefed = _store_refresh(store, options, workers, scheduler) if brief else []
        counts = store.counts()
    if as_json:
        _print_json({**result.to_json(), "briefed": briefed, "counts": counts})
    else:
        out.print(f"{len(result.added)} added ({len(result.duplicates)} duplicates), {len(result.updated)} "
                  f"updated, {len(result.unchanged)} unchanged; {count(len(result.changed_stories), 'story')} changed, "
                  f"{len(briefed)} briefed. Store: {count(counts['articles'], 'article')}, "
                  f"{count(counts['stories'], 'story')}, {count(counts['outlets'], 'outlet')}.", markup=False)
    _finish()


@app.command()
def edition(
    db: Path = typer.Option(..., "--db", help="Store (SQLite file) to read."),
    since: str = typer.Option("12h", "--since", help="The period: 30m, 12h, 2d, 1w (ingest time)."),
    at: str | None = typer.Option(None, "--at", help="End of the period (ISO datetime, UTC; default now)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Stories in the edition."),
    as_json: bool = typer.Option(False, "--json", help="Print the edition as JSON."),
    md: bool = typer.Option(False, "--md", help="Print it as Markdown."),
    html: bool = typer.Option(False, "--html", help="Print it as a self-contained HTML page."),
) -> None:
    """The top stories of a period, ranked by independent outlets and novelty, each with its headline,
    lead sentence and what changed."""
    import datetime as _dt

    from .edition import build_edition, change_lines, parse_period
    from .store import Store, iso_utc

    if not db.exists():
        say(f"newsdesk: {db}: no such store")
        raise typer.Exit(2)
    try:
        period = parse_period(since)
        until = _dt.datetime.fromisoformat(iso_utc(at)) if at else None
    except InputError as exc:
        say(f"newsdesk: {safe(exc)}")
        raise typer.Exit(2) from exc
    with Store(db, state.options, readonly=True) as store:
        ed = build_edition(store, period, until, limit)
    if as_json:
        _print_json(ed.to_json())
    elif md or html:
        sys.stdout.write(ed.to_markdown() if md else ed.to_html() + "\n")
    else:
        show(f"Edition {ed.since[:16]} – {ed.until[:16]} UTC: {count(len(ed.items), 'story')}")
        for n, it in enumerate(ed.items, 1):
            out.print(Text.assemble(f"\n{n}. ", (safe(it.headline), "bold"), f" ({it.outlets} outlets)"))
            if it.lead:
                show(f"   {it.lead}")
            for c in change_lines(it.changes):
                show(f"   • {c}")
    _finish()


@app.command()
def timeline(
    paths: list[str] = typer.Argument(..., help=PATHS_HELP),
    dates: int | None = typer.Option(None, "--dates", "-n", min=1, help="Keep the N most important dates."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"timeline\": [{\"date\", \"text\", \"sources\"}], "
                                 "\"background\": [{\"date\", \"period\", \"text\", \"sources\"}]}."),
) -> None:
    """The timeline of ALL input articles as one story, sorted by date; events from before the story
    (decades, ranges, older dates) listed apart as background."""
    articles = _read(paths)
    with _progress("Parsing", len(articles)) as tick:
        events = api.timeline(articles, state.options, dates=dates, nlp=NLP(state.options), progress=tick)
    if as_json:
        _print_json({"timeline": [e.to_json() for e in events if not e.background],
                     "background": [e.to_json() for e in events if e.background]})
    else:
        for label, group in (("Background", [e for e in events if e.background]),
                             ("Timeline", [e for e in events if not e.background])):
            if group:
                show(f"{label}:")
            for e in group:
                show(f"{e.when:<12}  {e.text} [{', '.join(e.sources)}]")
    _finish()


def _print_stories(briefs: list[Any]) -> None:
    for i, b in enumerate(briefs, 1):
        outlets = sorted({a.source for a in b.articles if a.source})
        out.print(Text.assemble("\n", (f"{i}. {safe(b.headline)}", "bold")))
        show(f"   {count(len(b.articles), 'article')}, {count(len(outlets), 'outlet')}: {', '.join(outlets)}")
        copies = {a.id for a in b.articles if a.duplicate_of}
        for s in b.summary:  # a copy reports the sentence but confirms nothing: counted apart
            n_copies = sum(1 for aid in s.sources if aid in copies)
            extra = f" + {count(n_copies, 'copy')}" if n_copies else ""
            show(f"   • {s.text} [{count(len(s.sources) - n_copies, 'source')}{extra}]")


def demo_corpus_path() -> Path:
    """The folder of the bundled demo corpus."""
    return Path(str(resources.files("newsdesk") / "demo" / "corpus"))


@app.command()
def demo(
    out_dir: Path = typer.Option(Path("newsdesk-demo"), "--out", "-o", help="Folder for the report."),
) -> None:
    """Run the whole pipeline on the bundled demo corpus and write the report."""
    corpus = demo_corpus_path()
    articles = _read([str(corpus)])
    briefs = _brief_all(articles, state.options)
    out.print(Text.assemble(("newsdesk demo", "bold"), safe(f": {count(len(articles), 'article')} from {corpus}, "
                                                           f"{count(len(briefs), 'story')}")))
    _print_stories(briefs)
    paths = report.write_report(briefs, out_dir, ("json", "md", "html"))
    show("\nReport: " + ", ".join(str(p) for p in paths))
    _finish()


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="Feed URLs (RSS/Atom), OPML files listing feeds, and folders "
                                      "that receive files."),
    db: Path = typer.Option(..., "--db", help="Store (SQLite file); created when missing."),
    interval: float | None = typer.Option(None, "--interval", min=0.001, show_default="300, or the --config file's",
                                          help="Seconds between two polls of a source."),
    once: bool = typer.Option(False, "--once", help="Poll every source once, store all it brought, and exit."),
    brief: bool = typer.Option(True, "--brief/--no-brief", help="Re-brief the stories that changed after each poll."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let feed URLs reach private and loopback addresses (a local replay)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per poll on stdout instead of the status "
                                 "line."),
) -> None:
    """Follow feeds and folders: poll on a schedule (conditional GET, per-host politeness, backoff), add what
    is new to the store as `add` does; SIGTERM stops after the current batch (docs/watch.md)."""
    import dataclasses
    import signal

    from .watch import Watcher, sources_of

    options = _options(watch_interval=interval, allow_private=allow_private or None)
    sources = sources_of(feeds)

    def status(r: Any) -> None:
        if as_json:
            show(json.dumps(dataclasses.asdict(r)))
        elif not state.quiet:
            err.print(Text(safe(r.line()), style="red" if r.failed else "green" if r.stored else "dim"))

    def problem(e: InputError) -> None:  # a failing feed is backed off and retried: an error only with --once
        if once:
            state.skipped.append(e)
        say(f"newsdesk: {e.source}: {e.reason}")

    with _open_store(db, options) as store, Watcher(store, sources, options, brief=brief,
                                                     on_error=problem) as watcher:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: watcher.stop())
        if not state.quiet and not as_json:
            say(f"newsdesk: watching {count(len(sources), 'source')} into {db} "
                f"(every {options.watch_interval:g} s{'' if not once else ', once'}); SIGTERM or Ctrl-C stops")
        polls = watcher.run(once=once, on_poll=status)
        counts = store.counts()
    if not state.quiet and not as_json:
        say(f"newsdesk: stopped after {count(polls, 'poll')}. Store: {count(counts['articles'], 'article')}, "
            f"{count(counts['stories'], 'story')}.")
    if once:
        _finish()


@app.command()
def serve(
    db: Path = typer.Option(Path("newsdesk.sqlite"), "--db", help="Store (SQLite file) to serve."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    allow_host: list[str] = typer.Option([], "--allow-host", help="Another name this server may be reached by "
                                         "(Host header); repeatable. Always allowed: the --host address, "
                                         "localhost and any IP address."),
    allow_write: bool = typer.Option(False, "--allow-write", help="Enable POST /api/articles (needs --token)."),
    token: str | None = typer.Option(None, "--token", envvar="NEWSDESK_TOKEN",
                                     help="Bearer token for write endpoints (or NEWSDESK_TOKEN)."),
) -> None:
    """Web UI and JSON API over a store (FastAPI + uvicorn; needs the `web` extra)."""
    if allow_write and not token:
        say("newsdesk: --allow-write needs --token (write endpoints are never open without one)")
        raise typer.Exit(2)
    if not db.exists():
        say(f"newsdesk: {db}: no such store (create it with newsdesk brief PATH… --db {db})")
        raise typer.Exit(2)
    try:
        from .web import create_app

        application = create_app(db, state.options, allow_write=allow_write, token=token,
                                 allowed_hosts=[host, *allow_host])
        import uvicorn
    except ImportError as exc:
        raise exc if isinstance(exc, MissingExtraError) else MissingExtraError(exc.name or "uvicorn", "web") from exc
    say(f"newsdesk: serving {db} on http://{host}:{port}/")
    uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)


def run() -> None:  # console-script entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
