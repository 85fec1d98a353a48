"""Command line: build, serve, check. User mistakes print file:line: message and exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import REPOSITORY


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the event microsite.")
    parser.add_argument("command", nargs="?", default="build",
                        choices=("build", "serve", "check", "publish", "translate"))
    parser.add_argument("words", nargs="*", metavar="ACTION",
                        help="translate: export, import FILE…, or baseline [UNIT…] "
                        "(docs/translations.md)")
    parser.add_argument("--site", type=Path, default=REPOSITORY,
                        help="folder with agenda.yaml and content/ (default: the repository)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: dist/)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings (such as missing translations) as errors")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind")
    parser.add_argument("--port", type=int, default=8000, help="serve: port")
    parser.add_argument("--note", action="append", default=[], metavar="[LANG=]TEXT",
                        help="publish: what changed, for attendees; once per language")
    parser.add_argument("--url", default=None,
                        help="check: the address the site is published at; checks that copy")
    parser.add_argument("--lang", action="append", default=[],
                        help="translate: the language to export, or to record (baseline)")
    parser.add_argument("--format", choices=("xliff", "po"), default="xliff",
                        help="translate export: XLIFF 1.2 (default) or PO")
    parser.add_argument("--only", choices=("all", "missing", "stale"), default="all",
                        help="translate export: every unit, or only those missing or stale")
    parser.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=None,
                        help="print the program to PDF in every language (default: on for "
                        "build, off for serve)")
    return parser.parse_intermixed_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out = args.out or args.site / "dist"
    from .errors import SiteError

    try:
        if args.command == "serve":
            from .serve import serve

            return serve(args.site, args.host, args.port, args.strict, bool(args.pdf))
        if args.command == "publish":
            from .load import load_site
            from .versions import publish, today_at

            site = load_site(args.site)
            notes = dict(note.split("=", 1) if "=" in note.split(" ", 1)[0]
                         else (site.default_locale, note) for note in args.note)
            version = publish(site, site.versions, args.site, today_at(site.event.timezone),
                              notes)
            print(f"Published version {version.number} of the schedule, dated {version.date}, "
                  f"in {args.site / 'published' / 'versions.json'}: keep it in git, and build.")
            return 0
        if args.command == "translate":
            return translate(args)
        if args.command == "check" and args.url:
            from .published import check_published

            problems = check_published(args.site, args.url)
            for problem in problems:
                print(f"error: {problem}", file=sys.stderr)
            print(f"{args.url}: " + ("OK." if not problems else f"{len(problems)} problems."))
            return 1 if problems else 0
        if args.command == "check":
            from .build import check_site
            from .coverage import format_states, format_table, measure, measure_units

            built = check_site(args.site, args.strict)
            report_warnings(built.warnings)
            print(f"{args.site / 'agenda.yaml'}: OK, {len(built.paths)} files would be written.")
            print(format_table(measure(built.site, built.catalogs)))
            print(format_states(measure_units(built.site, args.site)))
            return 0
        from .build import build_site

        built = build_site(args.site, out, args.strict, args.pdf is not False)
        report_warnings(built.warnings)
        print(f"Built {len(built.paths)} files into {out}.")
        return 0
    except SiteError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous site is untouched.", file=sys.stderr)
        return 130


def translate(args: argparse.Namespace) -> int:
    """translate export | import FILE… | baseline [UNIT…]: see docs/translations.md."""
    from . import translate as exchange
    from .errors import Problem, SiteError

    action, rest = (args.words[0], args.words[1:]) if args.words else ("", [])
    if action == "export":
        if not args.lang:
            raise SiteError([Problem("--lang", 0, "say which language to export, e.g. "
                                     "--lang es (once per language).")])
        for locale in args.lang:
            done = exchange.export(args.site, locale, args.format, args.only, args.out)
            print(f"{locale}: {done.units} units, {done.words} words ({args.only}) in "
                  + ", ".join(str(path) for path in done.paths))
        return 0
    if action == "import" and rest:
        for name in rest:
            result = exchange.import_file(args.site, Path(name), name)
            print(f"{name}: {len(result.changes)} {result.locale} translations imported"
                  + (f"; wrote {', '.join(result.files)}." if result.files else "; nothing "
                     "changed."))
        return 0
    if action == "baseline":
        recorded = exchange.baseline(args.site, tuple(args.lang), tuple(rest))
        print(f"Recorded {recorded} translations as made from the current source in "
              f"{args.site / 'translations.lock'}: keep it in git.")
        return 0
    raise SiteError([Problem("translate", 0, "say what to do: translate export --lang LANG, "
                             "translate import FILE, or translate baseline. See "
                             "docs/translations.md.")])


def report_warnings(warnings) -> None:
    for problem in warnings:
        print(f"warning: {problem}", file=sys.stderr)
