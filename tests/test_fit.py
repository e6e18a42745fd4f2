"""Tables that fit: on laptop-sized screens nothing in a report is cut off unseen.

Every kind of page of several bundles (a cluster, a job list long enough for later
pages, a lone worker, a diff, an iris checkpoint) is opened in Chromium at 1,280 and
1,440 px, light and dark, and measured in the page: no badge, heading or sort button
is cut; a table cell is cut only where it is long free text ending in an ellipsis with
a title that reads whole; no word of a cell (a number, an address, an id) is broken
across lines outside free text; and a table wider than its card scrolls inside the
card, shows that edge and keeps its first column in view.

The kinds of page are found from the bundles (each page's `data-page`), so a kind of
page added later is measured without a change here. With FIT_SHOTS set to a folder,
each measured page is also saved there as a screenshot.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from renderer.reference import demo
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.browser

WIDTHS = (1280, 1440)
SCHEMES = ("light", "dark")
BUNDLES = ("cluster", "paged", "lone_worker", "diff", "iris")

# A cell may end in an ellipsis only if a title reads it whole, and only if it holds
# long text (a name, an error, an id); short values are never cut: numbers, times,
# durations, resources (what renderer/report/columns.py marks num and nowrap).
NEVER_CUT = "td.num, td.nowrap"
# Free text may wrap anywhere; elsewhere a line breaks only between words, or after a
# hyphen or a slash in a long id or path.
FREE_TEXT = "td.name, td.error-cell"
# What holds a table: the table may not be wider than the nearest of these.
CARDS = ".panel, .card, .attempt, .job, main"

MEASURE = r"""
([neverCut, freeText, cards]) => {
  const SLACK = 1;  // sub-pixel rounding
  const found = [];
  const style = (el, pseudo) => getComputedStyle(el, pseudo);
  const shown = (el) =>
    el.checkVisibility({ visibilityProperty: true }) && !el.closest(".visually-hidden");
  // "td.mono [worker] in #r-1ce98821 \"worker-36f675cc\"": what, which column, where.
  const where = (el) => {
    const owner = el.closest("[id]");
    const classes = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const cell = el.closest("td, th");
    const head = cell && cell.closest("table").tHead;
    const th = head ? head.rows[0].cells[cell.cellIndex] : null;
    const column = th ? ` [${th.getAttribute("data-column") || th.textContent.trim()}]` : "";
    const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 40);
    const tag = el.tagName.toLowerCase();
    return `${tag}${classes}${column} in #${owner ? owner.id : "-"} "${text}"`;
  };
  const report = (what, el, detail) =>
    found.push(`${what}: ${where(el)}${detail ? " (" + detail + ")" : ""}`);
  const overflows = (el) => el.scrollWidth > el.clientWidth + SLACK;
  const ellipsized = (el) => {
    const s = style(el);
    return s.textOverflow === "ellipsis" && s.overflowX !== "visible";
  };
  const titled = (el) => Boolean(el.title || (el.firstElementChild && el.firstElementChild.title));
  const scrolls = (el) => ["auto", "scroll"].includes(style(el).overflowX);
  const widths = (el) => `${el.scrollWidth} > ${el.clientWidth}`;

  // The ancestor that cuts an element off: hidden overflow it does not fit in. A
  // scroll box ends the search, as what is in it can be scrolled to.
  function clipper(el) {
    const box = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = style(a);
      if (s.overflowX === "visible") continue;
      if (scrolls(a)) return null;
      const left = a.getBoundingClientRect().left + a.clientLeft;
      if (box.left < left - SLACK || box.right > left + a.clientWidth + SLACK) return a;
    }
    return null;
  }

  // A word of the element broken across lines other than after a hyphen or a slash.
  function brokenWord(el) {
    const range = document.createRange();
    const top = (node, at) => {
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const rect = range.getClientRects()[0];
      return rect ? rect.top : null;
    };
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      range.selectNodeContents(node);
      if (range.getClientRects().length < 2) continue;  // on one line
      for (const m of node.data.matchAll(/\S{2,}/g)) {
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length < 2) continue;
        let line = top(node, m.index);
        for (let i = 1; i < m[0].length; i++) {
          const here = top(node, m.index + i);
          if (here === null || line === null || Math.abs(here - line) <= 2) continue;
          if (!"-/".includes(m[0][i - 1])) return m[0];
          line = here;
        }
      }
    }
    return null;
  }

  // What hides the edge a scroll box draws on its background at its right: anything
  // opaque over it there, half-way down its visible body rows.
  function coverOfEdge(box) {
    box.scrollIntoView({ block: "center" });
    const r = box.getBoundingClientRect();
    const head = box.querySelector("thead");
    const top = Math.max(r.top, head ? head.getBoundingClientRect().bottom : r.top);
    const bottom = Math.min(r.bottom, window.innerHeight);
    if (bottom <= top) return null;
    const x = r.left + box.clientLeft + box.clientWidth - 4;
    for (const el of document.elementsFromPoint(x, (top + bottom) / 2)) {
      if (el === box || !box.contains(el)) return null;
      const s = style(el);
      const alpha = s.backgroundColor.match(/[\d.]+/g).map(Number)[3] ?? 1;
      if (alpha === 1 || s.backgroundImage !== "none") return el;
    }
    return null;
  }

  if (overflows(document.documentElement)) {
    report("the page scrolls sideways", document.body, widths(document.documentElement));
  }
  for (const el of document.querySelectorAll("h1, h2, h3, h4")) {
    if (shown(el) && overflows(el)) report("heading cut", el, widths(el));
  }
  for (const el of document.querySelectorAll(".badge, .chip, .tag")) {
    if (!shown(el)) continue;
    if (overflows(el) || ellipsized(el)) report("badge cut", el, widths(el));
    const by = clipper(el);
    if (by) report("badge cut by its " + by.tagName.toLowerCase(), el);
  }
  for (const th of document.querySelectorAll("th")) {
    if (!shown(th)) continue;
    if (overflows(th)) report("column heading cut", th, widths(th));
    const word = brokenWord(th);
    if (word) report("column heading broken mid-word", th, word);
    for (const button of th.querySelectorAll("button")) {
      if (overflows(button)) report("sort button cut", button, widths(button));
      const by = clipper(button);
      if (by) report("sort button cut by its " + by.tagName.toLowerCase(), button);
    }
  }
  for (const td of document.querySelectorAll("td")) {
    if (!shown(td)) continue;
    if (overflows(td) && !(ellipsized(td) && titled(td) && !td.matches(neverCut))) {
      report(ellipsized(td) ? "cell cut with an ellipsis" : "cell spills over", td, widths(td));
    }
    if (!td.matches(freeText)) {
      const word = brokenWord(td);
      if (word) report("cell broken mid-word", td, word);
    }
  }
  for (const table of document.querySelectorAll("table")) {
    if (!shown(table)) continue;
    const card = table.closest(cards);
    const inner = card.getBoundingClientRect();
    const cs = style(card);
    const left = inner.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
    const right = inner.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
    let box = null;
    for (let a = table.parentElement; a && a !== card; a = a.parentElement) {
      if (scrolls(a)) { box = a; break; }
    }
    const outer = (box || table).getBoundingClientRect();
    if (outer.left < left - SLACK || outer.right > right + SLACK) {
      report(box ? "scroll box wider than its card" : "table wider than its card", table,
        `${Math.round(outer.width)} px in ${Math.round(right - left)} px`);
    }
    if (!box || box.scrollWidth <= box.clientWidth + SLACK) continue;
    // It scrolls: it must show that there is more, and keep each row's first cell.
    const edge = [null, "::before", "::after"].some((p) => {
      const s = style(box, p);
      return s.backgroundImage.includes("gradient") || s.boxShadow !== "none";
    });
    if (!edge) report("a table scrolls with no visible edge", table, widths(box));
    const cover = edge && coverOfEdge(box);
    if (cover) report("a table's scroll edge is hidden under " + where(cover), table);
    const loose = [...table.rows]
      .filter((row) => shown(row) && row.cells.length > 1)
      .map((row) => row.cells[0])
      .filter((cell) => style(cell).position !== "sticky" || style(cell).left !== "0px");
    if (loose.length) report("a table scrolls without a sticky first column", table, widths(box));
  }
  return found;
}
"""


def page_kinds(root: Path) -> dict[str, list[str]]:
    """The pages to measure by kind: each `data-page` (apart when it carries data for
    the script, as the in-page job list does) with its first page, its largest and
    the one with the most tables."""
    kinds: dict[str, list[tuple[Path, int, int]]] = {}
    for path in sorted(root.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        body = re.search(r'<body[^>]*\bdata-page="([^"]+)"', text)
        if body is None:
            continue
        kind = body.group(1) + (" with data" if 'type="application/json"' in text else "")
        kinds.setdefault(kind, []).append((path, len(text), text.count("<table")))
    chosen = {}
    for kind, pages in kinds.items():
        largest = max(pages, key=lambda p: p[1])
        most_tables = max(pages, key=lambda p: p[2])
        picked = dict.fromkeys(p[0] for p in (pages[0], largest, most_tables))
        chosen[kind] = [p.relative_to(root).as_posix() for p in picked]
    return chosen


def _render(snapshot_path: Path, out: Path) -> Path:
    render_bundle(open_sources([loading.load(snapshot_path)]), out, RenderOptions(title="Fit"))
    return out


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory, demo_bundle: Path, demo_path: Path):  # type: ignore[no-untyped-def]
    """Each bundle by name, rendered on first use."""
    made: dict[str, Path] = {"cluster": demo_bundle}

    def get(name: str) -> Path:
        if name in made:
            return made[name]
        folder = tmp_path_factory.mktemp(name)
        if name == "paged":  # more jobs than a list page holds
            config = demo.DemoConfig(seed=3, jobs=520, workers=12, log_sample=0.02)
            path = folder / "cluster.pb"
            path.write_bytes(loading.dump(demo.demo_snapshot(config), "binary"))
            made[name] = _render(path, folder / "report")
        elif name == "lone_worker":
            result = run_cli("demo", "--out", str(folder), "--split", "--no-render")
            assert result.returncode == 0, result.stderr
            worker = sorted((folder / "workers").glob("*.pb"))[0]
            made[name] = _render(worker, folder / "report")
        elif name == "diff":
            result = run_cli("demo", "--out", str(folder), "--earlier", "30", "--no-render")
            assert result.returncode == 0, result.stderr
            out = folder / "report"
            result = run_cli("diff", str(folder / "cluster.pb"), str(demo_path), "--out", str(out))
            assert result.returncode == 0, result.stderr
            made[name] = out
        elif name == "iris":
            checkpoint = ROOT / "tests" / "fixtures" / "iris" / "capture-A"
            path = folder / "cluster.pb"
            result = run_cli("capture", str(checkpoint), "--out", str(path))
            assert result.returncode == 0, result.stderr
            made[name] = _render(path, folder / "report")
        return made[name]

    return get


def test_page_kinds_are_found(demo_bundle: Path) -> None:
    kinds = page_kinds(demo_bundle)
    expected = {"overview", "jobs with data", "job", "workers with data", "worker", "actions"}
    assert expected | {"endpoints", "timeline"} <= set(kinds)


@pytest.mark.parametrize("name", BUNDLES)
def test_nothing_is_cut_and_no_table_is_wider_than_its_card(bundles, browser, name: str) -> None:  # type: ignore[no-untyped-def]
    root = bundles(name)
    kinds = page_kinds(root)
    if name == "paged":
        assert "jobs" in kinds  # a later page of the list
        assert "jobs with data" in kinds  # its first, with the in-page list
    shots = os.environ.get("FIT_SHOTS")
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    problems = []
    try:
        for kind, relatives in sorted(kinds.items()):
            for relative in relatives:
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                page.goto(f"{root.as_uri()}/{relative}")
                page.wait_for_selector('body[data-enhanced="true"]')
                # One load, each screen: the layout follows the viewport and the scheme.
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    for scheme in SCHEMES:
                        page.emulate_media(color_scheme=scheme)
                        for problem in page.evaluate(MEASURE, [NEVER_CUT, FREE_TEXT, CARDS]):
                            problems.append(f"{relative} ({kind}) {width} {scheme}: {problem}")
                        if shots and relative == relatives[0]:
                            slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {kind}").strip("-")
                            shot = Path(shots) / f"{slug}-{width}-{scheme}.png"
                            tall = page.evaluate("document.documentElement.scrollHeight")
                            clip = {"x": 0, "y": 0, "width": width, "height": min(tall, 4000)}
                            page.screenshot(path=str(shot), full_page=True, clip=clip)
    finally:
        context.close()
    unique = list(dict.fromkeys(problems))
    if unique:
        pytest.fail(f"{len(unique)} problems:\n" + "\n".join(unique[:80]), pytrace=False)
