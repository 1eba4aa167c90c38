"""``python -m generator serve``: a live preview that does one regeneration per save.

* **Only real changes count.** The watcher (watchdog) takes content events only
  (created, modified, deleted, moved, closed after writing) on ``reviews/``, the
  templates, ``overrides/``, the hand-written pages in ``docs/`` and ``mkdocs.yml``.
  Reads (opened, closed without writing) and the generator's own output are ignored, so
  a regeneration never triggers another. Events that arrive together (an editor's
  save is often several) are taken as one change once 0.3 s pass without another.
* **Regeneration runs in another process**, started with *spawn* (never a fork of this
  threaded process) and kept between saves: whatever the generator does, even crashing
  or dying, the preview keeps running, and what it said is shown in the terminal and on
  every page until the next good save.
* **A saved review first.** A save of review files alone is shown in two passes: first
  their own pages, checked, rendered (:mod:`generator.firstpass`, in a second long-lived
  worker) and built by themselves (:mod:`generator.pagebuild`), then the full generation
  of every other page. A change that comes during the full generation stops it (its
  worker and every process that worker started): it starts again with both changes.
* **One MkDocs build per generation**, in this process through MkDocs' own Python API (no
  plugin or hook): a *dirty* build, which renders only the pages whose Markdown is newer
  than their HTML, i.e. the pages the generator rewrote. Pages whose Markdown went away
  are removed from the preview. A change to the configuration or ``overrides/``
  rebuilds everything. The preview is kept in ``.cache/preview-site/`` so that starting
  the preview again only rebuilds what changed meanwhile.
* **The server answers throughout**: its threads serve the last built pages while a
  change is regenerated and built; before the first build they serve a page saying so.
  Each page it serves carries a small script that reloads it when a newer build is in
  place (or an error appears); nothing of this is in ``site/``.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import multiprocessing
import os
import posixpath
import re
import signal
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .firstpass import Baseline, first_pass, load_baseline, saved_reviews
from .incremental import build_changed, docs_files, quiet_dirty_notice
from .pagebuild import build_pages
from .pipeline import Project, generate, mkdocs_env
from .render import TEMPLATES
from .site import config_digest
from .write import is_owned

CONTENT_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
REGENERATE_LIMIT = 1800  # seconds; a generation that takes longer is stopped and reported
FIRST_PASS_LIMIT = 60  # seconds; a first pass that takes longer is given up (the second pass shows the save)
QUIET_SECONDS = 0.3  # a save is complete when no further event comes for this long
POLL = "/.preview/epoch"  # the reload script's long poll
# Suffixes of the files the preview reads; a changed path that is gone and has none of them
# was an editor's temporary file.
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".j2", ".md", ".html", ".css", ".js", ".json", ".svg", ".png"})


class Changes:
    """Paths changed since the last :meth:`wait`, from watchdog's content events."""

    def __init__(self, project: Project, templates: Path):
        self.project = project
        self.roots = [project.reviews, templates, project.root / "overrides", project.docs]
        self._cond = threading.Condition()
        self._paths: set[Path] = set()
        self._last = 0.0

    def relevant(self, path: Path) -> bool:
        if path.name.startswith((".", "~")) or path.name.endswith(("~", ".swp", ".tmp")):
            return False
        if path == self.project.config:
            return True
        if path.is_relative_to(self.project.docs):
            return not is_owned(path.relative_to(self.project.docs).as_posix())
        return any(path.is_relative_to(root) for root in self.roots)

    def dispatch(self, event) -> None:  # watchdog's handler interface
        if event.is_directory or event.event_type not in CONTENT_EVENTS:
            return
        paths = [Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        paths = [p for p in paths if self.relevant(p)]
        if paths:
            with self._cond:
                self._paths.update(paths)
                self._last = time.monotonic()
                self._cond.notify_all()

    def wait(self, stop: threading.Event) -> set[Path]:
        """Block until a change has happened and settled; return its paths."""
        with self._cond:
            while not self._paths and not stop.is_set():
                self._cond.wait(0.25)
            while not stop.is_set() and time.monotonic() - self._last < QUIET_SECONDS:
                self._cond.wait(QUIET_SECONDS)
            paths, self._paths = self._paths, set()
        # An editor's temporary files come and go within a save: keep what is there, or was a file we use.
        return {p for p in paths if p.exists() or p.suffix in WATCHED_SUFFIXES}

    def ready(self) -> bool:
        """Whether a change has come since the last :meth:`wait`."""
        with self._cond:
            return bool(self._paths)

    def watch(self):
        from watchdog.observers import Observer

        observer = Observer()
        for folder in self.roots:
            if folder.is_dir():
                observer.schedule(self, str(folder), recursive=True)
        observer.schedule(self, str(self.project.root), recursive=False)  # mkdocs.yml
        observer.start()
        return observer


class Preview:
    """The state the server shows: the built folder, its version, and the last error."""

    def __init__(self, project: Project, out=sys.stderr, templates: Path = TEMPLATES):
        self.project = project
        self.templates = templates
        self.site_dir = project.preview_site
        self.record = project.cache / "preview-site.json"
        self.out = out
        self.epoch = 0  # counts what the open pages have seen: builds and errors
        self.built = False  # a build is in place to serve
        self.error: str | None = None
        self.cond = threading.Condition()
        self.worker: tuple | None = None  # (process, pipe) running the full generation
        self.quick: tuple | None = None  # (process, pipe) running first passes
        self.running: float | None = None  # when the generation under way started
        self.clean_next = False  # the next build is a full one (the configuration or overrides changed)

    def say(self, message: str) -> None:
        print(message, file=self.out, flush=True)

    def publish(self, built: bool, error: str | None) -> None:
        """A new build is in place and/or the error changed: every open page reloads."""
        with self.cond:
            if built or error != self.error:
                self.error = error
                self.built = self.built or built
                self.epoch += 1
                self.cond.notify_all()

    def _spawn(self, target) -> tuple:
        """A worker process, started with *spawn* (a new interpreter, never a fork of this
        threaded process), and the pipe to it."""
        context = multiprocessing.get_context("spawn")
        here, there = context.Pipe()
        process = context.Process(target=target, args=(str(self.project.root), there))
        process.start()
        there.close()
        return process, here

    def begin(self, changed: set[Path] | None) -> None:
        """Start bringing the preview up to date after a change (None: at start).

        A save of review files alone is shown first (see :mod:`generator.firstpass`); then
        the full generation starts in its worker and :meth:`collect` finishes it. A change
        that comes while a generation is under way stops it: it starts again with both.
        """
        project = self.project
        overrides = project.root / "overrides"
        regenerate = changed is None or any(
            not p.is_relative_to(project.docs) and not p.is_relative_to(overrides) for p in changed
        )
        self.clean_next = self.clean_next or (
            changed is not None and any(p == project.config or p.is_relative_to(overrides) for p in changed)
        )
        if changed:
            names = sorted(p.relative_to(project.root).as_posix() for p in changed)
            self.say(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
        if self.running is not None:
            self.say("the generation under way stops: it starts again with this change")
            self.stop_worker(now=True)
            regenerate = True
        if changed is not None and any(p.is_relative_to(self.templates) for p in changed):
            # What the workers keep in memory (the generator's code and templates) is stale.
            self.stop_worker()
            self.stop_quick()
        elif changed and regenerate:
            self.show_first(changed)
        if regenerate:
            self.start_generation()
        else:
            self.finish(None)

    def show_first(self, changed: set[Path]) -> None:
        """The first pass: the saved reviews' own pages, built and shown before the rest."""
        files = saved_reviews(self.project, changed)
        if files is None or self.quick is None or not self.quick[0].is_alive():
            return
        start = time.perf_counter()
        process, pipe = self.quick
        try:
            pipe.send(("first", [str(f) for f in files]))
            if not pipe.poll(FIRST_PASS_LIMIT):
                raise TimeoutError
            written, why = pipe.recv()
        except (TimeoutError, EOFError, OSError):
            self.stop_quick()  # the second pass shows the change; the next save starts a new one
            return
        if not written:
            return
        made = time.perf_counter()
        error = self.build_first(written)
        if error is None:
            self.publish(True, self.error)  # an earlier error stands until the full generation says
            end = time.perf_counter()
            self.say(
                f"saved page shown in {end - start:.2f} s (generator {made - start:.2f} s, MkDocs {end - made:.2f} s);"
                " updating the other pages…"
            )

    def start_generation(self) -> None:
        """Ask the generator's worker for a full generation; :meth:`collect` takes its answer.

        The worker is kept between saves, so a save does not pay for starting Python and
        importing the generator again. If it dies, whatever the reason, the next save
        starts a new one.
        """
        self.say("regenerating…")
        if self.worker is None or not self.worker[0].is_alive():
            self.worker = self._spawn(_generate_on_request)
        try:
            self.worker[1].send("generate")
        except OSError:
            self.stop_worker(now=True)
            self.worker = self._spawn(_generate_on_request)
            self.worker[1].send("generate")
        self.running = time.monotonic()

    def collect(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the generation under way and, if it answered,
        build and show its pages. True when no generation is under way any more."""
        if self.running is None or self.worker is None:
            self.running = None
            return True
        process, pipe = self.worker
        try:
            if not pipe.poll(timeout):
                if time.monotonic() - self.running < REGENERATE_LIMIT:
                    return False
                self.stop_worker(now=True)
                raise TimeoutError
            ok, text = pipe.recv()
        except TimeoutError:
            ok, text = False, f"the generator did not finish within {REGENERATE_LIMIT} s and was stopped"
        except (EOFError, OSError):
            process.join(5)
            self.stop_worker(now=True)
            ok, text = False, f"the generator stopped (exit code {process.exitcode}) before it finished"
        self.running = None
        if text:
            self.say(text)
        self.finish(
            None if ok else f"the generator found problems; the preview shows the last good version.\n\n{text}".strip()
        )
        return True

    def finish(self, error: str | None) -> None:
        """Build and show the generated pages, or show why there are none."""
        if error:
            self.say("the preview was not updated: fix the problems above and save again")
            # At start, show the pages of the last good generation meanwhile.
            self.publish(not self.built and self.build() is None, error)
            return
        if self.quick is None or not self.quick[0].is_alive():
            # The first pass's worker reads the generation just made, while nobody waits.
            self.quick = self._spawn(_first_pass_on_request)
        error = self.build(self.clean_next)
        self.clean_next = False
        if error:
            self.say(error)
        self.publish(True, error)

    def update(self, changed: set[Path] | None) -> None:
        """Bring the preview up to date after a change (None: at start), and wait until it is."""
        self.begin(changed)
        while not self.collect(1.0):
            pass

    def stop_worker(self, now: bool = False) -> None:
        """Stop the generator's worker: when idle, by closing its pipe; ``now``, at once,
        with every process it started."""
        if self.worker is not None:
            process, pipe = self.worker
            pipe.close()
            if now:
                _kill_group(process)
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
            self.worker = None
            self.running = None

    def stop_quick(self) -> None:
        """Stop the first pass's worker, and any process it started (reading the baseline)."""
        if self.quick is not None:
            process, pipe = self.quick
            pipe.close()
            process.join(2)
            _kill_group(process)
            process.join()
            self.quick = None

    def build_first(self, written: list[str]) -> str | None:
        """Build the first pass's pages alone (see :mod:`generator.pagebuild`) when the preview
        is built with this configuration; otherwise a dirty build."""
        try:
            current = json.loads(self.record.read_text(encoding="utf-8")).get("config") == config_digest(self.project)
        except (OSError, ValueError):
            current = False
        if not current or not self.site_dir.is_dir():
            return self.build(report=False)
        try:
            warnings = build_pages(
                self.project.config, self.site_dir, written, self.project.cache / "preview-templates"
            )
        except Exception as error:  # the second pass builds and reports it
            return f"MkDocs could not build the saved page: {error}"
        return "MkDocs reported:\n" + "\n".join(warnings) if warnings else None

    def build(self, clean: bool = False, report: bool = True) -> str | None:
        """One MkDocs build of the preview; None, or the problems it reported."""
        start = time.perf_counter()
        try:
            record = json.loads(self.record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        docs = docs_files(self.project.docs)
        digest = config_digest(self.project)
        clean = clean or record.get("config") != digest or not self.site_dir.is_dir()
        self.record.unlink(missing_ok=True)
        try:
            warnings = build_changed(
                self.project.config,
                self.site_dir,
                clean=clean,
                removed=[] if clean else sorted(set(record.get("docs", ())) - set(docs)),
            )
        except BaseException as error:  # any failure is shown; the server goes on
            if isinstance(error, KeyboardInterrupt):
                raise
            return f"MkDocs could not build the preview: {error}"
        self.record.parent.mkdir(parents=True, exist_ok=True)
        self.record.write_text(json.dumps({"config": digest, "docs": docs}), encoding="utf-8")
        if report:
            self.say(
                f"preview built ({'everything' if clean else 'changed pages'}) in {time.perf_counter() - start:.2f} s"
            )
        if warnings:
            return "MkDocs reported:\n" + "\n".join(warnings)
        return None


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


def _kill_group(process) -> None:
    """Kill a worker and the processes it started (it leads a process group of its own)."""
    pid = getattr(process, "pid", None)
    if pid and hasattr(os, "killpg"):
        try:
            os.killpg(pid, signal.SIGKILL)
            return
        except OSError:  # not (yet) leading a group of its own
            pass
    process.kill()


def _generate_on_request(root: str, pipe) -> None:
    """The generator's worker: one generation per request, answered with (ok, what it says)."""
    from .errors import CheckFailed

    if hasattr(os, "setpgrp"):
        os.setpgrp()  # so that stopping it stops the processes it starts too
    project = Project(Path(root))
    while True:
        try:
            pipe.recv()
        except (EOFError, OSError):
            return
        try:
            generated = generate(project, todo_level="warning")  # a TODO may stand while an editor works
            said = [str(w) for w in generated.warnings] + [generated.summary()]
            pipe.send((True, "\n".join(said)))
        except CheckFailed as failed:
            said = [str(p) for p in failed.problems]
            pipe.send((False, "\n".join(said + [f"stopped: {len(said)} problem(s); nothing was written"])))
        except Exception:  # a crash is reported like any other problem; the worker goes on
            pipe.send((False, traceback.format_exc(limit=-8)))


class _FirstPasses:
    """The first pass's worker: the last full generation, read once in the background, and
    one first pass per request, answered with (paths written, why none)."""

    def __init__(self, root: str):
        self.project = Project(Path(root))
        self.baseline: Baseline | None = None
        threading.Thread(target=self.read_baseline, daemon=True).start()

    def read_baseline(self) -> None:
        try:
            self.baseline = load_baseline(self.project)
        except Exception:  # without it, first passes show no related reviews until the second
            self.baseline = None

    def answer(self, files: list[str]) -> tuple[list[str], str | None]:
        try:
            return first_pass(self.project, [Path(f) for f in files], self.project.site_info(), self.baseline)
        except Exception:  # the second pass shows the change, and any problem
            return [], traceback.format_exc(limit=-4)


def _first_pass_on_request(root: str, pipe) -> None:
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # so that stopping it stops the processes it starts too
    passes = _FirstPasses(root)
    while True:
        try:
            _, files = pipe.recv()
        except (EOFError, OSError):
            return
        pipe.send(passes.answer(files))


_SCRIPT = (
    '<script>(function(e){function poll(){fetch("%s?since="+e,{cache:"no-store"})'
    ".then(function(r){return r.text()}).then(function(t){if(+t>e){location.reload()}else{poll()}},"
    "function(){setTimeout(poll,1000)})}poll()})(%d);</script>"
)
_BANNER = (
    '<div role="alert" style="position:relative;z-index:10;margin:0;padding:1rem;background:#fff3cd;'
    'color:#1a1a1a;border:3px solid #b00020;font:16px/1.4 sans-serif"><strong>Preview not updated'
    '</strong><pre style="white-space:pre-wrap;margin:.5rem 0 0">%s</pre></div>'
)
_WAITING = (
    "<!doctype html><html lang=en><title>Building the preview</title><body><p>Building the preview… "
    "this page shows the site by itself when it is ready.</p></body></html>"
)


def _decorate(page: bytes, epoch: int, error: str | None) -> bytes:
    """The page with the reload script and, after a failed save, the error on top."""
    text = page.decode("utf-8", "replace")
    if error:
        banner = _BANNER % html.escape(error)
        found = re.search(r"<body[^>]*>", text)
        text = text[: found.end()] + banner + text[found.end() :] if found else banner + text
    script = _SCRIPT % (POLL, epoch)
    end = text.rfind("</body>")
    text = text[:end] + script + text[end:] if end >= 0 else text + script
    return text.encode("utf-8")


def _handler(preview: Preview, mount: str):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet: the terminal is for the editor's messages
            pass

        def send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            url = urlsplit(self.path)
            if url.path == POLL:
                since = int((parse_qs(url.query).get("since") or ["0"])[0] or 0)
                with preview.cond:
                    preview.cond.wait_for(lambda: preview.epoch != since, timeout=25)
                    epoch = preview.epoch
                return self.send(200, str(epoch).encode(), "text/plain")
            with preview.cond:
                epoch, error, built = preview.epoch, preview.error, preview.built
            if not url.path.startswith(mount):
                if url.path in ("/", "") and mount != "/":
                    return self.send(302, b"", Location=mount)
                return self.send(404, b"not found", "text/plain")
            if not built:
                return self.send(503, _decorate(_WAITING.encode(), epoch, error), **{"Retry-After": "1"})
            rel = posixpath.normpath("/" + url.path[len(mount) :]).lstrip("/")
            path = preview.site_dir / rel if rel not in ("", ".") else preview.site_dir
            if path.is_dir():
                if not url.path.endswith("/"):
                    return self.send(302, b"", Location=url.path + "/")
                path = path / "index.html"
            status = 200
            if not path.is_file():
                status, path = 404, preview.site_dir / "404.html"
            try:
                body = path.read_bytes()
            except OSError:
                return self.send(404, b"not found", "text/plain")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body, kind = _decorate(body, epoch, error), "text/html; charset=utf-8"
            return self.send(status, body, kind)

    return Handler


def serve(project: Project, addr: str, templates: Path, out=sys.stderr) -> int:
    """Serve the preview on ``addr`` (host:port; port 0 picks a free one) until interrupted."""
    host, _, port = addr.rpartition(":")
    mount = urlsplit(project.site_info().url).path or "/"  # raises CheckFailed on a bad configuration
    mount = mount if mount.endswith("/") else mount + "/"
    for key, value in mkdocs_env(project).items():  # the same sitemap dates as `make site`
        if key in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING"):
            os.environ[key] = value
    terminal = logging.StreamHandler(out)
    terminal.addFilter(quiet_dirty_notice)
    logging.getLogger("mkdocs").addHandler(terminal)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)

    preview = Preview(project, out, templates)
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port or 8000)), _handler(preview, mount))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    bound_host = bound_host.decode() if isinstance(bound_host, (bytes, bytearray)) else bound_host
    preview.say(f"serving the preview on http://{bound_host}:{bound_port}{mount} (Ctrl+C to stop)")
    changes = Changes(project, templates)
    stop = threading.Event()
    observer = changes.watch()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)  # stopped like Ctrl+C: the workers are stopped too
    try:
        preview.begin(None)
        while True:
            if preview.running is not None and not changes.ready():
                preview.collect(0.2)  # the generation under way, unless a change comes first
                continue
            changed = changes.wait(stop)
            if changed:
                preview.begin(changed)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.stop_worker(now=preview.running is not None)
        preview.stop_quick()
        observer.stop()
        server.shutdown()
        observer.join()
    return 0
