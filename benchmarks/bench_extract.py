"""Benchmark: HTML extraction throughput on the 181 ScrapingHub benchmark pages.

Three runs in the same process on the same (already decompressed, in-memory) pages, in
pages per second, best of ``--repeat`` rounds each:

* ``trafilatura``: ``trafilatura.extract(html, include_comments=False)`` -- the peer;
* ``trafilatura+metadata``: ``bare_extraction(..., with_metadata=True, favor_precision=True)``,
  the call newsdesk makes (title, author, date with htmldate, site name, language);
* ``newsdesk read``: newsdesk's HTML reader (decoding, trafilatura precision mode with
  the short-page fallback, metadata, language detection) -- no cleaning;
* ``newsdesk read+clean``: the same followed by ``clean_articles`` (what ``newsdesk.read``
  does), i.e. the whole ingest stage.

The ratio newsdesk / trafilatura is the figure to watch (absolute numbers depend on the
machine and its load).

    python benchmarks/bench_extract.py [--repeat 3] [--pages N]

Reads ../shared/data/scrapinghub-article-extraction (or $NEWSDESK_SHARED/data/...); exits
with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import resource
import sys
import time

from newsdesk.eval.common import shared_dir


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="rounds per system; the best is reported")
    ap.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = ap.parse_args()
    root = shared_dir() / "data" / "scrapinghub-article-extraction" / "html"
    if not root.is_dir():
        print(f"data not found at {root} (set NEWSDESK_SHARED)", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)  # per-page encoding notes would dominate the output

    import trafilatura

    from newsdesk.clean import clean_articles
    from newsdesk.ingest import READERS, _checked
    from newsdesk.ingest.readers import Source

    files = sorted(root.glob("*.html.gz"))
    if args.pages:
        files = files[: args.pages]
    raw = [(f.name, gzip.decompress(f.read_bytes())) for f in files]
    texts = [data.decode("utf-8", errors="replace") for _, data in raw]

    def run_trafilatura() -> int:
        return sum(1 for html in texts if trafilatura.extract(html, include_comments=False))

    def run_trafilatura_meta() -> int:
        return sum(1 for html in texts if trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                                                      favor_precision=True))

    def read_all() -> list:  # type: ignore[type-arg]
        out = []
        for name, data in raw:
            src = Source(id=name, name=name, data=data)
            out.extend(_checked(READERS["html"](src), {}, lambda e: None))
        return out

    def run_read() -> int:
        return len(read_all())

    def run_read_clean() -> int:
        return len(clean_articles(read_all()))

    systems = {"trafilatura": run_trafilatura, "trafilatura+metadata": run_trafilatura_meta,
               "newsdesk read": run_read, "newsdesk read+clean": run_read_clean}
    run_read()  # warm up imports and models (trafilatura's, the language identifier)
    best: dict[str, float] = {}
    for name, fn in systems.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            n = fn()
            times.append(time.perf_counter() - t)
        best[name] = min(times)
        print(f"{name:<22} {len(raw) / best[name]:7.1f} pages/s  ({best[name]:.2f} s for {len(raw)} pages, "
              f"{n} with text)")
    base = best["trafilatura"]
    for name in list(systems)[1:]:
        print(f"{name} / trafilatura speed: {base / best[name]:.2f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
