"""The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser download).

A uvicorn server on 127.0.0.1 (free port, in a thread) serves a store of the demo corpus plus two hostile
articles; the tests open the pages, follow a citation, run a search and check hostile text stays inert.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):  # CI's install step (scripts/install-browser.sh) must have installed it
        raise RuntimeError(f"CI: Debian's chromium is missing at {CHROMIUM}; scripts/install-browser.sh failed")
    pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (bash scripts/install-browser.sh)",
                allow_module_level=True)
pytest.importorskip("fastapi")
playwright_sync = pytest.importorskip("playwright.sync_api", reason="the Playwright package (dev extra) is missing")

from test_web import build_desk  # noqa: E402

from newsdesk.store import Store  # noqa: E402
from newsdesk.web import create_app  # noqa: E402

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def desk(tmp_path_factory, demo_articles, nlp) -> Path:
    return build_desk(tmp_path_factory.mktemp("browser") / "desk.sqlite", demo_articles, nlp)


@pytest.fixture(scope="module")
def server(desk):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not t.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    pg.problems = []  # dialogs, console errors, page errors
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    yield pg
    ctx.close()


def test_stories_page_then_story(page, server, desk):
    page.goto(server + "/")
    assert page.title().startswith("Stories")
    with Store(desk, readonly=True) as store:
        first = store.stories()[0]
    link = page.locator("ol.stories a.headline").first
    assert link.inner_text().strip() == (first.headline or first.id)
    link.click()
    page.wait_for_url(f"**/stories/{first.id}")
    assert page.locator("h1").inner_text().strip() == (first.headline or first.id)
    assert page.locator("#summary .sentence").count() >= 1
    assert not page.problems


def test_citation_reveals_source_sentence(page, server, desk):
    with Store(desk, readonly=True) as store:
        sid = next(r.id for r in store.stories() if r.articles >= 3)
        brief = store.brief(sid)
    page.goto(f"{server}/stories/{sid}")
    cite = page.locator("#summary details.cite").first
    reveal = cite.locator(".source-sentence")
    assert not reveal.is_visible()
    assert cite.locator("summary").inner_text().strip().startswith("[")
    cite.locator("summary").click()
    assert reveal.is_visible()
    shown = " ".join(reveal.inner_text().split())
    assert " ".join(brief.summary[0].text.split()) in shown
    # the revealed source links to its article, which opens
    reveal.locator("a").click()
    page.wait_for_url("**/articles/**")
    assert page.locator("article.article h1").is_visible()
    assert not page.problems


def test_search_from_the_header(page, server):
    page.goto(server + "/")
    page.fill("form.search input[name=q]", "Pelmont harbour fire")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.hits li.hit")
    assert hits.count() >= 1
    assert "Pelmont" in page.locator("ol.hits").inner_text()
    assert not page.problems


def test_hostile_article_renders_inert(page, server, desk):
    with Store(desk, readonly=True) as store:
        sid = store.story_of("hostile/1.txt")
    for url in (f"/stories/{sid}", "/articles/hostile/1.txt", "/articles/hostile/2.txt", "/",
                "/search?q=harbour", "/search?q=%3Cscript%3Ewindow.__pwned%3D7%3C%2Fscript%3E"):
        page.goto(server + url)
        page.wait_for_load_state("load")
        for d in page.locator("details").all():  # open every citation: revealed text must stay inert too
            d.locator("summary").click()
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("script").count() == 0, url
        assert page.locator("[onerror], [onclick], [onload]").count() == 0, url
    page.goto(server + "/articles/hostile/1.txt")
    assert "<script>window.__pwned=1</script>" in page.locator("article.article .body").inner_text()
    assert not page.problems, page.problems


# --- a phone: 390 px wide (an iPhone 12-15 in portrait) ---------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    ctx.close()


def _figures_fit(root) -> None:
    """Every figures table under the locator ``root`` fits the phone's width, has no empty cell
    and its text is not shrunk below 12 px."""
    tables = root.locator("table.figures")
    assert tables.count() >= 1
    for t in tables.all():
        box = t.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
        cells = t.locator("th, td")
        assert cells.count() >= 2
        assert all(c.inner_text().strip() for c in cells.all())  # no empty column
        size = float(t.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size >= 12
    assert root.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing sticks out sideways


def test_story_figures_read_on_a_phone(phone, server, desk):
    with Store(desk, readonly=True) as store:
        sid = next(r.id for r in store.stories() if (b := store.brief(r.id)) is not None and b.conflicts)
    phone.goto(f"{server}/stories/{sid}")
    _figures_fit(phone.locator("#figures"))
    assert phone.locator("#figures tr.conflict").count() >= 1
    plot = phone.locator("#figures svg.figures-plot")
    if plot.count():
        box = plot.bounding_box()
        assert box is not None and box["width"] <= PHONE["width"]
        label = plot.locator("text.measure").first
        assert float(label.evaluate("e => e.getBoundingClientRect().height")) >= 10  # legible, not shrunk


def test_html_report_figures_read_on_a_phone(phone, tmp_path, demo_briefs, seed_briefs):
    from newsdesk.report import write_report

    (path,) = write_report([*demo_briefs, *seed_briefs], tmp_path, formats=("html",))
    phone.goto(path.resolve().as_uri())
    for story in phone.locator("article.story").all():
        if story.locator("table.figures").count():
            _figures_fit(story)
    assert phone.locator("h3", has_text="Background figures").count() >= 1
    assert phone.locator("table.figures ol.steps").count() >= 1  # an update shown as a dated sequence


def _page_width(pg) -> int:
    return pg.evaluate("document.documentElement.scrollWidth")


def _inside(pg, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1


def test_story_page_reads_on_a_phone(phone, server, desk):
    with Store(desk, readonly=True) as store:
        sid = next(r.id for r in store.stories() if r.articles >= 3 and store.brief(r.id).timeline)
    phone.goto(f"{server}/stories/{sid}")
    assert _page_width(phone) <= PHONE["width"], "the page scrolls sideways on a phone"
    assert _inside(phone, phone.locator("h1"))
    events = phone.locator("ol.timeline li")
    assert events.count() >= 1
    for i in range(events.count()):
        assert _inside(phone, events.nth(i)), "a timeline event runs off the screen"
    cite = phone.locator("#summary details.cite").first
    cite.locator("summary").tap()
    reveal = cite.locator(".source-sentence")
    assert reveal.is_visible() and _inside(phone, reveal)
    assert _page_width(phone) <= PHONE["width"]
    for plot in phone.locator("svg.timeline-plot").all():
        assert not plot.is_visible()  # the list carries the events; the plot's text would be unreadable


def test_report_reads_on_a_phone(phone, tmp_path, demo_briefs):
    from newsdesk.report import to_html

    path = tmp_path / "report.html"
    path.write_text(to_html(demo_briefs), encoding="utf-8")
    phone.goto(path.as_uri())
    assert _page_width(phone) <= PHONE["width"], "the report scrolls sideways on a phone"
    for sel in ("article.story h2", "table.timeline tbody tr", "table.outlets tbody tr", "ul.summary li"):
        rows = phone.locator(sel)
        for i in range(min(rows.count(), 10)):
            assert _inside(phone, rows.nth(i)), f"{sel} runs off the screen"
    assert "1 articles" not in phone.content() and "1 outlets" not in phone.content()


def test_edition_page(page, phone, server, desk):
    """The edition lists the period's stories with headline, lead and what changed, and reads on a phone."""
    with Store(desk, readonly=True) as store:
        from newsdesk.edition import build_edition, parse_period

        ed = build_edition(store, parse_period("12h"))
    assert ed.items
    page.goto(server + "/edition?since=12h")
    assert page.title().startswith("Edition")
    items = page.locator("li.edition-item")
    assert items.count() == len(ed.items)
    first = items.first
    assert first.locator("a.headline").inner_text().strip() == ed.items[0].headline
    assert first.locator("p.lead").inner_text().strip() == ed.items[0].lead
    assert first.locator("ul.changes li").first.inner_text().strip() == "New story."
    first.locator("a.headline").click()
    page.wait_for_url(f"**/stories/{ed.items[0].story_id}")
    assert page.locator("#changes").count() == 1
    assert not page.problems
    phone.goto(server + "/edition?since=12h")
    assert _page_width(phone) <= PHONE["width"], "the edition scrolls sideways on a phone"
    for i in range(min(5, phone.locator("li.edition-item").count())):
        assert _inside(phone, phone.locator("li.edition-item").nth(i))
