"""Web UI size and speed, printed (never asserted): `uv run python bench/web.py [--runs 5]`.

1. JavaScript transferred for the first screen (gzip): the browser signs in to the in-test fake
   gateway (e2e/browser/fake_ktxh.py, the real built UI) and every .js file it loads until the
   unit tree shows is counted at its gzip size; the lazily loaded chunks (catalog screens, the
   Tabulator grid, ECharts) are listed with their sizes, and must not be among the first ones.
2. Render time in Debian's Chromium (bench.html of the build): the unit tree with 2,000 units
   (Ant Design Tree, virtual) and the editable grid with 200 × 12 cells (Tabulator), median of
   --runs, each next to a baseline measured in the same run: the same tree without
   virtualisation (every expanded row in the page, as a hand-written tree draws it).

Needs the built UI (`make web`) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "gateway" / "src" / "ktxh_gateway" / "static"
sys.path.insert(0, str(ROOT / "e2e" / "browser"))

import pages
from fake_ktxh import FakeServer


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def first_screen(pw) -> None:
    loaded: list[str] = []
    with FakeServer() as fake:
        browser = pages.launch_chromium(pw)
        page = browser.new_page()
        page.on("response", lambda r: loaded.append(r.url.split("/assets/")[1]) if "/assets/" in r.url and r.url.endswith(".js") else None)
        pages.sign_in(page, fake.url, "admin", "demo")
        page.wait_for_load_state("networkidle")
        first = sorted(set(loaded))
        browser.close()
    assets = {p.name: gz(p) for p in (STATIC / "assets").glob("*.js")}
    total = sum(assets[n] for n in first)
    print("1. JavaScript for the first screen (sign-in → unit tree), gzip")
    for name in first:
        print(f"     {name:<40} {assets[name] / 1024:8.1f} KiB")
    print(f"   total first screen: {total / 1024:.1f} KiB gzip in {len(first)} files")
    lazy = {n: s for n, s in assets.items() if n not in first and not n.startswith("bench")}
    print("   loaded when needed (not on the first screen):")
    for name, size in sorted(lazy.items(), key=lambda x: -x[1]):
        print(f"     {name:<40} {size / 1024:8.1f} KiB")
    for part in ("EditableGrid", "Chart", "CatalogScreens"):
        assert not any(n.startswith(part) for n in first), f"{part} is on the first screen"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def render_times(pw, runs: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/bench.html"
    browser = pages.launch_chromium(pw)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    page.wait_for_function("() => typeof window.__benchStart === 'function'")

    def measure(what: str, extra: str = "") -> list[float]:
        out = []
        for _ in range(runs + 1):  # the first run loads the chunks: not counted
            page.evaluate(f"() => window.__benchStart('{what}'{extra})")
            page.wait_for_function(f"() => window.__bench['{what.split(':')[0]}'] !== undefined", timeout=60_000)
            out.append(page.evaluate(f"() => window.__bench['{what.split(':')[0]}']"))
        return out[1:]

    tree = measure("tree")
    rows = page.locator('[role="treeitem"]').count()
    grid = measure("grid")
    cells = page.locator(".tabulator-cell").count()
    flat = measure("tree:flat")
    flat_rows = page.locator('[role="treeitem"]').count()
    browser.close()
    server.shutdown()
    med = statistics.median
    print(f"2. Render time in Chromium (median of {runs}, ms; from render() to the next frame)")
    print(f"   unit tree, 2,000 units, virtual (ours):         {med(tree):7.1f}  ({rows} rows in the page)")
    print(f"   unit tree, 2,000 units, not virtual (baseline): {med(flat):7.1f}  ({flat_rows} rows in the page)")
    print(f"   grid 200 × 12 (Tabulator, virtual rows):         {med(grid):7.1f}  ({cells} cells in the page)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (STATIC / "bench.html").is_file():
        sys.exit("build the UI first: make web")
    t0 = time.perf_counter()
    with sync_playwright() as pw:
        first_screen(pw)
        render_times(pw, args.runs)
    print(f"(bench took {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
