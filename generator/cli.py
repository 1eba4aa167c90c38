"""The command line: ``python -m generator check|generate|build|serve``.

Thin by design: each command calls one function of :mod:`generator.pipeline` and turns
its outcome into messages and an exit code. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import CheckFailed, SourceError
from .pipeline import BuildFailed, Project, build, check_project, generate
from .workers import WorkerFailed

ROOT = Path(__file__).resolve().parent.parent


def _print_problems(problems: list[SourceError], github: bool = False) -> None:
    for problem in problems:
        print(problem.github_annotation() if github else str(problem), file=sys.stderr)


def cmd_check(args) -> int:
    project = Project(args.root)
    if args.paths:
        from .validate import check

        result = check([Path(p) for p in args.paths], root=Path.cwd(), vocabulary=project.reviews / "_themes.yaml")
    else:
        result = check_project(project)
    _print_problems(result.problems, args.github)
    errors, warnings = len(result.errors), len(result.warnings)
    print(
        f"checked {result.files} files: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
        file=sys.stderr,
    )
    return 1 if errors or (args.strict and warnings) else 0


def _progress(message: str) -> None:
    """Progress on long runs, only when a person is watching the terminal."""
    if sys.stderr.isatty():
        print(f"\r\033[K{message}…", end="", file=sys.stderr, flush=True)


def _end_progress() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def _run(step, args) -> int:
    try:
        try:
            generated = step(Project(args.root), _progress)
        finally:
            _end_progress()
    except CheckFailed as exc:
        _print_problems(exc.problems, getattr(args, "github", False))
        print(f"stopped: {len(exc.problems)} problem(s); nothing was written", file=sys.stderr)
        return 1
    except BuildFailed as exc:
        print(f"{exc}\nstopped: mkdocs build failed; site/ and docs/ are as they were", file=sys.stderr)
        return 1
    except WorkerFailed as exc:
        print(f"stopped: {exc} — run the command again, and report this message if it stops again", file=sys.stderr)
        return 1
    _print_problems(generated.warnings)
    print(generated.summary(), file=sys.stderr)
    if generated.site_current:
        print("site/ is already built from these inputs: nothing to build", file=sys.stderr)
    return 0


def cmd_generate(args) -> int:
    level = "warning" if args.preview else "error"  # the preview shows TODO placeholders as warnings
    return _run(lambda project, progress: generate(project, progress, todo_level=level), args)


def cmd_build(args) -> int:
    code = _run(build, args)
    if code == 0:
        site = Project(args.root).site
        print(
            f"site built in {site}: serve it, do not open its files from disk (links and search need a "
            f"web server), e.g. `python3 -m http.server --bind 127.0.0.1 --directory {site} 8001`, "
            "then open http://127.0.0.1:8001/",
            file=sys.stderr,
        )
    return code


def cmd_serve(args) -> int:
    """Live preview: regenerate once per save, rebuild the changed pages, reload the browser."""
    from .preview import serve

    return serve(Project(args.root), args.addr, Path(__file__).parent / "templates")


def cmd_new(args) -> int:
    from .scaffold import new_review

    try:
        path = new_review(
            Project(args.root).reviews,
            title=args.title,
            review_types=args.type,
            areas=args.area,
            published=args.published,
            nation=args.nation,
            names=args.name,
            review_id_override=args.id,
        )
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"created {path}: fill in the TODO fields, then run `make check`", file=sys.stderr)
    return 0


def cmd_schema(args) -> int:
    from .schema import SCHEMA_PATH, schema_text

    target = Path(args.root) / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    text = schema_text()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        print(f"{SCHEMA_PATH} is up to date", file=sys.stderr)
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="validate review files and the theme vocabulary")
    c.add_argument("paths", nargs="*", help="files or folders to check (default: reviews/)")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--github", action="store_true", help="print problems as GitHub annotations")
    c.set_defaults(func=cmd_check)
    g = sub.add_parser("generate", help="check, then write the generated pages into docs/")
    g.add_argument("--preview", action="store_true", help="for the preview: TODO placeholders are warnings, not errors")
    g.set_defaults(func=cmd_generate)
    b = sub.add_parser("build", help="generate, then build the site into site/ with mkdocs --strict")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="live preview: regenerate and reload on every save")
    s.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on (port 0: any free port)")
    s.set_defaults(func=cmd_serve)
    n = sub.add_parser("new", help="create a new review file that passes `check`, ready to fill in")
    n.add_argument("--title", required=True, help="the review's title as published")
    n.add_argument(
        "--type",
        required=True,
        action="append",
        metavar="TYPE",
        help="review type id, e.g. serious-case-review; repeat it for a joint review",
    )
    n.add_argument(
        "--area",
        required=True,
        action="append",
        metavar="AREA",
        help="local authority area or place, e.g. Derbyshire; repeat it for several",
    )
    n.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
    n.add_argument(
        "--nation",
        required=True,
        metavar="NATION",
        help="england, wales, scotland, northern-ireland, united-kingdom or not-stated",
    )
    n.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="NAME",
        help="name or pseudonym of a person the review is about (a child or an adult); repeat it for several",
    )
    n.add_argument(
        "--id",
        help="the review's id, if not the one built from the names, areas, types and year (see the editors' guide)",
    )
    n.set_defaults(func=cmd_new)
    j = sub.add_parser("schema", help="write the review file JSON Schema to docs/schema/")
    j.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
