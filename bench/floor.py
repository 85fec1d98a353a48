"""How fast the build could get while Jinja renders its pages: the CPU time Jinja itself takes
to render a congress's pages, against what the issue's targets leave for it on this machine.

The pages are rendered in one process, in the build's batches, first as the build renders
them, then with every helper of this project's that the templates call (the formatting
filters, the calendar links, the JSON-LD, Markdown) answering from a memo that an earlier
pass filled. What remains is Jinja's own work: its template code, includes and escaping, plus
the model's attribute lookups and a memo lookup per call, so the floor is if anything high.
Both passes must write the same bytes. Calendars and schedule.json are not Jinja's: they count
nothing towards the floor. Writing is timed too, over the files of a previous write, as a
build writes over the site before last.

    python bench/floor.py 2000 --target 2.4
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

STARTED = time.process_time()
from eventsite import build, jsonld, render, write  # noqa: E402
IMPORTED = time.process_time() - STARTED

from bench.generate import write_site  # noqa: E402


def memoized(function):
    """`function` answering each call it has seen from a memo. Arguments are told apart by
    identity, which costs least (hashing a session dataclass costs more than most helpers);
    the memo keeps them alive, so no identity is reused, and an argument made anew for each
    call (`session.start.date()`) only makes the call go to `function` again."""
    memo: dict = {}

    def remembered(*args, **kwargs):
        key = (*map(id, args), *kwargs, *map(id, kwargs.values()))
        if key not in memo:
            memo[key] = (args, kwargs, function(*args, **kwargs))
        return memo[key][2]
    return remembered


def memoize_helpers(plan: build.Plan) -> None:
    """Every helper of ours the templates call, memoized (see the module's docstring).
    Helpers given the template's context render templates themselves (fragments()) or are
    memoized already (gettext): those stay as they are."""
    from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_NAMESPACE

    for env in plan.envs.values():
        env.filters.update({name: memoized(function) for name, function in env.filters.items()
                            if name not in DEFAULT_FILTERS})
        env.globals.update({name: memoized(value) for name, value in env.globals.items()
                            if callable(value) and name not in DEFAULT_NAMESPACE
                            and not hasattr(value, "jinja_pass_arg")})
    render.markdown_block = memoized(render.markdown_block)  # md(): made anew for each page
    jsonld.event_jsonld = memoized(jsonld.event_jsonld)


def count_includes(plan: build.Plan) -> Counter:
    """How often each locale's templates are asked for from now on: once per include or
    extends, once per fragments() call."""
    asked: Counter = Counter()
    for locale, env in plan.envs.items():
        def get_template(*args, _locale=locale, _get=env.get_template, **kwargs):
            asked[_locale] += 1
            return _get(*args, **kwargs)
        env.get_template = get_template
    return asked


def include_cost(plan: build.Plan) -> float:
    """CPU seconds one include of an empty template takes, with a session page's variables."""
    from jinja2 import ChoiceLoader, DictLoader

    env = next(iter(plan.envs.values()))
    route = next(r for r in render.site_routes(plan.site) if r.template == "session.html")
    loop = env.overlay(loader=ChoiceLoader([DictLoader({
        "empty": "", "loop": '{% for _ in range(10000) %}{% include "empty" %}{% endfor %}'}),
        env.loader])).get_template("loop")
    context = render.page_context(plan.site, route, env.globals["locale"])
    loop.render(context)
    started = time.process_time()
    loop.render(context)
    return (time.process_time() - started) / 10000


def render_pages(plan: build.Plan, folder: Path | None = None
                 ) -> tuple[Counter, float, dict[str, str]]:
    """CPU time rendering each template's pages, CPU time writing them over `folder`'s
    (written once before, untimed), and each page's digest."""
    spent: Counter = Counter()
    writing, digests = 0.0, {}
    for batch in build.batches(plan):
        if batch.kind != "pages":
            continue
        started = time.process_time()
        files = {path: write.content_bytes(content)
                 for path, content in build.render_batch(plan, batch).items()}
        spent[batch.routes[0].template] += time.process_time() - started
        digests.update((path, hashlib.sha256(data).hexdigest()) for path, data in files.items())
        if folder:
            write.write_tree(files, folder)
            started = time.process_time()
            write.write_tree(files, folder)
            writing += time.process_time() - started
    return spent, writing, digests


def render_others(plan: build.Plan) -> dict[str, float]:
    """CPU time of what is not Jinja's: the calendars and schedule.json."""
    spent: Counter = Counter()
    for batch in build.batches(plan):
        if batch.kind in ("calendars", "schedule"):
            started = time.process_time()
            for content in build.render_batch(plan, batch).values():
                write.content_bytes(content)
            spent[batch.kind] += time.process_time() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sessions", type=int)
    parser.add_argument("--target", type=float, required=True, help="seconds, wall")
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    site = write_site(args.sessions, args.work / f"site-{args.sessions}")
    started = time.process_time()
    plan = build.prepare(site)
    serial = IMPORTED + time.process_time() - started
    gc.freeze()  # as the build does before it forks its workers
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        built, writing, digests = render_pages(plan, Path(folder))
    others = render_others(plan)
    memoize_helpers(plan)
    render_pages(plan)  # fills the memos
    gc.freeze()  # millions of kept results: the cycle collector would walk them again and again
    each = include_cost(plan)
    asked = count_includes(plan)
    jinja, _, jinja_digests = render_pages(plan)
    includes = sum(asked.values())
    if jinja_digests != digests:
        raise SystemExit("the memoized helpers changed the pages: the floor would be wrong")

    cores = os.cpu_count() or 1
    print(f"N = {args.sessions:,}, {cores} cores; CPU seconds, one process\n")
    print(f"imports, loading, validating, preparing (before any worker): {serial:.2f}\n")
    print("| pages | as built | Jinja alone |\n|---|---:|---:|")
    for template in built:
        print(f"| {template} | {built[template]:.2f} | {jinja[template]:.2f} |")
    print(f"| all | {sum(built.values()):.2f} | {sum(jinja.values()):.2f} |\n")
    for kind, seconds in others.items():
        print(f"{kind} (not Jinja's): {seconds:.2f}")
    print(f"writing the pages over a previous write: {writing:.2f}")
    print(f"templates included or extended: {includes:,}, {each * 1e6:.1f} µs each: "
          f"{includes * each:.2f} of Jinja alone\n")
    budget = (args.target - serial) * cores
    floor = sum(jinja.values()) + writing
    print(f"For {args.target} s: ({args.target} - {serial:.2f}) x {cores} cores = {budget:.2f} "
          "CPU seconds for the workers, were they perfectly parallel. Jinja alone and writing "
          f"the pages take {floor:.2f} ({floor / budget:.0%} of it); with no include costing "
          f"anything, {floor - includes * each:.2f} ({(floor - includes * each) / budget:.0%})."
          " That is with every helper answering from a memo, and calendars and schedule free.")

if __name__ == "__main__":
    main()
