"""Starting headless Chromium (Debian's) with Playwright, and serving a built site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading

import pytest

CHROMIUM = (
    shutil.which("chromium")
    or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    or shutil.which("google-chrome")
)  # Debian's chromium here; GitHub's runners ship Google Chrome
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser():
    """Skip the test when no Chromium is installed, unless REQUIRE_BROWSER=1."""
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium found: install Debian's chromium to run the browser tests")
    try:
        import playwright  # noqa: F401
    except ImportError:  # pragma: no cover
        pytest.fail("playwright is not installed: run `make test`, which installs it")
    return CHROMIUM


@contextlib.contextmanager
def serve(folder):
    """Serve ``folder`` on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def chromium():
    """A headless Chromium browser, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = require_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serve_site(project):
    """Serve a built site at the path of its site_url (as GitHub Pages would, for a project
    site), so that pages using absolute paths, such as 404.html, load their assets.
    Yields the site's base URL."""
    import tempfile
    from pathlib import Path
    from urllib.parse import urlsplit

    prefix = urlsplit(project.site_info().url).path.strip("/")
    with tempfile.TemporaryDirectory() as mount:
        target = Path(mount, prefix) if prefix else Path(mount, "site")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(Path(project.site).resolve(), target_is_directory=True)
        with serve(mount) as base:
            yield base + (prefix + "/" if prefix else "site/")
