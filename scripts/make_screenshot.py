"""Make the README's dashboard screenshot (docs/dashboard.png) from text the team wrote: the bundled
examples and the synthetic corpus of the tests. Needs Chromium and Playwright (scripts/install_test_deps.sh).

    python scripts/make_screenshot.py [--view events|network|map|…] [--out docs/dashboard.png]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--view", default="events")
    ap.add_argument("--lang", choices=("ar", "en"), default="ar")
    ap.add_argument("--out", default=str(ROOT / "docs" / "dashboard.png"))
    args = ap.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from corpus import write_corpus, write_other_news
    from waqai.cli import main as waqai
    from waqai.web.app import create_app

    tmp = Path(tempfile.mkdtemp(prefix="waqai-shot-"))
    db = tmp / "shot.db"
    corpus = write_corpus(tmp / "news", n_stories=40)
    other = write_other_news(tmp / "other")
    waqai(["ingest", "--quiet", "--workers", "1", str(corpus["path"]), str(other), "--db", str(db)])
    waqai(["ingest", "--quiet", "--workers", "1", str(ROOT / "examples"), "--published", "2023-05-04", "--db", str(db)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(f"http://127.0.0.1:{port}/")
        if args.lang == "en":
            page.get_by_test_id("lang-toggle").click()
        page.goto(f"http://127.0.0.1:{port}/#/{args.view}")
        page.wait_for_timeout(1500)
        page.screenshot(path=args.out)
        browser.close()
    server.should_exit = True
    shutil.rmtree(tmp)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
