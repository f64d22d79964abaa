"""`make bench`: our build against plain MkDocs on the same pages, at 100, 1,000 and 10,000 stories.

Every measured step runs in a child process of its own, so its wall time and peak memory
(max RSS, read with os.wait4) are its alone. Figures are medians of several rounds, and each
round runs every step once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.outputs import Options  # noqa: E402
from generator.publish import build_playbook, nav_for_mkdocs  # noqa: E402
from generator.urls import STYLESHEET  # noqa: E402

RESULTS = REPO / "bench" / "results.md"
# What profiling found, written by a person; each run of the bench appends it to the figures.
FINDINGS = REPO / "bench" / "findings.md"
SITE_URL = "https://playbook.intranet.example/"
STEPS = ("generator", "plugin", "plain", "bare")
LABELS = {"generator": "(1) generator step", "plugin": "(2) mkdocs build, our plugin",
          "plain": "(3) mkdocs build, plain Markdown", "bare": "(4) bare YAML + Jinja + write"}
WORDS = ("mentor leader session pair learn trust feedback plant customer digital tool channel shift team "
         "question agenda meeting idea habit change listen share coach story result month practice skill "
         "report data meaning culture respect time plan goal review").split()
TAGS = [f"topic-{i:02d}" for i in range(30)]


@dataclass(frozen=True)
class Measure:
    seconds: float
    megabytes: float


@dataclass(frozen=True)
class SizeResult:
    """Medians per step, and plugin/plain as the median of each round's own ratio: the two builds of
    a round run back to back, so a slow spell of the machine that lasts a round cancels out."""

    figures: dict[str, Measure]
    plugin_plain: float


def story(index: int, rng: random.Random, roles: list[str]) -> dict[str, object]:
    """A synthetic post of about 300 words with the Markdown people really write."""
    def sentence() -> str:
        words = rng.choices(WORDS, k=rng.randint(8, 16))
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(5)) for _ in range(3)]
    body = (f"{paragraphs[0]}\n\n## What changed\n\n{paragraphs[1]} *{sentence()}*\n\n"
            + "".join(f"- {sentence()}\n" for _ in range(4))
            + f"\n{paragraphs[2]} See [the rules](https://playbook.intranet.example/rules/).\n")
    day = dt.date(2018, 1, 1) + dt.timedelta(days=index % 2900)
    return {"title": f"Story {index}: {sentence()[:60]}", "date": day.isoformat(),
            "kind": rng.choice(["story", "update", "announcement"]), "summary": sentence(), "body": body,
            "tags": rng.sample(TAGS, rng.randint(2, 4)), "roles": rng.sample(roles, 2),
            "people": [{"name": f"Person {index}", "role": "a reverse mentor",
                        "consent": {"granted": True, "date": day.isoformat()}}]}


def make_project(root: Path, stories: int) -> Path:
    """The sample playbook without its stories, plus `stories` synthetic ones, and an mkdocs.yml."""
    project = root / "plugin"
    shutil.copytree(REPO / "playbook", project / "playbook", ignore=shutil.ignore_patterns("stories"))
    (project / "playbook" / "stories").mkdir()
    (project / "docs").mkdir()
    roles = [r["id"] for r in yaml.safe_load((REPO / "playbook" / "roles.yml").read_text())["roles"]]
    rng = random.Random(stories)
    for index in range(stories):
        post = story(index, rng, roles)
        path = project / "playbook" / "stories" / f"{post['date']}-story-{index}.yml"
        path.write_text(yaml.safe_dump(post, sort_keys=False, allow_unicode=True))
    write_config(project, {"plugins": ["search", {"playbook": {"templates": str(REPO / "templates")}}]})
    return project


def write_config(project: Path, extra: dict[str, object]) -> None:
    sample = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=_Tolerant)
    config = {"site_name": "Bench", "site_url": SITE_URL, "theme": {**sample["theme"]},
              "markdown_extensions": sample["markdown_extensions"], **extra}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


class _Tolerant(yaml.SafeLoader):
    pass


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)


def make_plain(root: Path, project: Path) -> Path:
    """The same pages, feeds and styles written out as files, built with no plugin of ours: the MkDocs floor."""
    plain = root / "plain"
    build = build_playbook(project / "playbook", project, Options(today=dt.date.today(), site_url=SITE_URL,
                                                                 templates=REPO / "templates"))
    for path, content in [(p.path, p.markdown.encode()) for p in build.site.pages] + \
                         [(a.path, a.content) for a in build.site.assets]:
        (plain / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (plain / "docs" / path).write_bytes(content)
    (plain / "docs" / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "generator" / STYLESHEET, plain / "docs" / STYLESHEET)
    write_config(plain, {"plugins": ["search"], "nav": nav_for_mkdocs(build.site, []), "extra_css": [STYLESHEET],
                         "validation": {"nav": {"omitted_files": "info"}}})
    config = yaml.safe_load((plain / "mkdocs.yml").read_text())
    config["theme"]["custom_dir"] = str(REPO / "generator" / "theme")
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return plain


GENERATOR = """
import datetime as dt, sys
from pathlib import Path
from generator.outputs import Options
from generator.publish import build_playbook
project = Path(sys.argv[1])
options = Options(today=dt.date.today(), site_url=sys.argv[3], templates=Path(sys.argv[2]))
build_playbook(project / "playbook", project, options)
"""

BARE = """
import sys, yaml, jinja2
from pathlib import Path
source, out = Path(sys.argv[1]), Path(sys.argv[2])
template = jinja2.Environment().from_string("# {{ s.title }}\\n\\n{{ s.summary }}\\n\\n{{ s.body }}\\n")
out.mkdir(parents=True, exist_ok=True)
for path in sorted(source.rglob("*.yml")):
    data = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    if path.parent.name == "stories":
        (out / (path.stem + ".md")).write_text(template.render(s=data))
"""


def command(step: str, project: Path, plain: Path, scratch: Path) -> list[str]:
    python = sys.executable
    if step == "generator":
        return [python, "-c", GENERATOR, str(project), str(REPO / "templates"), SITE_URL]
    if step == "bare":
        return [python, "-c", BARE, str(project / "playbook"), str(scratch / "bare")]
    folder = project if step == "plugin" else plain
    return [python, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(scratch / "site")]


# Linux carries a process's peak RSS across exec, so a child forked from this (large) process
# would report our memory as its own. A tiny launcher, importing only os and sys, starts each
# measured command instead and reports that command's own peak.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=sys.stderr)
"""


def measure_once(argv: list[str]) -> Measure:
    """Wall time and peak RSS of one run of `argv`, in a process of its own."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    launched = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *argv], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    *output, last = launched.stderr.rstrip().splitlines() or [""]
    code, peak_kb = (int(x) for x in last.split())
    if code != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n" + "\n".join(output)[-2000:])
    return Measure(seconds, peak_kb / 1024)


def bench_size(stories: int, runs: int) -> SizeResult:
    """Each round runs every step once, so a slow spell on the machine falls on all steps alike
    instead of on whichever step happened to be measured then."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{stories}-") as folder:
        root = Path(folder)
        project = make_project(root, stories)
        plain = make_plain(root, project)
        samples: dict[str, list[Measure]] = {step: [] for step in STEPS}
        for _ in range(runs):
            for step in STEPS:
                samples[step].append(measure_once(command(step, project, plain, root)))
        figures = {step: Measure(statistics.median(m.seconds for m in taken), max(m.megabytes for m in taken))
                   for step, taken in samples.items()}
        for step in STEPS:
            print(f"  {stories:>6} stories  {LABELS[step]:<34} {figures[step].seconds:8.2f} s "
                  f"{figures[step].megabytes:8.0f} MB", flush=True)
        ratios = [plugin.seconds / plain.seconds for plugin, plain in zip(samples["plugin"], samples["plain"])]
        print(f"  {stories:>6} stories  plugin/plain per round: {', '.join(f'{r:.3f}' for r in ratios)}", flush=True)
        return SizeResult(figures, statistics.median(ratios))


def table(stories: int, result: SizeResult) -> list[str]:
    figures = result.figures
    floor, bare = figures["plain"], figures["bare"]
    lines = [f"### {stories:,} stories", "", "| step | median s | peak MB |", "| --- | ---: | ---: |"]
    lines += [f"| {LABELS[s]} | {figures[s].seconds:.2f} | {figures[s].megabytes:.0f} |" for s in STEPS]
    lines += ["", "| plugin/plain | generator/plain | generator/bare |", "| ---: | ---: | ---: |",
              f"| {result.plugin_plain:.3f} | {figures['generator'].seconds / floor.seconds:.3f} | "
              f"{figures['generator'].seconds / bare.seconds:.2f} |", ""]
    return lines


def report(results: dict[int, SizeResult]) -> str:
    lines = ["# Benchmark", "",
             f"Measured {dt.date.today()} on {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}. Times are medians of several "
             "rounds, and each round runs every step once; plugin/plain is the median of the rounds' own "
             "ratios. Peak memory is the largest max RSS of a run. Produced by `make bench` (bench/run.py).", "",
             "(3) is the MkDocs floor: the very pages our plugin generates, written out beforehand as plain "
             "Markdown and built with the same theme, nav, CSS and search plugin. (4) is the least any generator "
             "must pay: libyaml's CSafeLoader, a one-line Jinja template and a file write per story.", ""]
    for stories, result in results.items():
        lines += table(stories, result)
    lines += verdicts(results)
    return "\n".join(lines) + "\n\n" + FINDINGS.read_text()


def verdicts(results: dict[int, SizeResult]) -> list[str]:
    lines = ["## Targets", ""]
    for stories in (1_000, 10_000):
        if stories in results:
            ratio = results[stories].plugin_plain
            lines.append(f"- plugin/plain ≤ 1.05 at {stories:,} stories: {ratio:.3f}, "
                         f"{'met' if ratio <= 1.05 else 'missed'}")
    if 1_000 in results and 10_000 in results:
        small, large = results[1_000].figures["plugin"], results[10_000].figures["plugin"]
        time_growth, memory_growth = large.seconds / small.seconds, large.megabytes / small.megabytes
        lines.append(f"- growth from 1,000 to 10,000 stories ≤ 11×: time {time_growth:.1f}×, memory "
                     f"{memory_growth:.1f}×, {'met' if max(time_growth, memory_growth) <= 11 else 'missed'}")
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 stories only, fewer runs")
    args = parser.parse_args()
    plan = {100: 3, 1_000: 3} if args.quick else {100: 5, 1_000: 7, 10_000: 3}
    results = {}
    for stories, runs in plan.items():
        print(f"{stories:,} stories, {runs} runs each", flush=True)
        results[stories] = bench_size(stories, runs)
    text = report(results)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
