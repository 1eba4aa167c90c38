"""The command line: ``python -m generator check|generate|build|serve``.

Thin by design: each command calls one function of :mod:`generator.pipeline` and turns
its outcome into messages and an exit code. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .errors import CheckFailed, SourceError
from .pipeline import BuildFailed, Project, build, check_project, generate
from .workers import WorkerFailed

ROOT = Path(__file__).resolve().parent.parent
LOGGER = "generator"  # every message goes to this logger, one line each, to stderr


def _log() -> logging.Logger:
    return logging.getLogger(LOGGER)


def _log_problems(problems: list[SourceError], github: bool = False) -> None:
    for problem in problems:
        level = logging.WARNING if problem.level == "warning" else logging.ERROR
        _log().log(level, "%s", problem.github_annotation() if github else str(problem))


def _config_problems(project: Project) -> list[SourceError]:
    try:
        project.site_info()
    except CheckFailed as failed:
        return failed.problems
    return []


def cmd_check(args) -> int:
    project = Project(args.root)
    if args.paths:
        from .validate import check

        result = check([Path(p) for p in args.paths], root=Path.cwd(), vocabulary=project.reviews / "_themes.yaml")
        config: list[SourceError] = []
    else:
        config = _config_problems(project)  # mkdocs.yml first: the whole site depends on it
        result = check_project(project)
    _log_problems(config + result.problems, args.github)
    errors, warnings = len(config) + len(result.errors), len(result.warnings)
    _log().info(
        "checked %d files: %d error%s, %d warning%s",
        result.files,
        errors,
        "s" * (errors != 1),
        warnings,
        "s" * (warnings != 1),
    )
    return 1 if errors or (args.strict and warnings) else 0


class _Terminal(logging.StreamHandler):
    """Messages to stderr, one line each. Progress (records with ``progress`` set) is shown
    on a line of its own that the next message replaces, and only when a person is watching
    the terminal; with ``-v`` it is an ordinary line."""

    def __init__(self, verbose: bool):
        super().__init__(sys.stderr)
        self.verbose = verbose
        self.showing = False

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "progress", False) and not self.verbose:
            if self.stream.isatty():
                self.stream.write(f"\r\033[K{record.getMessage()}…")
                self.stream.flush()
                self.showing = True
            return
        if self.showing:
            self.stream.write("\r\033[K")
            self.showing = False
        super().emit(record)


class _Stages:
    """The pipeline's progress callback: each stage as it starts, and (with ``-v``) how long it took."""

    def __init__(self) -> None:
        self.current: tuple[str, float] | None = None

    def __call__(self, message: str) -> None:
        self.end()
        _log().info("%s", message, extra={"progress": True})
        self.current = (message, time.perf_counter())

    def end(self) -> None:
        if self.current is not None:
            _log().debug("%s: %.2f s", self.current[0], time.perf_counter() - self.current[1])
            self.current = None


def _run(step, args) -> int:
    stages = _Stages()
    try:
        try:
            generated = step(Project(args.root), stages)
        finally:
            stages.end()
    except CheckFailed as exc:
        _log_problems(exc.problems, getattr(args, "github", False))
        _log().error("stopped: %d problem(s); nothing was written", len(exc.problems))
        return 1
    except BuildFailed as exc:
        _log().error("%s\nstopped: mkdocs build failed; site/ and docs/ are as they were", exc)
        return 1
    except WorkerFailed as exc:
        _log().error("stopped: %s — run the command again, and report this message if it stops again", exc)
        return 1
    _log_problems(generated.warnings)
    _log().info("%s", generated.summary())
    if generated.site_current:
        _log().info("site/ is already built from these inputs: nothing to build")
    return 0


def cmd_generate(args) -> int:
    level = "warning" if args.preview else "error"  # the preview shows TODO placeholders as warnings
    return _run(lambda project, progress: generate(project, progress, todo_level=level), args)


def cmd_build(args) -> int:
    code = _run(build, args)
    if code == 0:
        site = Project(args.root).site
        _log().info(
            "site built in %s: serve it, do not open its files from disk (links and search need a web server), "
            "e.g. `python3 -m http.server --bind 127.0.0.1 --directory %s 8001`, then open http://127.0.0.1:8001/",
            site,
            site,
        )
    return code


def cmd_serve(args) -> int:
    """Live preview: regenerate once per save, rebuild the changed pages, reload the browser."""
    from .preview import serve

    try:
        return serve(Project(args.root), args.addr, Path(__file__).parent / "templates")
    except CheckFailed as exc:  # the configuration: the preview cannot start without it
        _log_problems(exc.problems)
        _log().error("stopped: %d problem(s); the preview did not start", len(exc.problems))
        return 1


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
        _log().error("%s", exc)
        return 1
    _log().info("created %s: fill in the TODO fields, then run `make check`", path)
    return 0


def cmd_schema(args) -> int:
    from .schema import SCHEMA_PATH, schema_text

    target = Path(args.root) / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    text = schema_text()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        _log().info("%s is up to date", SCHEMA_PATH)
        return 0
    target.write_text(text, encoding="utf-8")
    _log().info("wrote %s", SCHEMA_PATH)
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
    for command in sub.choices.values():  # on every command, after its name: `build -v`
        talk = command.add_mutually_exclusive_group()
        talk.add_argument("-v", "--verbose", action="store_true", help="say more: each stage and how long it took")
        talk.add_argument("-q", "--quiet", action="store_true", help="say only what went wrong")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logger = _log()
    handler = _Terminal(verbose=args.verbose)
    handler.setFormatter(logging.Formatter("%(message)s"))
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO)
    logger.propagate = False
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    finally:  # as it was: main() may run again in the same process (the tests do)
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
