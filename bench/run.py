"""`make bench`: our build against plain MkDocs on the same pages, at 100, 1,000 and 10,000 stories,
and the edit loop of `make serve` at 1,000, and `playbook match` on 500 by 500 people.

Every measured build runs in a child process of its own, so its wall time and peak memory
(max RSS, read with os.wait4) are its alone. Figures are medians of several rounds with their
range, and each round runs every step once.

The edit loop runs our live server and plain MkDocs' side by side, both `mkdocs serve --dirty`,
saves a change to one story and times until the server returns that story's page with the change.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

import yaml
from mkdocs.utils.meta import get_data

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import urls  # noqa: E402
from generator.feeds import feed_links  # noqa: E402
from generator.outputs import Options  # noqa: E402
from generator.plugin import SEARCH  # noqa: E402
from generator.publish import Build, build_playbook, nav_for_mkdocs  # noqa: E402
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
# The plugin/plain target per size: the smallest site may pay a little more for our fixed start-up cost.
RATIO_TARGETS = {100: 1.10, 1_000: 1.05, 10_000: 1.05}
RATIOS = (("plugin", "plain"), ("generator", "plain"), ("generator", "bare"))
EDIT_STORIES = 1_000
EDIT_SECONDS = 1.5  # the most our median edit may take
EDIT_RATIO = 1.5  # and the most it may take against plain MkDocs' median, as a multiple
# Generous: until our plugin rebuilds incrementally, every edit rebuilds the whole site (about 20 s).
EDIT_TIMEOUT = 120.0
START_TIMEOUT = 300.0  # a server answers only once its first, full build is done
POLL_INTERVAL = 0.02


@dataclass(frozen=True)
class Measure:
    seconds: float
    megabytes: float
    cpu: float
    """CPU seconds, the worker processes a build forks included: what the build costs, beside how long it takes."""


@dataclass(frozen=True)
class Spread:
    """A median beside the least and the most of the values it comes from."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        taken = list(values)
        return cls(statistics.median(taken), min(taken), max(taken))

    def show(self, digits: int) -> str:
        return f"{self.median:.{digits}f} ({self.low:.{digits}f}–{self.high:.{digits}f})"


@dataclass(frozen=True)
class SizeResult:
    """Each step's seconds and peak MB over the rounds, and the ratios between steps taken per round: the
    steps of a round run back to back, so a slow spell of the machine that lasts a round cancels out."""

    rounds: int
    seconds: dict[str, Spread]
    megabytes: dict[str, Spread]
    ratios: dict[str, Spread]
    cpu: dict[str, Spread]


@dataclass(frozen=True)
class EditResult:
    """Seconds from saving a change until the served page shows it, ours and plain MkDocs'."""

    edits: int
    body: dict[str, Spread]
    title: dict[str, float]
    title_files: int
    """How many files plain's title edit rewrites: every one our generator writes differently."""


@dataclass(frozen=True)
class Plan:
    rounds: dict[int, int]
    edits: int
    match_rounds: int


# 28 minutes on 2026-12-02 with five rounds at 1,000 stories, inside the 30 the issue allows; 33 on the morning
# of 2026-12-03 and 38 on days when every build took 1.25 and 1.75 times as long; 27 once the theme worker
# rendered half the pages (2026-12-03, afternoon). A 10,000-story round alone (our build and the plain one)
# takes 6 to 14 minutes, so that size gets two rounds, a range of two. A 100-story round takes about 10 s, and
# with five its own ratios spread from 0.99 to 1.29, so that size gets nine.
FULL = Plan({100: 9, 1_000: 5, 10_000: 2}, edits=5, match_rounds=5)
QUICK = Plan({100: 3, 1_000: 3}, edits=3, match_rounds=3)
MATCH_PEOPLE = 500  # reverse mentors, and as many leaders
MATCH_SECONDS = 2.0  # the most `playbook match` may take on them, start-up included


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
    # The synthetic posts use topics of their own, so the tag vocabulary lists those.
    vocabulary = [{"id": tag, "label": tag.replace("-", " ").capitalize(), "description": f"Posts on {tag}."}
                  for tag in TAGS]
    (project / "playbook" / "tags.yml").write_text(yaml.safe_dump({"tags": vocabulary}, sort_keys=False))
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
    build = generate(project)
    write_files(plain / "docs", site_files(build))
    (plain / "docs" / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "generator" / STYLESHEET, plain / "docs" / STYLESHEET)
    write_feed_hook(plain / FEED_HOOK)
    write_config(plain, {"plugins": ["search"], "nav": nav_for_mkdocs(build.site, []), "extra_css": [STYLESHEET],
                         "hooks": [FEED_HOOK], "validation": {"nav": {"omitted_files": "info"}}})
    config = yaml.safe_load((plain / "mkdocs.yml").read_text())
    config["theme"]["custom_dir"] = str(REPO / "generator" / "theme")
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return plain


FEED_HOOK = "feed_links.py"
HOOK = """
# The theme's <link rel=alternate> tags call `playbook_feeds`, which our plugin provides. Here it is a
# table made beforehand by bench/run.py, so the plain build runs none of our code.
import json
LINKS = json.loads({links!r})


def on_env(env, config, files):
    env.globals["playbook_feeds"] = lambda tag=None: LINKS.get(tag or "", LINKS[""])
"""


def write_feed_hook(path: Path) -> None:
    links = {tag: [asdict(link) for link in feed_links(SITE_URL, tag or None)] for tag in ["", *TAGS]}
    path.write_text(HOOK.format(links=json.dumps(links)))


def generate(project: Path) -> Build:
    options = Options(today=dt.date.today(), site_url=SITE_URL, templates=REPO / "templates")
    return build_playbook(project / "playbook", project, options)


def site_files(build: Build) -> dict[str, bytes]:
    """Every page (as Markdown) and other file a build makes, by its path under docs/.

    Each page carries in its front matter the search settings our plugin gives it (hub pages after
    the first are left out of the index), so that plain MkDocs indexes the same pages ours does.
    Without them the plain build indexed 8,000 more pages at 10,000 stories, 17 s of its own work.
    """
    pages = {page.path: with_search_meta(page.markdown, SEARCH.get(page.rank)).encode() for page in build.site.pages}
    return pages | {asset.path: asset.content for asset in build.site.assets}


def with_search_meta(markdown: str, search: dict[str, object] | None) -> str:
    if not search:
        return markdown
    body, meta = get_data(markdown)
    meta.setdefault("search", search)
    return f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n{body}"


def write_files(docs: Path, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(content)


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
    # Each side replaces its own last site, as a person rebuilding does. With one folder for both, the
    # plain build deleted the plugin's site seconds after it was written, before ext4 had given its
    # files blocks on disk (0.35 s for 1,000 stories here), while the plugin, which deletes the old
    # site at its end, deleted a plain site already written out (0.7 s): a gap in plain's favour.
    site = scratch / f"site-{step}"
    return [python, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(site)]


# Linux carries a process's peak RSS across exec, so a child forked from this (large) process
# would report our memory as its own. A tiny launcher, importing only os and sys, starts each
# measured command instead and reports that command's own peak.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, usage.ru_utime + usage.ru_stime, file=sys.stderr)
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}


def measure_once(argv: list[str]) -> Measure:
    """Wall time and peak RSS of one run of `argv`, in a process of its own."""
    os.sync()  # the last step's files go to disk now, not while this one is timed
    start = time.perf_counter()
    launched = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *argv], env=child_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    *output, last = launched.stderr.rstrip().splitlines() or [""]
    code, peak_kb, cpu = last.split()
    if code != "0":
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n" + "\n".join(output)[-2000:])
    return Measure(seconds, int(peak_kb) / 1024, float(cpu))


@contextlib.contextmanager
def bench_projects(stories: int) -> Iterator[tuple[Path, Path, Path]]:
    """A scratch folder holding the plugin project with `stories` stories, and its plain twin."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{stories}-") as folder:
        root = Path(folder)
        project = make_project(root, stories)
        yield root, project, make_plain(root, project)


def bench_size(stories: int, rounds: int) -> SizeResult:
    """Each round runs every step once, so a slow spell on the machine falls on all steps alike
    instead of on whichever step happened to be measured then."""
    samples: dict[str, list[Measure]] = {step: [] for step in STEPS}
    with bench_projects(stories) as (root, project, plain):
        for _ in range(rounds):
            for step in STEPS:
                samples[step].append(measure_once(command(step, project, plain, root)))
    result = summarize(rounds, samples)
    for step in STEPS:
        print(f"  {stories:>6} stories  {LABELS[step]:<34} {result.seconds[step].show(2):>24} s "
              f"{result.megabytes[step].show(0):>16} MB", flush=True)
    print(f"  {stories:>6} stories  plugin/plain {result.ratios['plugin/plain'].show(3)}, CPU "
          f"{result.ratios['plugin/plain CPU'].show(3)}", flush=True)
    return result


def summarize(rounds: int, samples: dict[str, list[Measure]]) -> SizeResult:
    seconds = {step: Spread.of(m.seconds for m in taken) for step, taken in samples.items()}
    megabytes = {step: Spread.of(m.megabytes for m in taken) for step, taken in samples.items()}
    ratios = {f"{top}/{bottom}": Spread.of(a.seconds / b.seconds for a, b in zip(samples[top], samples[bottom]))
              for top, bottom in RATIOS}
    ratios["plugin/plain CPU"] = Spread.of(a.cpu / b.cpu for a, b in zip(samples["plugin"], samples["plain"]))
    cpu = {step: Spread.of(m.cpu for m in taken) for step, taken in samples.items()}
    return SizeResult(rounds, seconds, megabytes, ratios, cpu)


# The edit loop. Each edit is prepared first and then saved in one go, so the clock measures the
# server alone: from the last file saved until the story's page is served with the change.

@dataclass(frozen=True)
class Server:
    """A running `mkdocs serve --dirty`, and the file its output goes to."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def fail(self, message: str) -> NoReturn:
        tail = self.log.read_text(errors="replace").splitlines()[-20:]
        raise SystemExit(f"{message} ({self.url})\nLast lines of the server's output:\n" + "\n".join(tail))


@dataclass(frozen=True)
class Edit:
    """Files to save, in this order, and the page that must then show `marker`."""

    writes: list[tuple[Path, bytes]]
    page: str
    marker: str


# Straight to 127.0.0.1, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def bench_edits(stories: int, edits: int) -> EditResult:
    """`edits` body edits per side, alternating sides so a slow spell of the machine hits both, then one
    title edit per side; every edit is to a story of its own."""
    with bench_projects(stories) as (root, project, plain), contextlib.ExitStack() as servers:
        pristine = root / "pristine"
        shutil.copytree(project / "playbook", pristine / "playbook")
        ours = servers.enter_context(serving(project, root / "ours.log"))
        floor = servers.enter_context(serving(plain, root / "plain.log"))
        for server in (ours, floor):
            wait_until_up(server)
        # Each watcher takes its first snapshot of the files in a thread of its own, just as the server
        # starts answering; an edit saved before that snapshot would go unseen.
        time.sleep(1)
        picks = iter(range(7, stories, stories // (2 * edits + 2)))
        body: dict[str, list[float]] = {"ours": [], "plain": []}
        for number in range(edits):
            body["ours"].append(time_edit(ours, story_edit(project, next(picks), "body")))
            body["plain"].append(time_edit(floor, plain_body_edit(project, plain, next(picks))))
            print(f"  edit {number + 1}: ours {body['ours'][-1]:.2f} s, plain --dirty {body['plain'][-1]:.2f} s",
                  flush=True)
        plain_title = plain_title_edit(pristine, plain, next(picks))
        title = {"ours": time_edit(ours, story_edit(project, next(picks), "title")),
                 "plain": time_edit(floor, plain_title)}
        print(f"  title edit: ours {title['ours']:.2f} s, plain --dirty {title['plain']:.2f} s "
              f"({len(plain_title.writes)} files)", flush=True)
    return EditResult(edits, {side: Spread.of(times) for side, times in body.items()}, title, len(plain_title.writes))


@contextlib.contextmanager
def serving(folder: Path, log: Path) -> Iterator[Server]:
    """`mkdocs serve --dirty` on `folder` at a free port, as `make serve` runs it; stopped however the block ends."""
    port = free_port()
    argv = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}",
            "-f", str(folder / "mkdocs.yml")]
    with log.open("wb") as output:
        process = subprocess.Popen(argv, env=child_env(), stdout=output, stderr=subprocess.STDOUT)
    try:
        yield Server(process, f"http://127.0.0.1:{port}/", log)
    finally:
        stop(process)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first, as a person stops `make serve`: only then does MkDocs delete its temporary site folder."""
    for send in (lambda: process.send_signal(signal.SIGINT), process.terminate, process.kill):
        send()
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def wait_until_up(server: Server) -> None:
    """Until the home page answers 200: `mkdocs serve` listens only once its first build is done."""
    deadline = time.perf_counter() + START_TIMEOUT
    while fetch(server.url, deadline) is None:
        if server.process.poll() is not None:
            server.fail(f"mkdocs serve stopped with exit code {server.process.returncode} before it served a page")
        if time.perf_counter() > deadline:
            server.fail(f"mkdocs serve did not serve its home page within {START_TIMEOUT:.0f} s")
        time.sleep(0.2)


def fetch(url: str, deadline: float) -> str | None:
    """The page at `url`, or None while the server does not answer it with 200."""
    try:
        with OPENER.open(url, timeout=max(deadline - time.perf_counter(), 0.1)) as response:
            return response.read().decode() if response.status == 200 else None
    except (OSError, http.client.HTTPException):  # refused, timed out, 404 (urllib's errors are OSErrors)
        return None


def time_edit(server: Server, edit: Edit) -> float:
    """Seconds from saving `edit` until its page is served with the marker. The live server holds a request
    while it rebuilds, so the polling simply waits through the build."""
    for path, content in edit.writes:
        path.write_bytes(content)
    saved = time.perf_counter()
    deadline = saved + EDIT_TIMEOUT
    url = server.url + urls.page_url(edit.page)
    while True:
        html = fetch(url, deadline)
        if html is not None and edit.marker in html:
            return time.perf_counter() - saved
        if server.process.poll() is not None:
            server.fail(f"mkdocs serve stopped with exit code {server.process.returncode} after an edit")
        if time.perf_counter() > deadline:
            server.fail(f"{edit.page} did not show the edit within {EDIT_TIMEOUT:.0f} s of saving it")
        time.sleep(POLL_INTERVAL)


def new_marker() -> str:
    """A word found in no page until an edit puts it there; letters and digits only, so Markdown keeps it as is."""
    return "bench" + uuid.uuid4().hex[:12]


def story_file(project: Path, index: int) -> Path:
    return next((project / "playbook" / "stories").glob(f"*-story-{index}.yml"))


def story_edit(project: Path, index: int, field: str) -> Edit:
    """Our side: the story's YAML, rewritten with a marker word at the start of its `field`."""
    path, marker = story_file(project, index), new_marker()
    post = yaml.safe_load(path.read_text())
    post[field] = f"{marker} {post[field]}"
    content = yaml.safe_dump(post, sort_keys=False, allow_unicode=True).encode()
    return Edit([(path, content)], urls.to("stories", path.stem), marker)


def plain_body_edit(project: Path, plain: Path, index: int) -> Edit:
    """Plain's side: the story's Markdown page, with a marker word as a paragraph of its own at the end."""
    page, marker = urls.to("stories", story_file(project, index).stem), new_marker()
    path = plain / "docs" / page
    return Edit([(path, (path.read_text() + f"\n{marker}\n").encode())], page, marker)


def plain_title_edit(pristine: Path, plain: Path, index: int) -> Edit:
    """Plain's side of a title edit: every file our generator writes differently once the title changes (the
    story's page, the hub pages and related lists naming it, the feeds), the story's page last. `pristine`
    is a copy of the playbook from before the edit loop, so earlier edits do not count as changes here."""
    before = site_files(generate(pristine))
    title = story_edit(pristine, index, "title")
    for path, content in title.writes:
        path.write_bytes(content)
    after = site_files(generate(pristine))
    changed = sorted((page for page in after if after[page] != before.get(page)), key=lambda page: page == title.page)
    return Edit([(plain / "docs" / page, after[page]) for page in changed], title.page, title.marker)


# Pairing: `playbook match` on 500 reverse mentors and 500 leaders.

def participants_file(path: Path, people: int) -> Path:
    """A made-up cohort: 60 skills, 12 departments, 6 sites, 4 languages, times for some, and a third of the
    mentors reporting to a leader in the file, so every rule of a pair has work to do."""
    rng = random.Random(7)
    skills, slots = [f"skill {n}" for n in range(60)], [f"{d} {h}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
                                                          for h in ("am", "pm")]

    def some(items: list[str], low: int, high: int) -> str:
        return "; ".join(rng.sample(items, rng.randint(low, high)))

    rows = ["id,name,role,department,site,manager_id,skills_offered,skills_wanted,languages,availability"]
    for role, prefix in (("reverse-mentor", "m"), ("mentee-leader", "l")):
        for n in range(people):
            manager = f"l{rng.randrange(people)}" if prefix == "m" and rng.random() < 0.3 else f"x{rng.randrange(40)}"
            languages = "English" + ("; " + rng.choice(["Polish", "German", "Spanish"]) if rng.random() < 0.3 else "")
            rows.append(f"{prefix}{n},Person {prefix}{n},{role},Department {rng.randrange(12)},Site {rng.randrange(6)},"
                        f"{manager},{some(skills, 1, 4)},{some(skills, 1, 4)},{languages},{some(slots, 0, 4)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def bench_match(rounds: int) -> Spread:
    """Wall seconds of the whole command, Python's start-up and the playbook's check included."""
    with tempfile.TemporaryDirectory(prefix="bench-match-") as folder:
        participants = participants_file(Path(folder) / "participants.csv", MATCH_PEOPLE)
        argv = [sys.executable, "-m", "generator.cli", "match", str(participants), "--out",
                str(Path(folder) / "pairs.csv"), "--content", str(REPO / "playbook")]
        return Spread.of(measure_once(argv).seconds for _ in range(rounds))


# The report.

def table(stories: int, result: SizeResult) -> list[str]:
    seconds, megabytes, ratios = result.seconds, result.megabytes, result.ratios
    lines = [f"### {stories:,} stories, {result.rounds} rounds", "",
             "| step | seconds | CPU seconds | peak MB |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {LABELS[s]} | {seconds[s].show(2)} | {result.cpu[s].show(2)} | {megabytes[s].show(0)} |"
              for s in STEPS]
    lines += ["", "| plugin/plain | plugin/plain, CPU | generator/plain | generator/bare |",
              "| ---: | ---: | ---: | ---: |",
              f"| {ratios['plugin/plain'].show(3)} | {ratios['plugin/plain CPU'].show(3)} | "
              f"{ratios['generator/plain'].show(3)} | {ratios['generator/bare'].show(2)} |", ""]
    return lines


def edit_table(result: EditResult) -> list[str]:
    body, title = result.body, result.title
    return [f"### Edit loop, {EDIT_STORIES:,} stories", "",
            "Seconds from saving a change to one story until the live server (`mkdocs serve --dirty`, as "
            "`make serve` runs it) returns that story's page with the change: ours, with the story's YAML "
            "rewritten, against plain MkDocs with the story's Markdown page rewritten. Both servers run side by "
            "side and the edits alternate between them, each on a story of its own. Plain's title edit rewrites "
            "every file our generator changes with the title (the story's page, hub pages, related lists, "
            "feeds).", "",
            "| edit | ours | plain --dirty | ours/plain |", "| --- | ---: | ---: | ---: |",
            f"| body of one story, {result.edits} edits each | {body['ours'].show(2)} | {body['plain'].show(2)} | "
            f"{body['ours'].median / body['plain'].median:.1f} |",
            f"| title of one story, 1 edit each (plain: {result.title_files} files) | {title['ours']:.2f} | "
            f"{title['plain']:.2f} | {title['ours'] / title['plain']:.1f} |", ""]


def report(results: dict[int, SizeResult], edits: EditResult, match: Spread, minutes: float, quick: bool) -> str:
    run = "`make bench-quick` (bench/run.py --quick)" if quick else "`make bench` (bench/run.py)"
    lines = ["# Benchmark", "",
             f"Measured {dt.date.today()} on {machine()}. The whole run took {minutes:.0f} minutes. Every figure "
             "is the median over the rounds, with the least and the most in brackets; each round runs every step "
             "once, and the ratios between steps are taken within each round. Peak memory is a run's max RSS. "
             "CPU seconds count the worker processes a build forks (our build uses a second core; plain MkDocs "
             "cannot), so plugin/plain, CPU says what our build costs where plugin/plain says how long it takes. "
             f"Produced by {run}.", "",
             "(3) is the MkDocs floor: the very pages our plugin generates, written out beforehand as plain "
             "Markdown and built with the same theme, nav, CSS and search plugin. (4) is the least any generator "
             "must pay: libyaml's CSafeLoader, a one-line Jinja template and a file write per story.", ""]
    for stories, result in results.items():
        lines += table(stories, result)
    lines += edit_table(edits)
    lines += [f"### Pairing, {MATCH_PEOPLE} reverse mentors × {MATCH_PEOPLE} leaders", "",
              "Seconds for the whole `playbook match` command on a made-up cohort (`participants_file` in "
              "bench/run.py): start-up, checking the playbook, reading and checking the file, scoring every pair, "
              f"solving the assignment and writing the proposal: {match.show(2)} s.", ""]
    lines += verdicts(results, edits)
    lines.insert(-1, f"- `playbook match`, {MATCH_PEOPLE} × {MATCH_PEOPLE}, ≤ {MATCH_SECONDS:.0f} s: "
                     f"{match.show(2)} s, {verdict(match.median <= MATCH_SECONDS)}")
    return "\n".join(lines) + "\n\n" + FINDINGS.read_text()


def machine() -> str:
    """CPU model, cores, memory, OS and the versions that decide the build's speed."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "an unnamed CPU")
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    try:
        system = f"{platform.freedesktop_os_release()['PRETTY_NAME']}, Linux {platform.release()}"
    except OSError:
        system = platform.platform()
    return (f"{cpu}, {os.cpu_count()} cores, {memory_kb / 2**20:.1f} GiB memory, {system}, "
            f"Python {platform.python_version()}, MkDocs {version('mkdocs')}, Material {version('mkdocs-material')}")


def verdict(met: bool) -> str:
    return "met" if met else "missed"


def verdicts(results: dict[int, SizeResult], edits: EditResult) -> list[str]:
    lines = ["## Targets", ""]
    for stories, target in RATIO_TARGETS.items():
        if stories in results:
            ratio = results[stories].ratios["plugin/plain"]
            cpu = results[stories].ratios["plugin/plain CPU"]
            lines.append(f"- plugin/plain ≤ {target:.2f} at {stories:,} stories: {ratio.show(3)}, "
                         f"{verdict(ratio.median <= target)} (in CPU time {cpu.show(3)})")
    if 1_000 in results and 10_000 in results:
        small, large = results[1_000], results[10_000]
        time_growth = growth(small.seconds["plugin"], large.seconds["plugin"])
        memory_growth = growth(small.megabytes["plugin"], large.megabytes["plugin"])
        lines.append(f"- growth from 1,000 to 10,000 stories ≤ 11×: time {time_growth.show(1)}×, memory "
                     f"{memory_growth.show(1)}×, {verdict(max(time_growth.median, memory_growth.median) <= 11)}")
    ours, plain = edits.body["ours"], edits.body["plain"]
    lines.append(f"- edit loop at {EDIT_STORIES:,} stories, ours ≤ {EDIT_SECONDS} s: {ours.show(2)} s, "
                 f"{verdict(ours.median <= EDIT_SECONDS)}")
    lines.append(f"- edit loop at {EDIT_STORIES:,} stories, ours ≤ {EDIT_RATIO} × plain --dirty: "
                 f"{ours.median / plain.median:.1f}×, {verdict(ours.median <= EDIT_RATIO * plain.median)}")
    return lines + [""]


def growth(small: Spread, large: Spread) -> Spread:
    """Ratio of medians; the range pairs the extremes, since rounds of different sizes are not paired."""
    return Spread(large.median / small.median, large.low / small.high, large.high / small.low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 stories only, fewer rounds and edits")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    # The edit loop first: it is the part most likely to fail, so a failure costs minutes, not half an hour.
    print(f"{clock(started)} edit loop at {EDIT_STORIES:,} stories, {plan.edits} edits per side", flush=True)
    edits = bench_edits(EDIT_STORIES, plan.edits)
    results = {}
    for stories, rounds in plan.rounds.items():
        print(f"{clock(started)} {stories:,} stories, {rounds} rounds", flush=True)
        results[stories] = bench_size(stories, rounds)
    print(f"{clock(started)} playbook match, {MATCH_PEOPLE} × {MATCH_PEOPLE}, {plan.match_rounds} rounds", flush=True)
    match = bench_match(plan.match_rounds)
    minutes = (time.perf_counter() - started) / 60
    text = report(results, edits, match, minutes, args.quick)
    RESULTS.write_text(text)
    print(text)
    print(f"{clock(started)} done: {minutes:.1f} minutes in all (the budget is 30)", flush=True)


def clock(started: float) -> str:
    """Minutes and seconds since the start, so the progress shows where the 30 minutes go."""
    minutes, seconds = divmod(int(time.perf_counter() - started), 60)
    return f"[{minutes}:{seconds:02d}]"


if __name__ == "__main__":
    main()
