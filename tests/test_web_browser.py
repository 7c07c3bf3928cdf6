"""The web page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skips when /usr/bin/chromium or Playwright is absent. The server is uvicorn on a free
127.0.0.1 port inside the test; nothing else is contacted. A screenshot of the analysed sample
is saved under the test's tmp dir (its path is printed) so a person can look at the rendering.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from rasd.api.app import create_app  # noqa: E402
from rasd.api.local_server import serving  # noqa: E402
from rasd.document import Document, Entity, Event, Mention, Sentence, Span  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


def _located(text: str, place: str, lat: float, lon: float, published: str) -> Document:
    doc = Document(text=text, published=published, title=text[:20])
    doc.sentences = [Sentence(0, len(text))]
    p = text.index(place)
    doc.entities = [Entity("e1", "GPE", place, lat=lat, lon=lon)]
    doc.mentions = [Mention("m1", p, p + len(place), place, "GPE", "e1")]
    t = text.index("قصفت")
    doc.events = [Event("v1", "ASSAULT", None, Span(t, t + 4, "قصفت"), location="e1",
                        sentence=0)]
    return doc


STORY = ("غارات التحالف على مواقع الحوثيين في تعز تدمر مخازن أسلحة في جبل صبر ومعسكر المطار\n"
         "وقالت المقاومة الشعبية إن غارات التحالف دمرت مخازن أسلحة الحوثيين في جبل صبر بتعز.\n")


def _story_report(outlet: str, last: str, status: str, published: str) -> Document:
    """One of two reports of one story: the same attack, asserted by one, denied by the other."""
    text = STORY + last
    doc = Document(text=text, published=published, title=STORY.split("\n")[0], outlet=outlet,
                   id=f"story-{outlet}", url=f"https://example.test/{outlet}")
    lines, pos = text.split("\n"), 0
    for line in lines:
        doc.sentences.append(Sentence(pos, pos + len(line)))
        pos += len(line) + 1
    doc.entities = [Entity("e1", "ORG", "التحالف", kb_id="rasd:coalition"),
                    Entity("e2", "GPE", "تعز", kb_id="geo:taiz")]
    for eid, name in (("e1", "التحالف"), ("e2", "تعز")):
        p = last.index(name) + len(STORY)
        doc.mentions.append(Mention(f"m{eid}", p, p + len(name), name,
                                    "ORG" if eid == "e1" else "GPE", eid))
    t = len(STORY) + last.index("غارة")
    doc.events = [Event("v1", "ASSAULT", None, Span(t, t + 4, "غارة"), actor="e1",
                        location="e2", status=status, sentence=2)]
    return doc


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    app = create_app(db, heavy_per_minute=0, job_pipeline="fast", job_chars=20_000)
    app.state.store.put(_located("قصفت الطائرات مواقع قرب غريان", "غريان", 32.17, 13.02,
                                 "2019-06-26"))
    app.state.store.put(_located("قصفت القوات مطار معيتيقة في طرابلس", "طرابلس", 32.89, 13.19,
                                 "2019-07-01"))
    app.state.store.put(_story_report("Okaz", "وشن التحالف غارة على تعز فجر اليوم", "asserted",
                                      "2015-07-23T08:00:00"))
    app.state.store.put(_story_report("Sabq", "ونفى التحالف أن يكون شن غارة على تعز",
                                      "denied", "2015-07-23T12:00:00"))
    app.state.store.assign_stories()
    with serving(app, lifespan="off") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
          if msg.type == "error" else None)
    pg.on("request", lambda req: problems.append(f"outside request: {req.url}")
          if not req.url.startswith((server, "data:")) else None)
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.goto(server + "/")
    yield pg
    context.close()
    assert problems == []


def _wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JS expression until true.

    Why not ``page.wait_for_function``: after its first check Playwright re-evaluates a string
    predicate with ``eval`` inside the page, which the page's CSP (script-src 'self') forbids;
    ``page.evaluate`` goes through the DevTools protocol and is exempt.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for: {expression}")
        time.sleep(0.05)


def _analyze(page, text: str, store: bool = False) -> None:
    page.fill("#article-text", text)
    if store:
        page.check("#store-it")
    page.click("#analyze-button")
    page.wait_for_selector("#doc-text", timeout=60_000)
    _wait_until(page, "!document.querySelector('#analyze-button').disabled")


def test_analyze_sample_shows_entities_claims_and_screenshot(page, shared, tmp_path) -> None:
    sample = shared("samples/libya-2019-rajma.txt").read_text(encoding="utf-8")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    _analyze(page, sample)
    # The article comes back as text with entity marks by type.
    shown = page.text_content("#doc-text")
    assert shown.startswith(sample.strip()[:1000])  # (ingest drops trailing scraper debris)
    marks = page.locator("#doc-text mark.ent")
    assert marks.count() >= 10
    per = page.locator("#doc-text mark.ent-PER").all_text_contents()
    assert any("حفتر" in t for t in per)
    assert page.locator("#doc-text mark.ent-GPE").count() >= 1
    colours = {page.eval_on_selector(f"#doc-text mark.ent-{t}",
                                     "m => getComputedStyle(m).backgroundColor")
               for t in ("PER", "GPE")}
    assert len(colours) == 2  # the types are told apart by colour
    # Who says what, with stance.
    claims = page.locator("#claims-list > li")
    assert claims.count() >= 3
    assert page.locator("#claims-list .stance").count() == claims.count()
    assert "حفتر" in page.text_content("#claims-list")
    assert page.locator("#doc-events tbody tr").count() >= 3
    # the base layer (every country drawn from the bundled areas) and the article's places
    _wait_until(page, "document.querySelector('#doc-map').dataset.places !== undefined")
    assert page.locator("#doc-map .leaflet-overlay-pane path").count() > 200
    assert int(page.get_attribute("#doc-map", "data-places")) >= 3
    # a chart of the events dated to a day, or a line saying there are none
    days = int(page.get_attribute("#doc-timeline", "data-days"))
    assert (page.locator("#doc-timeline canvas").count() >= 1) == (days > 0)
    assert days or "لا أحداث مؤرخة بيوم" in page.text_content("#doc-timeline")
    shot = tmp_path / "rasd-analyze.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot: {shot}")
    assert shot.stat().st_size > 20_000


def test_article_markup_renders_as_text(page) -> None:
    text = ("قال خليفة حفتر إن قواته ستدخل العاصمة طرابلس قريبا، وقال فائز السراج إن الهجوم "
            f"فشل.\n\n{XSS}")
    _analyze(page, text)
    assert XSS in page.text_content("#doc-text")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc-text script, #doc-text img").count() == 0


def test_store_click_entity_search_and_events(page, server) -> None:
    text = ("قال خليفة حفتر إن قواته تتقدم بطرابلس، بينما قال فائز السراج إن الهجوم على مطار "
            "طرابلس فشل.\n\nوأكد المتحدث باسم حكومة الوفاق أن القوات صدت الهجوم.")
    _analyze(page, text, store=True)
    page.wait_for_selector("#doc-view a.ent-link, #doc-text mark.ent-PER")
    page.locator("#doc-text mark.ent-PER").first.click()
    page.wait_for_selector("#entity-page h2")
    assert "entity/" in page.url
    assert "حفتر" in page.text_content("#entity-page h2") or \
        "السراج" in page.text_content("#entity-page h2")
    assert page.locator("#entity-page .mentions li").count() >= 1

    page.goto(server + "/#search")
    page.fill("#search-q", "طرابلس")
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li").count() >= 2
    assert page.locator("#search-results .snippet mark").count() >= 1

    page.goto(server + "/#events")
    page.wait_for_selector("#events-table table")
    # One dot per distinct located place among the stored events: the two fixture events
    # (غريان, طرابلس) and whatever the analysed text adds (the model may place its attack at
    # the airport), as the API reports them.
    api = page.request.get(server + "/api/events?limit=1000").json()
    located = {h["location"]["id"] for h in api["results"]
               if h.get("location") and h["location"].get("lat") is not None}
    assert len(located) >= 2
    # The map is Leaflet over the bundled areas: every located place of the filters is on
    # it (as a point, or as a shaded country/region), not only this page's.
    _wait_until(page, "document.querySelector('#events-map').dataset.places !== undefined")
    where = page.request.get(server + "/api/events/places").json()
    assert page.get_attribute("#events-map", "data-places") == str(len(where["places"]))
    assert len(where["places"]) >= len(located)
    assert page.locator("#events-map .leaflet-container").count() == 1
    assert page.locator("#events-map path.point, #events-map .marker-cluster").count() >= 1
    assert "مكان على الخريطة" in page.text_content("#events-map .map-note")
    # The true total, not the page's length (issue #20.1), in the number's Arabic form:
    # "1–N من N حدثًا" (11–99), "من 5 أحداث" (3–10).
    total = api["total"]
    noun = "أحداث" if 3 <= total % 100 <= 10 else "حدثًا" if total % 100 > 10 else "حدث"
    assert total > 2 and f"من {total:,} {noun}" in page.text_content("#events-status")
    # The timeline is a chart of every event of the filters by day and type (two fixture
    # days at least); brushing a period across it filters the table and the map.
    _wait_until(page, "document.querySelector('#events-timeline').dataset.days !== undefined")
    assert int(page.get_attribute("#events-timeline", "data-days")) >= 2
    over = page.locator("#events-timeline .u-over").bounding_box()
    assert over is not None
    y = over["y"] + over["height"] / 2
    page.mouse.move(over["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(over["x"] + over["width"] / 2, y, steps=5)
    page.mouse.up()
    _wait_until(page, "document.querySelector('#events-since').value !== ''")
    since, until = page.input_value("#events-since"), page.input_value("#events-until")
    assert since <= until and len(since) == len(until) == 10
    _wait_until(page, "document.querySelector('#events-timeline .clear-period') !== null")
    brushed = page.request.get(
        server + f"/api/events?since={since}&until={until}&limit=1").json()["total"]
    assert brushed < api["total"]
    _wait_until(page, f"document.querySelector('#events-status').textContent"
                      f".includes('{brushed:,}') || {brushed} < 3")
    page.click("#events-timeline .clear-period")
    _wait_until(page, "document.querySelector('#events-since').value === ''")
    assert "type=" not in page.get_attribute("#export-csv", "href")
    # Event types read in Arabic, with the PLOVER code beside them; the filter is a list of them.
    assert "اعتداء" in page.text_content("#events-table tbody")
    assert page.locator("#events-type option").count() == 17
    page.select_option("#events-type", "ASSAULT")
    page.click("#events-form button[type=submit]")
    _wait_until(page,
        "document.querySelector('#export-csv').href.includes('type=ASSAULT')")
    # Confidence: the analysed text's events are scored by the learned stages, the fixture's
    # are not; "ثقة ≥ 0.9" leaves only what the model is that sure of, and the export follows.
    page.select_option("#events-type", "")
    page.select_option("#events-confidence", "0.9")
    page.click("#events-form button[type=submit]")
    _wait_until(page,
        "document.querySelector('#export-csv').href.includes('min_confidence=0.9')")
    api = page.request.get(server + "/api/events?min_confidence=0.9&limit=1000").json()
    _wait_until(page,
        f"document.querySelectorAll('#events-table tbody tr').length == {api['count']}"
        if api["count"] else "document.querySelector('#events-table p.muted') !== null")
    page.goto(server + "/#claims")
    page.wait_for_selector("#claims-confidence")
    page.select_option("#claims-confidence", "0.5")
    page.click("#claims-form button[type=submit]")
    page.wait_for_selector("#claims-results li.claim .confidence")


def test_story_page_shows_outlets_merged_event_and_contradiction(page, server) -> None:
    page.goto(server + "/#stories")
    page.wait_for_selector("#stories-results li")
    assert "1–1 من 1 (قصة واحدة)" in page.text_content("#stories-status")  # min 2 articles
    page.locator("#stories-results a.hit-title").first.click()
    page.wait_for_selector("#story-page h2")
    assert "story/st-" in page.url
    outlets = page.locator("#story-page .story-articles tbody th").all_text_contents()
    assert sorted(outlets) == ["Okaz", "Sabq"]
    assert page.locator("#story-page table.merged tbody tr").count() == 1
    box = page.locator("#story-page .contradiction[data-kind=denial]")
    assert box.count() == 1
    marks = box.locator("blockquote mark").all_text_contents()
    assert marks == ["غارة", "غارة"]  # each side's trigger marked inside its sentence
    assert "نفى" in box.text_content()
    # each side links to its stored article
    box.locator(".side a").first.click()
    page.wait_for_selector("#doc-text")


def test_the_form_gives_title_date_outlet_and_url(page, server) -> None:
    page.goto(server + "/#analyze")
    page.fill("#article-text", "قال فائز السراج إن قوات حكومة الوفاق صدت هجوما على طرابلس.")
    page.fill("#article-title", "السراج: صد هجوم على طرابلس")
    page.fill("#article-published", "2019-07-01")
    page.fill("#article-outlet", "عكاظ")
    page.fill("#article-url", "https://example.test/a")
    page.click("#analyze-button")
    page.wait_for_selector("#doc-text")
    assert page.text_content("#doc-title") == "السراج: صد هجوم على طرابلس"
    info = page.text_content("#doc-view p.muted")
    assert "عكاظ" in info and "2019-07-01" in info and "https://example.test/a" in info
    # counts agree with their number in Arabic (no "1 تصريحا")
    status = page.text_content("#analyze-status")
    assert "1 تصريح" not in status and "تصريحا،" not in status.replace("تصريحًا", "")
    page.fill("#article-published", "01/07/2019")
    page.click("#analyze-button")
    _wait_until(page, "document.querySelector('#analyze-status').classList.contains('error')")
    assert "2015-07-21" in page.text_content("#analyze-status")


def test_a_long_paste_runs_in_the_background_with_progress_and_cancel(page, server) -> None:
    """Over the server's job_chars the page starts a job, shows its stage, and can cancel it;
    the worker's stage names read in Arabic."""
    para = "قال فائز السراج إن قوات حكومة الوفاق صدت هجوما على طرابلس. "
    page.goto(server + "/#analyze")
    text = "\n\n".join(f"{i}. {para}" for i in range(20_000))  # 1.3 MB
    page.wait_for_selector("#article-text")
    # as a paste puts it there (typing 1.3 MB through fill() is far slower than a paste)
    page.evaluate("(t) => { document.querySelector('#article-text').value = t; }", text)
    page.click("#analyze-button")
    page.wait_for_selector("#job-box:not([hidden])")
    _wait_until(page, "document.querySelector('#job-stage').textContent.includes(' من ')",
                timeout=60)
    assert "في الخلفية" in page.text_content("#job-stage")
    assert "Stage" not in page.text_content("#job-stage")
    page.click("#job-cancel")
    _wait_until(page, "document.querySelector('#analyze-status').textContent"
                      ".includes('أُلغي التحليل')", timeout=30)
    assert page.locator("#job-box").is_hidden()
    jobs = page.request.get(server + "/api/jobs").json()["jobs"]
    assert jobs[0]["status"] == "cancelled"


_OVERFLOW = """() => { const w = window.innerWidth; const bad = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.leaflet-container') || e.closest('[hidden]')) continue;
    const r = e.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.right > w + 1)) bad.push(`${e.tagName}#${e.id}`);
  }
  return {width: document.documentElement.scrollWidth, bad: bad.slice(0, 5)}; }"""


def test_no_view_is_wider_than_a_phone(browser, server) -> None:
    """At 390 px every view fits the screen: event tables become cards (issue #20.8)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    page = context.new_page()
    try:
        page.goto(server + "/#analyze")
        page.fill("#article-text", "قال فائز السراج إن قوات حكومة الوفاق صدت هجوما على طرابلس، "
                  "وقصفت القوات مطار معيتيقة في العاصمة طرابلس.")
        page.click("#analyze-button")
        page.wait_for_selector("#doc-events, #doc-view p.muted")
        checked = {"analyze": page.evaluate(_OVERFLOW)}
        page.goto(server + "/#events")
        page.wait_for_selector("#events-table table")
        assert page.eval_on_selector("#events-table thead", "t => getComputedStyle(t).display") \
            == "none"  # rows are cards
        checked["events"] = page.evaluate(_OVERFLOW)
        page.goto(server + "/#search")
        page.fill("#search-q", "طرابلس")
        page.click("#search-form button[type=submit]")
        page.wait_for_selector("#search-results li")
        checked["search"] = page.evaluate(_OVERFLOW)
        page.goto(server + "/#claims")
        page.click("#claims-form button[type=submit]")
        page.wait_for_selector("#claims-status")
        checked["claims"] = page.evaluate(_OVERFLOW)
        page.goto(server + "/#entities")
        page.wait_for_selector("#entities-results table")
        checked["entities"] = page.evaluate(_OVERFLOW)
        page.goto(server + "/#stories")
        page.wait_for_selector("#stories-results li")
        checked["stories"] = page.evaluate(_OVERFLOW)
        page.locator("#stories-results a.hit-title").first.click()
        page.wait_for_selector("#story-page h2")
        checked["story"] = page.evaluate(_OVERFLOW)
        page.goto(server + "/#events")
        page.wait_for_selector("#events-table a.ent-link")
        page.locator("#events-table a.ent-link").first.click()
        page.wait_for_selector("#entity-page h2")
        checked["entity"] = page.evaluate(_OVERFLOW)
    finally:
        context.close()
    for view, got in checked.items():
        assert got["width"] <= 390 and not got["bad"], (view, got)


def test_filters_and_page_live_in_the_address(page, server) -> None:
    """Every list view can be bookmarked: its filters and page are in the URL (issue #20.6);
    opening that URL fresh shows the same rows, and Back returns to the earlier filters."""
    page.goto(server + "/#events")
    page.wait_for_selector("#events-table table")
    page.select_option("#events-type", "ASSAULT")
    page.click("#events-form button[type=submit]")
    _wait_until(page, "location.hash.includes('type=ASSAULT')")
    url = page.url
    rows = page.locator("#events-table tbody tr").count()
    page.goto(server + "/#analyze")
    page.goto(url)
    page.wait_for_selector("#events-table table")
    assert page.input_value("#events-type") == "ASSAULT"
    _wait_until(page, f"document.querySelectorAll('#events-table tbody tr').length == {rows}")
    page.goto(server + "/#search?q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3")  # طرابلس
    page.wait_for_selector("#search-results li")
    assert page.input_value("#search-q") == "طرابلس"
    page.fill("#search-q", "غريان")
    page.click("#search-form button[type=submit]")
    _wait_until(page, "decodeURIComponent(location.hash).includes('q=غريان')")
    page.go_back()
    _wait_until(page, "document.querySelector('#search-q').value === 'طرابلس'")


def test_entity_directory_with_type_ahead(page, server) -> None:
    """The entity directory (issue #20.4): type-ahead over the store's entities, a list with
    counts and true totals, each row a link to the entity's page."""
    page.goto(server + "/#entities")
    page.wait_for_selector("#entities-results table")
    total = page.request.get(server + "/api/entities?limit=1").json()["total"]
    assert f"من {total}" in page.text_content("#entities-status") or total <= 2
    page.fill("#entities-q", "طرا")
    _wait_until(page, "[...document.querySelectorAll('#entity-names option')]"
                      ".some((o) => o.value === 'طرابلس')")
    page.fill("#entities-q", "طرابلس")
    page.click("#entities-form button[type=submit]")
    _wait_until(page, "location.hash.includes('entities?q=')")
    page.wait_for_selector("#entities-results a.ent-link")
    assert page.locator("#entities-results a.ent-link").first.text_content() == "طرابلس"
    page.locator("#entities-results a.ent-link").first.click()
    page.wait_for_selector("#entity-page h2")
    assert "طرابلس" in page.text_content("#entity-page h2")


AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
# Names inside running text: the entity marks must be told apart without colour alone.
ACCESSIBLE_TEXT = (
    "قال رئيس المجلس الرئاسي لحكومة الوفاق الوطني الليبية فائز السراج إن القوات الموالية "
    "للحكومة صدت هجوما جديدا شنته قوات المشير خليفة حفتر على الضواحي الجنوبية للعاصمة "
    "طرابلس، وإن الاشتباكات تركزت قرب مطار طرابلس الدولي ومنطقة عين زارة.\n\n"
    "وأضاف السراج في مؤتمر صحفي عقده في طرابلس أن حكومته طلبت من الأمم المتحدة والاتحاد "
    "الأوروبي التدخل لوقف الهجوم، مشيرا إلى أن المبعوث الأممي غسان سلامة يجري اتصالات مع "
    "الأطراف كافة في تونس والقاهرة من أجل العودة إلى طاولة الحوار.")


def test_no_serious_accessibility_violations(page, server, tmp_path) -> None:
    """axe-core (vendored, tests/vendor/axe-core) on every view: no violation rated serious
    or critical (issue #20.9). A screenshot of each view is kept beside the test's files."""
    axe = AXE.read_text(encoding="utf-8")
    page.goto(server + "/#analyze")
    page.fill("#article-text", ACCESSIBLE_TEXT)
    page.click("#analyze-button")
    page.wait_for_selector("#doc-text mark")
    views = {"analyze": None, "events": "#events-table table", "claims": "#claims-status",
             "entities": "#entities-results table", "stories": "#stories-results li",
             "search?q=%D8%B7%D8%B1%D8%A7%D8%A8%D9%84%D8%B3": "#search-results li"}
    found = {}
    for view, ready in views.items():
        if ready:
            page.goto(f"{server}/#{view}")
            page.wait_for_selector(ready)
        page.evaluate(axe)  # through the DevTools protocol: the page's CSP allows no inline script
        found[view] = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations"
            ".filter((v) => v.impact === 'serious' || v.impact === 'critical')"
            ".map((v) => `${v.id} (${v.impact}): ${v.nodes[0].target.join(' ')}`))")
        page.screenshot(path=str(tmp_path / f"axe-{view.split('?')[0]}.png"))
    assert all(not v for v in found.values()), found


def test_event_rows_link_their_article_and_sort(page, server) -> None:
    """Each stored event names its article (link, outlet); the date header sorts oldest
    first and back, through the API's sort (issue #20.1)."""
    page.goto(server + "/#events")
    page.wait_for_selector("#events-table tbody tr")
    assert page.locator("#events-table tbody td.doc a.doc-link").count() \
        == page.locator("#events-table tbody tr").count()
    newest = page.request.get(server + "/api/events?limit=1").json()["results"][0]["date"]
    oldest = page.request.get(server + "/api/events?limit=1&sort=oldest").json()["results"][0]
    page.click("#events-table th button.sort >> nth=0")
    _wait_until(page, "location.hash.includes('sort=oldest')")
    page.wait_for_selector("#events-table tbody tr")
    _wait_until(page, "document.querySelector('#events-table tbody td.date').textContent"
                      f" === {oldest['date']!r}")
    assert oldest["date"] <= newest


def test_a_claim_or_event_is_shown_in_the_text(page, server) -> None:
    """"أظهر في النص" marks a claim's cue and content, an event's trigger and its arguments,
    in the article (issue #20.5)."""
    page.goto(server + "/#analyze")
    page.fill("#article-text", ACCESSIBLE_TEXT)
    page.click("#analyze-button")
    page.wait_for_selector("#claims-list li")
    first_cue = page.text_content("#claims-list li .cue")
    page.locator("#claims-list li button.show-in-text").first.click()
    page.wait_for_selector("#doc-text .focus-cue")
    assert "".join(page.locator("#doc-text .focus-cue").all_text_contents()) == first_cue
    assert page.locator("#doc-text .focus-content").count() >= 1
    # the article's text itself is unchanged by the marks
    assert page.text_content("#doc-text") == ACCESSIBLE_TEXT
    page.locator("#doc-events button.show-in-text").first.click()
    page.wait_for_selector("#doc-text .focus-trigger")
    assert page.locator("#doc-text .focus-cue").count() == 0
    trigger = page.text_content("#doc-events tbody tr mark.trigger")
    assert "".join(page.locator("#doc-text .focus-trigger").all_text_contents()) == trigger


def test_entity_page_pages_its_mentions_and_names_who_it_meets(page, server) -> None:
    page.goto(server + "/#entities")
    page.wait_for_selector("#entities-results a.ent-link")
    page.locator("#entities-results a.ent-link").first.click()
    page.wait_for_selector("#entity-page h2")
    eid = page.url.rsplit("/", 1)[1]
    data = page.request.get(f"{server}/api/entities/{eid}").json()
    assert data["mentions_total"] >= len(data["mentions"]) >= 1
    assert {"counterparts", "co_occurring", "generic"} <= set(data)
    shown = page.locator("#entity-page .mentions li").count()
    assert shown == min(50, data["mentions_total"])
    total = data["mentions_total"]
    status = page.text_content("#entity-mentions-status")
    assert f"{total:,}" in status or total <= 2
    if data["co_occurring"]:
        assert data["co_occurring"][0]["name"] in page.text_content("#entity-page")


def test_a_stored_claim_opens_its_article_with_the_claim_marked(page, server) -> None:
    page.goto(server + "/#analyze")
    page.fill("#article-text", ACCESSIBLE_TEXT)
    page.check("#store-it")
    page.click("#analyze-button")
    _wait_until(page, "location.hash.startsWith('#doc/')")
    page.goto(server + "/#claims?q=%D8%A7%D9%84%D9%87%D8%AC%D9%88%D9%85")  # الهجوم
    page.wait_for_selector("#claims-results li a.doc-link")
    link = page.locator("#claims-results li a.doc-link").first
    assert "?claim=" in link.get_attribute("href")
    cue = page.locator("#claims-results li .cue").first.text_content()
    link.click()
    page.wait_for_selector("#doc-text .focus-cue")
    assert "".join(page.locator("#doc-text .focus-cue").all_text_contents()) == cue


def test_search_facets_count_every_page_and_narrow_the_search(page, server) -> None:
    from urllib.parse import quote

    q = quote("التحالف")  # the two reports of the story
    page.goto(server + f"/#search?q={q}")
    page.wait_for_selector("#search-results li")
    api = page.request.get(server + f"/api/search?q={q}").json()
    outlets = api["facets"]["outlet"]
    assert len(outlets) >= 2  # Okaz and Sabq
    assert sum(n for _, n in outlets) <= api["total"]
    page.wait_for_selector("#search-facets button.facet-value")
    name, n = outlets[0]
    page.locator("#search-facets button.facet-value").first.click()
    _wait_until(page, f"document.querySelector('#search-source').value === {name!r}")
    _wait_until(page, f"document.querySelector('#search-status').textContent.includes('{n}')")
