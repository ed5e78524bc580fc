"""`make bench`: throughput and latency of the site's main pages under gunicorn, measured with wrk.

Needs a database filled by `manage.py seed_bench` (DATABASE_URL, PostgreSQL). For each page it
prints requests/s, p50 and p99 latency, the queries the page runs, and its throughput as a fraction
of a hello-world Django view of the same size under the same gunicorn and middleware (the pages
take turns, each run between two of the baseline's and set against them: `measure_in_turns`; a
run served by one worker alone is run again: `balanced_runner`), in three modes, each with its
floor (issue 16):

- `on`: the page cache on (anonymous readers). Floor 0.8 on every page.
- `off`: the page cache off, parts kept ({% cache %} parts and listing counts, pagecache): what
  signed-in readers and the first request after a change get. Floor 0.3 on home, article,
  category and tag.
- `none`: nothing kept at all, every page built from the database (a crawler walking old
  archives, a search). Floor 0.05 on home, article, category, tag and search.

"queries" is what a page runs with its parts kept / with nothing kept. The machine is usually
shared: treat numbers as indicative, and compare ratios within one run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench.run [--duration 2] [--rounds 5] [--connections 8]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# mode: (floor, the pages it applies to; None for all)
FLOORS = {
    "on": (0.8, None),
    "off": (0.3, {"home", "article", "category", "tag"}),
    "none": (0.05, {"home", "article", "category", "tag", "search"}),
}


def say(text: str) -> None:
    """The report goes to stdout as it is measured (a CLI script, not the Django app)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("wrk is missing: installing Debian's package…")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def pick_pages() -> dict[str, str]:
    """One address of each kind, from the seeded data."""
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Category

    article = Article.objects.published().newest_first().first()
    if article is None or Article.objects.count() < 1000:
        sys.exit("No bench data: run `python manage.py seed_bench` against DATABASE_URL first.")
    category = Category.objects.annotate(n=Count("primary_articles")).order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    return {
        "baseline": "/bench/hello/",
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "tag": f"/tag/{tag.slug}/",
        "feed": "/feed/",
        "search": "/search/?q=ceasefire+pipeline",
    }


def count_queries(pages: dict[str, str]) -> dict[str, tuple[int, int, int, int]]:
    """(status, queries with parts kept, queries with nothing kept, bytes) per page, in this
    process with the page cache off (second visits, so per-process caches such as the menu are
    warm, as in a running server)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    counted = {}
    for kept in (True, False):
        settings.FRAGMENT_CACHE = kept
        for name, path in pages.items():
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counted[(name, kept)] = (response.status_code, len(queries), len(response.content))
    return {
        name: (
            counted[(name, True)][0],
            counted[(name, True)][1],
            counted[(name, False)][1],
            counted[(name, True)][2],
        )
        for name in pages
    }


MODES = {
    "off": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "1"},
    "on": {"PAGE_CACHE": "1", "FRAGMENT_CACHE": "1"},
    "none": {"PAGE_CACHE": "0", "FRAGMENT_CACHE": "0"},
}


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "bench.wsgi"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def warm(url: str, times: int = 5) -> str:
    cache_state = ""
    for _ in range(times):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                cache_state = response.headers.get("X-Cache", "-")
        except OSError:
            pass
    return cache_state


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(wrk: str, url: str, duration: int, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    result = {"rps": rps}
    for pct in ("50", "99"):
        value, unit = re.match(r"([\d.]+)(\w+)", latency[pct]).groups()
        result[f"p{pct}"] = _ms(value, unit)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non2xx"] = int(errors.group(1)) if errors else 0
    return result


def worker_cpu_ticks(master_pid: int) -> dict[int, int]:
    """CPU time (user + system, in clock ticks) of each of gunicorn's worker processes."""
    from bench.processes import process_times

    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            times = process_times(stat)
        except OSError:
            continue  # a process that has just ended
        if times.parent == master_pid:
            ticks[int(stat.parent.name)] = times.cpu_ticks
    return ticks


# A run whose busiest worker did more than this share of the work ran on one core.
UNBALANCED_SHARE = 0.75
BALANCE_ATTEMPTS = 4


def balanced_runner(
    wrk: str, master_pid: int, duration: int, connections: int
) -> Callable[[str], dict[str, float]]:
    """`run(url)`: a wrk run whose requests were served by more than one worker, retried (up to
    BALANCE_ATTEMPTS runs) when not. wrk opens its connections once and keeps them; gunicorn's
    workers race to accept them, and now and then one worker wins all eight. Its two threads
    then share one interpreter lock, and the run measures one core instead of the page: seen
    here as the hello baseline at 1,356 and 1,490 req/s with one worker busy, and 3,300 to 3,600
    with two or more, in one series, and as page-cache hits at half the speed of other pages'."""

    def run(url: str) -> dict[str, float]:
        for _ in range(BALANCE_ATTEMPTS):
            before = worker_cpu_ticks(master_pid)
            measured = run_wrk(wrk, url, duration, connections)
            used = [
                ticks - before.get(pid, ticks)
                for pid, ticks in worker_cpu_ticks(master_pid).items()
            ]
            if sum(used) and max(used) <= UNBALANCED_SHARE * sum(used):
                break
        return measured

    return run


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The figures of the median run (by requests/s), with the medians of rps and of `fraction`."""
    runs = sorted(runs, key=lambda run: run["rps"])
    measured = dict(runs[len(runs) // 2])
    for key in ("rps", "fraction"):
        if key in measured:
            measured[key] = statistics.median(run[key] for run in runs)
    return measured


def measure_in_turns(
    run_wrk_on: Callable[[str], dict[str, float]],
    urls: dict[str, str],
    baseline_url: str,
    rounds: int,
) -> dict[str, dict[str, float]]:
    """Every page in turn with the baseline between them (baseline, home, baseline, article, …,
    baseline), `rounds` times over, each run by `run_wrk_on` (`balanced_runner`). Each page run
    is set against the mean of the two baseline runs around it, and a page's `fraction` is the
    median of those ratios; its other figures are those of its median run ("baseline": its
    runs' median).

    On this kind of machine (shared cores, a neighbour's burst) the baseline alone swung between
    960 and 2,900 req/s within minutes, so a ratio is only taken between neighbouring runs. And
    the pages take turns, rather than each running its rounds back to back, so that a burst of a
    minute falls on one or two runs of several pages, not on most runs of one: back to back, a
    page-cache hit (the same work on every page) measured 0.67 for one page in a run where the
    others measured 1.0 to 1.4."""
    baselines = [run_wrk_on(baseline_url)]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            run = run_wrk_on(url)
            baselines.append(run_wrk_on(baseline_url))
            run["fraction"] = run["rps"] / statistics.mean(b["rps"] for b in baselines[-2:])
            runs[name].append(run)
    return {"baseline": median_run(baselines)} | {
        name: median_run(page_runs) for name, page_runs in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=2, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds", type=int, default=5, help="runs of each page, between runs of the baseline"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8117")))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a floor is missed")
    parser.add_argument("--modes", help="comma-separated subset of: " + ",".join(MODES))
    parser.add_argument(
        "--pages", help="comma-separated subset of: home,article,category,tag,feed,search"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database seed_bench filled.")

    wrk = ensure_wrk()
    base_env = {
        **os.environ,
        "DEBUG": "0",
        "TESTING": "0",
        "HTTPS": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # No worker recycling mid-run (every 5,000 requests by default): a fork and a cold worker
        # in the middle of a five-second run skewed single measurements by half.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    os.environ.update(
        {k: base_env[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "LOG_LEVEL")}
    )
    os.environ["TESTING"] = "1"  # this process only counts queries: static files from finders
    setup_django()
    pages = pick_pages()
    if args.pages:
        wanted = {"baseline", "home", *args.pages.split(",")}  # home sizes the baseline
        pages = {name: path for name, path in pages.items() if name in wanted}
    queries = count_queries(pages)
    home_bytes = queries["home"][3]
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    base_env.update(STATIC_ROOT=static_root, BENCH_HELLO_BYTES=str(home_bytes))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=base_env,
        check=True,
    )

    say(f"cores: {os.cpu_count()}, wrk: 1 thread, {args.connections} connections, "
          f"{args.rounds} rounds of {args.duration} s per page, the pages in turns between baseline runs; baseline body {home_bytes} bytes")  # fmt: skip
    results: dict[tuple[str, str], dict] = {}
    modes = {m: MODES[m] for m in args.modes.split(",")} if args.modes else MODES
    for mode, mode_env in modes.items():
        process = start_gunicorn(args.port, {**base_env, **mode_env})
        try:
            base = f"http://127.0.0.1:{args.port}"
            urls, cache_states = {}, {}
            for name, path in pages.items():
                if queries[name][0] != 200:
                    results[(mode, name)] = {"skipped": f"HTTP {queries[name][0]}"}
                elif name != "baseline":
                    urls[name] = base + path
                    cache_states[name] = warm(urls[name])
            warm(base + pages["baseline"])
            # Untimed, so that every worker has served each page before the rounds.
            for url in (base + pages["baseline"], *urls.values()):
                run_wrk(wrk, url, 1, args.connections)
            run = balanced_runner(wrk, process.pid, args.duration, args.connections)
            measured = measure_in_turns(run, urls, base + pages["baseline"], args.rounds)
            for name, figures in measured.items():
                figures["x_cache"] = cache_states.get(name, "-")
                results[(mode, name)] = figures
                say(f"  {mode:4} {name:9} {figures['rps']:8.1f} req/s")
        finally:
            stop(process)
    shutil.rmtree(static_root, ignore_errors=True)
    report(pages, queries, results, strict=args.strict)


def report(pages, queries, results, *, strict: bool) -> None:
    misses = []
    header = f"{'page':9} {'cache':5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>9} {'× base':>7}"
    say("\n" + header + "\n" + "-" * len(header))
    for mode in dict.fromkeys(mode for mode, _ in results):
        baseline = results[(mode, "baseline")]["rps"]
        for name in pages:
            measured = results[(mode, name)]
            if "skipped" in measured:
                say(f"{name:9} {mode:5} {'skipped: ' + measured['skipped']:>40}")
                continue
            fraction = measured.get("fraction", measured["rps"] / baseline)
            note = ""
            floor, floor_pages = FLOORS[mode]
            applies = name != "baseline" and (floor_pages is None or name in floor_pages)
            if applies and fraction < floor:
                note = f"  below the {floor} floor"
                misses.append((mode, name))
            if mode == "on" and name != "baseline" and measured.get("x_cache") != "hit":
                note += f"  (X-Cache: {measured.get('x_cache')})"
            kept, cold = queries[name][1:3]
            say(
                f"{name:9} {mode:5} {measured['rps']:8.1f} {measured['p50']:8.2f} "
                f"{measured['p99']:8.2f} {f'{kept} / {cold}':>9} {fraction:7.3f}{note}"
            )
    uncached = [
        (results[("off", n)]["rps"], n)
        for n in pages
        if n != "baseline" and "rps" in results.get(("off", n), {})
    ]
    if uncached:
        say(f"\nslowest uncached page: {min(uncached)[1]} ({min(uncached)[0]:.1f} req/s)")
    say("queries: with parts kept / with nothing kept (a page's first render after a change)")
    say(
        "floors (× base): page cache on ≥ 0.8 on every page; parts kept (off) ≥ 0.3 on home, "
        "article, category, tag; nothing kept (none) ≥ 0.05 on those and search"
    )
    say("floors: " + ("all met" if not misses else f"missed by {misses}"))
    if strict and misses:
        sys.exit(1)


if __name__ == "__main__":
    main()
