"""Issue 18, hostile and careless input (classes 1 to 6): every case gives located
errors from `check` and from `build`, never a traceback or a hang (each command has a
time limit), and a failed build leaves site/ and the generated docs/ byte-identical.

Each case puts one hostile entry into reviews/ of a project that has been built once,
runs `check` and then `build` in a child process, and takes the entry out again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SCHEMA_LINE, synthetic_review, write_review
from synthetic import copy_project

from generator.errors import CheckFailed
from generator.load import MAX_BYTES, read_bytes
from generator.outputs import address, check_plan
from generator.pipeline import build
from generator.slugs import slugify
from generator.wellformed import malformed_xml

LIMIT = 240  # seconds for `check` and `build` together; past it the case has hung
SCRIPT = """
import sys
from generator.cli import main
code = main(["--root", sys.argv[1], "check"])
print(f"check exit {code}", file=sys.stderr)
code = main(["--root", sys.argv[1], "build"])
print(f"build exit {code}", file=sys.stderr)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project", with_reviews=False)
    write_review(project.reviews, synthetic_review())
    build(project)
    return project


def snapshot(project) -> dict[str, str]:
    """Every file of site/ and of the generated docs/, by digest."""
    out = {}
    for folder in (project.site, project.docs):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                out[str(path.relative_to(project.root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def valid_text(review_id: str, **changes) -> str:
    return SCHEMA_LINE + yaml.safe_dump(synthetic_review(review_id, **changes), sort_keys=False, allow_unicode=True)


def outside_review(project) -> Path:
    """A valid review file outside the repository."""
    path = project.root.parent / "outside" / "synthetic-review-outside.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(valid_text("synthetic-review-link", title="SYNTHETIC SECRET FROM OUTSIDE"))
    return path


def replace_line(text: str, key: str, line: str) -> str:
    return "\n".join(line if row.startswith(f"{key}:") else row for row in text.split("\n"))


def write(name: str, text: str | bytes):
    def make(project):
        path = project.reviews / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return [path]

    return make


def link(name: str, target):
    def make(project):
        path = project.reviews / name
        os.symlink(target(project) if callable(target) else target, path)
        return [path]

    return make


def _fifo(project):
    os.mkfifo(project.reviews / "pipe.yaml")
    return [project.reviews / "pipe.yaml"]


def _folder(project):
    (project.reviews / "folder.yaml").mkdir()
    return [project.reviews / "folder.yaml"]


def _sparse(project):
    path = project.reviews / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(4 << 30)  # 4 GiB of nothing, never read
    return [path]


def _theme_index(project):
    path = project.reviews / "_themes.yaml"
    saved = path.read_bytes()
    path.write_text(
        path.read_text() + "  - id: index\n    label: SYNTHETIC index theme\n    category: harm\n"
        "    definition: A synthetic theme.\n"
    )
    return [("restore", path, saved)]


def _two_areas(first: str, second: str):
    def make(project):
        return [
            write_review(project.reviews, synthetic_review("synthetic-area-one", areas=[first])),
            write_review(project.reviews, synthetic_review("synthetic-area-two", areas=[second])),
        ]

    return make


BASE = valid_text("synthetic-hostile")
_NUL_AT = BASE.index("Synthetic test content.") + len("Synthetic")
NUL_PLACE = f"{BASE.count(chr(10), 0, _NUL_AT) + 1}:{_NUL_AT - BASE.rfind(chr(10), 0, _NUL_AT)}"
DEEP = BASE.replace("summary: ", "summary: " + "[" * 3000 + "]" * 3000 + "\nsummary_was: ", 1)
# (case id, class, how to make it, what check and build must both say)
CASES = [
    (
        "symlink-out-of-the-repository",
        1,
        link("synthetic-review-link.yaml", outside_review),
        "reviews/synthetic-review-link.yaml:1:1: is a symbolic link, not a file — only regular files are read",
    ),
    ("link-to-dev-zero", 1, link("zero.yaml", "/dev/zero"), "reviews/zero.yaml:1:1: is a symbolic link"),
    ("named-pipe", 1, _fifo, "reviews/pipe.yaml:1:1: is a named pipe, not a file"),
    (
        "link-to-a-folder",
        1,
        link("folder-link.yaml", lambda p: p.root),
        "reviews/folder-link.yaml:1:1: is a symbolic link",
    ),
    (
        "dangling-link",
        1,
        link("dangling.yaml", "/nonexistent/review.yaml"),
        "reviews/dangling.yaml:1:1: is a symbolic link",
    ),
    ("folder-named-yaml", 1, _folder, "reviews/folder.yaml:1:1: is a folder, not a file"),
    ("4-GiB-sparse-file", 1, _sparse, "reviews/huge.yaml:1:1: the file is 4194304 KiB, over the 512 KiB limit"),
    (
        "review-id-index",
        2,
        write("index.yaml", valid_text("index")),
        "reviews/index.yaml:2:5: id: 'index' is a name the site uses for its own pages — choose another id",
    ),
    ("theme-id-index", 2, _theme_index, "id: 'index' is a name the site uses for its own pages — choose another id"),
    (
        "areas-sharing-an-address",
        2,
        _two_areas("Ørsta", "Orsta"),
        "areas[0]: the area 'Orsta' has the same address as 'Ørsta' in reviews/synthetic-area-one.yaml",
    ),
    (
        "area-with-no-letters",
        2,
        _two_areas("Testshire", "★★"),
        "areas[0]: the area '★★' gives no usable address ('x') — write the area's name in letters",
    ),
    (
        "non-character-escape",
        3,
        write("synthetic-hostile.yaml", replace_line(BASE, "title", 'title: "A \\uFFFE"')),
        "title: contains a non-character (U+FFFE) at character 3 — delete it",
    ),
    (
        "c1-control-escape",
        3,
        write("synthetic-hostile.yaml", replace_line(BASE, "title", 'title: "A \\x80"')),
        "title: contains a control character (U+0080) at character 3 — delete it",
    ),
    (
        "right-to-left-override",
        3,
        write("synthetic-hostile.yaml", replace_line(BASE, "title", "title: A \u202eB")),
        "title: contains a bidirectional control character (U+202E) at character 3 — delete it",
    ),
    (
        "invisible-title",
        3,
        write("synthetic-hostile.yaml", replace_line(BASE, "title", 'title: "\\u200b\\u200b"')),
        "title: has nothing visible in it — write the text",
    ),
    (
        "deep-nesting",
        4,
        write("synthetic-hostile.yaml", DEEP),
        "the values are nested more than 20 levels deep — a review file needs only a few levels",
    ),
    (
        "published-0000",
        4,
        write("synthetic-hostile.yaml", replace_line(BASE, "published", 'published: "0000"')),
        "published: '0000' is before 1900 — check the year",
    ),
    (
        "nul-byte",
        4,
        write("synthetic-hostile.yaml", BASE.replace("Synthetic test content.", "Synthetic\x00", 1)),
        f"reviews/synthetic-hostile.yaml:{NUL_PLACE}: the file contains a NUL character — delete it",
    ),
    (
        "impossible-date",
        4,
        write("synthetic-hostile.yaml", replace_line(BASE, "published", "published: 2019-02-29")),
        "published: '2019-02-29' is not a real date: February 2019 has 28 days — check the day",
    ),
    (
        "number-too-large",
        4,
        write("synthetic-hostile.yaml", BASE.replace("age_months: '36'", "age_months: " + "9" * 5000)),
        "is not a whole number this field can hold — write digits only",
    ),
    (
        "year-0001",
        5,
        write("synthetic-hostile.yaml", replace_line(BASE, "published", "published: 0001-06-01")),
        "published: '0001-06-01' is before 1900 — check the year",
    ),
    (
        "theme-twice",
        5,
        write("synthetic-hostile.yaml", BASE.replace("- domestic-abuse", "- professional-curiosity")),
        "the theme 'professional-curiosity' is listed twice (also themes[0]) — remove one of the two",
    ),
    (
        "yml-file",
        6,
        write("synthetic-hostile.yml", valid_text("synthetic-hostile")),
        "reviews/synthetic-hostile.yml:1:1: a review file's name must end in '.yaml' — rename it to 'synthetic-hostile.yaml'",
    ),
]


@pytest.mark.parametrize("name, kind, make, expected", CASES, ids=[f"class{c[1]}-{c[0]}" for c in CASES])
@pytest.mark.build
def test_hostile_input_gives_located_errors_and_leaves_the_site(project, name, kind, make, expected):
    before = snapshot(project)
    made = make(project)
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(project.root)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=LIMIT,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    finally:
        for item in made:
            if isinstance(item, tuple):
                item[1].write_bytes(item[2])
            elif item.is_dir() and not item.is_symlink():
                item.rmdir()
            else:
                item.unlink()
    out = done.stderr
    assert "Traceback" not in out and "Error:" not in out.replace("error:", ""), out
    assert "the checker failed" not in out, out
    check_part, _, build_part = out.partition("check exit 1\n")
    assert build_part.endswith("build exit 1\n"), out
    assert expected in check_part and expected in build_part, out
    for line in check_part.splitlines()[:-1]:
        assert line.count(":") >= 3 and " — " in line, line  # file:line:col: ... — hint
    assert snapshot(project) == before


def test_unreadable_file_is_a_located_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file: permissions cannot be tested")
    path = tmp_path / "secret.yaml"
    path.write_text("id: x\n")
    path.chmod(0)
    with pytest.raises(CheckFailed) as exc:
        read_bytes(path, "secret.yaml")
    assert str(exc.value.problems[0]).startswith("secret.yaml:1:1: cannot read the file: Permission denied — ")


def test_reads_stop_at_the_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(CheckFailed):
        read_bytes(path, "big.yaml")
    assert read_bytes(path, "big.yaml", limit=MAX_BYTES + 1) == b"a" * (MAX_BYTES + 1)


def test_two_pages_for_one_address_are_an_error():
    assert address("reviews/x.md") == address("reviews/x/index.md") == address("reviews/x/index.html") == "reviews/x/"
    with pytest.raises(CheckFailed) as exc:
        check_plan(["reviews/index.md", "reviews/x.md", "reviews/x/index.html"])
    assert [str(p) for p in exc.value.problems] == [
        "docs/reviews/x/index.html:1:1: two pages are planned for the address /reviews/x/ (also docs/reviews/x.md) "
        "— an id or a name takes the address of another page: rename one of them"
    ]
    check_plan(["index.md", "reviews/index.md", "reviews/page/2.md", "reviews/x.md"])


def test_slugs_transliterate_rather_than_drop_letters():
    names = ["Ørsta", "Łódź", "Æbeltoft", "Straße", "Москва", "Київ", "東京", "Αθήνα"]
    slugs = [slugify(n) for n in names]
    assert slugs[:4] == ["orsta", "lodz", "aebeltoft", "strasse"]
    assert slugs[4] == "moskva" and len(set(slugs)) == len(slugs) and "x" not in slugs


@pytest.mark.build
def test_built_feeds_and_sitemap_are_checked_as_xml(project, tmp_path):
    assert malformed_xml(project.site) == []
    site = tmp_path / "site"
    shutil.copytree(project.site / "feeds", site / "feeds")
    (site / "feeds" / "reviews.xml").write_text('<?xml version="1.0"?>\n<feed>\n<title>A \x01</title></feed>\n')
    assert malformed_xml(site) == ["feeds/reviews.xml:3:10: not well-formed XML: not well-formed (invalid token)"]
