"""What every browser journey shares: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser_page() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
    finally:
        browser.close()
        playwright.stop()


class ClinicWebsite:
    """A clinic's own website on 127.0.0.1 (another origin than the CRM on localhost).

    ``pages`` maps a path (without the query) to (content type, body); every
    response carries ``headers``, e.g. the site's Content-Security-Policy.
    """

    def __init__(self, pages: dict[str, tuple[str, str]], headers: dict[str, str]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = pages.get(self.path.split("?", 1)[0])
                body = found[1].encode() if found else b""
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", found[0] if found else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def clinic_website() -> Iterator[Callable[..., ClinicWebsite]]:
    """Start clinic websites for a test: ``clinic_website(pages, headers={...})``."""
    sites: list[ClinicWebsite] = []

    def start(
        pages: dict[str, tuple[str, str]], headers: dict[str, str] | None = None
    ) -> ClinicWebsite:
        site = ClinicWebsite(pages, headers or {})
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.close()


@pytest.fixture
def page_problems(browser_page: Any) -> list[str]:
    """What went wrong on the page: script errors, console errors and warnings, and
    Content-Security-Policy violations (reported to the console by an init script)."""
    problems: list[str] = []
    browser_page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    browser_page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    browser_page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    return problems
