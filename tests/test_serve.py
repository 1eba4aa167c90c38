"""`python -m generator serve`: per save, a first pass that shows the saved review's page, then
one regeneration and one MkDocs build of the rest; a server that answers while it
regenerates; and bad saves (even a generator crash) shown on the page without stopping the
preview. Every wait has a time limit."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from synthetic import copy_project, write_corpus

from generator.pipeline import Project
from generator.preview import Preview

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parent.parent
START_LIMIT = 600  # seconds: the first generation and full build, on a loaded machine
SAVE_LIMIT = 300


class Server:
    """A running preview, its log, and the address it printed."""

    def __init__(self, root: Path, log: Path):
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--addr", "127.0.0.1:0"],
            cwd=REPO,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        first = self.wait_for("serving the preview on ", 0, 60)
        self.url = first.split("serving the preview on ")[1].split()[0]

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()

    def wait_for(self, text: str, after: int, limit: float) -> str:
        """The first log line after line ``after`` containing ``text``."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = [line for line in self.lines()[after:] if text in line]
            if found:
                return found[0]
            assert self.process.poll() is None, "the preview stopped:\n" + "\n".join(self.lines())
            time.sleep(0.1)
        raise AssertionError(f"no {text!r} within {limit} s:\n" + "\n".join(self.lines()))

    def get(self, path: str, limit: float = 30) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=limit) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.handle.close()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project", with_reviews=False)
    write_corpus(project.reviews, 40)
    server = Server(project.root, project.root.parent / "serve.log")
    try:
        server.wait_for("preview built", 0, START_LIMIT)
        yield project, server
    finally:
        server.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def review(project: Project, number: int) -> Path:
    return sorted(project.reviews.glob("synthetic-review-*.yaml"))[number]


def test_one_save_one_regeneration_one_build_and_answers_meanwhile(preview):
    project, server = preview
    status, home = server.get("")
    assert status == 200 and "/.preview/epoch" in home  # the page reloads itself
    path = review(project, 0)
    page = f"reviews/{path.stem}/"
    mark = len(server.lines())
    edit(path, "SYNTHETIC REVIEW", "SYNTHETIC SAVED-ONCE REVIEW")

    # While the generator runs, the server answers with the last built pages.
    server.wait_for("regenerating", mark, SAVE_LIMIT)
    answered = []
    while "preview built" not in "\n".join(server.lines()[mark:]):
        start = time.monotonic()
        status, _ = server.get(page, limit=10)
        answered.append((status, time.monotonic() - start))
        assert server.process.poll() is None
        time.sleep(0.05)
    # Answers came all through a regeneration long enough to ask many times.
    assert len(answered) >= 5 and all(status == 200 for status, _ in answered), answered
    assert max(seconds for _, seconds in answered) < 5, answered

    assert "SAVED-ONCE" in server.get(page)[1]
    time.sleep(10)  # count what one save caused in the 10 s after it
    after = server.lines()[mark:]
    # The saved page was shown first, before the regeneration of the rest began.
    first = [i for i, line in enumerate(after) if "saved page shown" in line]
    assert len(first) == 1 and first[0] < min(i for i, line in enumerate(after) if "regenerating" in line), after
    assert sum("regenerating" in line for line in after) == 1, after
    assert sum(line.startswith("generated ") for line in after) == 1, after
    assert sum("preview built" in line for line in after) == 1, after


def test_bad_save_is_shown_and_the_preview_goes_on(preview):
    project, server = preview
    path = review(project, 1)
    page = f"reviews/{path.stem}/"
    good = path.read_text(encoding="utf-8")
    mark = len(server.lines())
    path.write_text(good.replace("\ntitle:", "\ntitle: [unclosed", 1), encoding="utf-8")
    server.wait_for("the preview was not updated", mark, SAVE_LIMIT)
    status, text = server.get(page)
    assert status == 200 and "Preview not updated" in text and path.name in text
    assert any(path.name in line for line in server.lines()[mark:])  # and in the terminal

    mark = len(server.lines())
    path.write_text(good.replace("SYNTHETIC REVIEW", "SYNTHETIC MENDED REVIEW", 1), encoding="utf-8")
    server.wait_for("preview built", mark, SAVE_LIMIT)
    status, text = server.get(page)
    assert "MENDED" in text and "Preview not updated" not in text


def test_a_save_that_breaks_the_generator_is_shown(preview):
    """Whatever the generator does with a file (here a value nested thousands deep, which
    once crashed it), the preview survives and shows what happened."""
    project, server = preview
    path = review(project, 2)
    good = path.read_text(encoding="utf-8")
    mark = len(server.lines())
    path.write_text(good + "extra: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    server.wait_for("the preview was not updated", mark, SAVE_LIMIT)
    assert server.process.poll() is None
    status, text = server.get(f"reviews/{path.stem}/")
    assert status == 200 and "Preview not updated" in text
    mark = len(server.lines())
    path.write_text(good, encoding="utf-8")
    server.wait_for("preview built", mark, SAVE_LIMIT)
    assert "Preview not updated" not in server.get("")[1]


def test_a_generator_that_dies_is_an_error_not_an_end(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project", with_reviews=False)
    preview = Preview(project, out=open(tmp_path / "log", "w"))
    preview.built = True
    built = []
    monkeypatch.setattr(preview, "build", lambda clean=False: built.append(clean))

    class Killed:  # the worker, killed (signal 9) while it generates
        exitcode = -9

        def is_alive(self):
            return True

        def join(self, timeout=None):
            pass

        def kill(self):
            pass

    class Pipe:
        def send(self, request):
            pass

        def poll(self, timeout):
            return True

        def recv(self):
            raise EOFError

        def close(self):
            pass

    preview.worker = (Killed(), Pipe())
    preview.update({project.reviews / "x.yaml"})
    assert "exit code -9" in preview.error and not built and preview.epoch == 1
    assert preview.worker is None  # the next save starts a new one


def test_the_reload_poll_answers_when_a_build_lands(tmp_path):
    project = copy_project(tmp_path / "project", with_reviews=False)
    preview = Preview(project, out=open(tmp_path / "log", "w"))
    woke = threading.Event()

    def waiter():
        with preview.cond:
            preview.cond.wait_for(lambda: preview.epoch != 0, timeout=10)
            woke.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    preview.publish(True, None)
    thread.join(10)
    assert woke.is_set() and preview.built
