"""`make bench`: the site under gunicorn on PostgreSQL and Redis, under load (locust).

For each checkout measured (this one, and with --baseline an earlier commit from a git
worktree, side by side in the same run):

1. a fresh PostgreSQL database with the demo content, a coordinator account, the static
   files and the image renditions; a probe (scripts/bench_probe.py) picks one address per
   page type and counts its HTML bytes and the SQL queries of a full render, warm (site
   data cached) and cold (cache cleared);
2. a mixed load for --duration seconds (scripts/bench_locustfile.py): browsing every page
   type, searching, news submissions, sign-ups and a coordinator saving in the admin;
   then errors (must be 0) and lost writes (accepted posts missing from the database,
   must be 0);
3. each page type alone for --page-seconds, for its requests per second and latency, from
   four servers: this checkout "cached" (full-page cache), "uncached"
   (PAGE_CACHE_SECONDS=0, the fragment cache on), "raw" (PAGE_CACHE_SECONDS=0 and
   FRAGMENT_CACHE_SECONDS=0: everything rendered, only the site data cached) and the
   baseline (PAGE_CACHE_SECONDS=0); they run side by side and take turns page by page,
   for --rounds rounds (the best counts), so that a busy moment hits them alike;
4. (this checkout) the mixed load again with one app process: the scale-out factor.

Figures are ratios to trust, not absolutes: the load tool runs on the same machine.

    .venv/bin/python scripts/bench.py [--baseline COMMIT] [--duration 20] [--page-seconds 5]
"""

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
BIN = Path(sys.executable).parent
ADMIN_USER, ADMIN_PASSWORD = "bench-coordinator", "bench-coordinator-password-1"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Target:
    """One checkout of the site with its own database and media."""

    def __init__(self, label: str, checkout: Path, args, work: Path):
        self.label, self.checkout, self.args = label, checkout, args
        self.work = work / label
        self.work.mkdir(parents=True)
        base = urlsplit(args.database_url)
        self.database = f"{args.database_prefix}_{label}"
        self.database_url = urlunsplit(base._replace(path="/" + self.database))
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "bench-secret-key-not-for-production-" + "x" * 20,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": f"http://127.0.0.1:{args.port}",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": args.redis_url,
            "MEDIA_ROOT": str(self.work / "media"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_URL": "consolemail://",
            # The production defaults, whatever a local .env says (a server may override).
            "PAGE_CACHE_SECONDS": "300",
            "FRAGMENT_CACHE_SECONDS": "300",
            # One load generator is one address: lift the per-address flood limits.
            "NEWS_SUBMIT_RATE_PER_LINK": "1000000/h",
            "NEWS_SUBMIT_RATE_PER_IP": "1000000/h",
            "MASTERCLASS_SIGNUP_RATE_PER_IP": "1000000/h",
            "PYTHONPATH": str(checkout),
        }
        self.plan = self.work / "plan.json"

    def manage(self, *command: str) -> subprocess.CompletedProcess:
        # No system checks: the development checks of older commits need not hold here.
        skip = ["--skip-checks"] if command[0] in ("migrate", "collectstatic") else []
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *command, *skip],
            cwd=self.checkout,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{self.label}: manage.py {command[0]} failed:\n{done.stderr}")
        return done

    def prepare(self) -> None:
        log(f"{self.label}: database {self.database}, demo content, static files")
        self.drop()
        self.server_sql(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("load_demo_content")
        self.manage("collectstatic", "--noinput")
        if "make_renditions" in self.manage("help", "--commands").stdout:
            log(f"{self.label}: image renditions")
            self.manage("make_renditions")
        self.manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model as g; U = g(); "
            f"U.objects.filter(username='{ADMIN_USER}').exists() or "
            f"U.objects.create_superuser('{ADMIN_USER}', 'bench@example.org', "
            f"'{ADMIN_PASSWORD}')",
        )
        log(f"{self.label}: probing the pages")
        subprocess.run(
            [str(BIN / "python"), str(SCRIPTS / "bench_probe.py"), str(self.plan)],
            cwd=self.checkout,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def counts(self) -> dict[str, int]:
        with psycopg2.connect(self.database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM schools_newsitem")
            news = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM events_registration")
            registrations = cursor.fetchone()[0]
        connection.close()
        return {"news": news, "registrations": registrations}

    def server_sql(self, sql: str) -> None:
        admin = psycopg2.connect(self.args.database_url)
        admin.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()

    def drop(self) -> None:
        self.server_sql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def with_redis_db(url: str, offset: int) -> str:
    """The Redis URL with its database number moved up by ``offset`` (one per server)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{database}"))


class Server:
    """gunicorn serving one checkout with ``workers`` sync processes; ``settings`` are extra
    environment variables (a checkout ignores those it does not know)."""

    def __init__(self, target: Target, workers: int, settings: dict | None = None, slot: int = 0):
        self.target, self.workers = target, workers
        port = target.args.port + slot
        redis_url = with_redis_db(target.args.redis_url, slot)
        env = {**target.env, **(settings or {}), "CACHE_URL": redis_url}
        self.url = f"http://127.0.0.1:{port}"
        redis.Redis.from_url(redis_url).flushdb()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=target.checkout,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(target.work / "gunicorn.log", "a"),  # noqa: SIM115
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/robots.txt", timeout=2):
                    break
            except OSError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn did not start; see {target.work}/gunicorn.log"
                    ) from error
                time.sleep(0.3)

    def warm_up(self, paths: list[str]) -> None:
        """Every page once per worker, side by side: a fresh process's first request
        compiles templates and fills the caches, which is not what the rounds measure."""

        def get(path: str) -> None:
            try:
                with urllib.request.urlopen(self.url + path, timeout=60) as response:
                    response.read()
            except OSError:
                pass  # a page that fails shows in the rounds

        with ThreadPoolExecutor(self.workers) as pool:
            for path in paths:
                list(pool.map(get, [path] * self.workers))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def number(text: str) -> float:
    """A figure from locust's CSV; "N/A" (no request finished) is 0."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def run_locust(server: Server, seconds: float, users: int, name: str, *, only_page=None):
    """Run the load; returns (stats per request name, counts of accepted posts)."""
    work = server.target.work
    prefix = work / name.replace(" ", "_").replace("/", "_")
    counts = prefix.with_suffix(".counts.json")
    env = {
        **os.environ,
        "BENCH_PLAN": str(server.target.plan),
        "BENCH_COUNTS": str(counts),
        "BENCH_ADMIN_USER": ADMIN_USER,
        "BENCH_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(SCRIPTS / "bench_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{max(1, round(seconds))}s",
        "--host",
        server.url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "ERROR",
    ]
    if only_page:
        env["BENCH_ONLY_PAGE"] = only_page
        command.append("Visitor")
    done = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust failed:\n{done.stderr[-3000:]}")
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": number(row["Requests/s"]),
                "p50": number(row["50%"]),
                "p99": number(row["99%"]),
            }
    accepted = json.loads(counts.read_text()) if counts.exists() else {}
    # An exception in the load script (a page it could not read) is an error too.
    with open(f"{prefix}_exceptions.csv", newline="") as handle:
        exceptions = sum(int(row["Count"]) for row in csv.DictReader(handle))
    if "Aggregated" in stats:
        stats["Aggregated"]["failures"] += exceptions
    return stats, accepted


def mixed_phase(target: Target, workers: int, args) -> dict:
    log(f"{target.label}: mixed load, {workers} app process(es), {args.duration} s")
    before = target.counts()
    server = Server(target, workers)
    try:
        stats, accepted = run_locust(server, args.duration, args.users, f"mixed-{workers}")
    finally:
        server.stop()
    after = target.counts()
    stored_news = after["news"] - before["news"]
    stored_signups = after["registrations"] - before["registrations"]
    lost = max(0, accepted.get("news accepted", 0) - stored_news) + max(
        0, accepted.get("signups accepted", 0) - stored_signups
    )
    total = stats.get("Aggregated", {"rps": 0, "failures": 0, "requests": 0})
    return {
        "stats": stats,
        "accepted": accepted,
        "stored": {"news": stored_news, "signups": stored_signups},
        "lost": lost,
        "errors": total["failures"],
        "rps": total["rps"],
    }


def page_phases(targets: list[Target], workers: int, args) -> dict:
    """Each page type alone, on every server in turn, for ``args.rounds`` rounds.

    The servers run side by side and take turns page by page, so a busy moment of the
    machine hits them alike; the best round of each counts. Each is first asked for every
    page once per worker, so that no round measures a fresh process. This checkout:
    "cached" (its defaults: full-page and fragment cache), "uncached" (no full-page cache;
    the fragment cache on, as production serves a page it cannot keep whole), "raw"
    (neither: every request renders everything, only the site data comes from the cache);
    the baseline without a full-page cache (an earlier commit ignores the settings it does
    not know).
    """
    log(f"each page type alone, {args.page_seconds} s per server, {args.rounds} rounds")
    no_page_cache = {"PAGE_CACHE_SECONDS": "0"}
    variants = [
        ("current", "cached", {}),
        ("current", "uncached", no_page_cache),
        ("current", "raw", {**no_page_cache, "FRAGMENT_CACHE_SECONDS": "0"}),
    ]
    if len(targets) > 1:
        variants.append(("baseline", "uncached", no_page_cache))
    by_label = {target.label: target for target in targets}
    servers = {}
    try:
        for slot, (label, kind, settings) in enumerate(variants):
            servers[label, kind] = Server(by_label[label], workers, settings, slot)
        results = {key: {} for key in servers}
        plan = json.loads(targets[0].plan.read_text())
        paths = [page["path"] for page in plan["pages"].values() if page["status"] == 200]
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(lambda server: server.warm_up(paths), servers.values()))
        for round_number in range(args.rounds):
            for name, page in plan["pages"].items():
                if page["status"] != 200:
                    continue
                for (label, kind), server in servers.items():
                    stats, _ = run_locust(
                        server,
                        args.page_seconds,
                        args.page_users,
                        f"page-{kind}-{round_number}-{name}",
                        only_page=name,
                    )
                    found = stats.get(name, {"rps": 0, "p50": 0, "p99": 0, "failures": 0})
                    best = results[label, kind].get(name)
                    if best is None or found["rps"] > best["rps"]:
                        results[label, kind][name] = found
    finally:
        for server in servers.values():
            server.stop()
    return results


def ratio(new: float, old: float) -> str:
    return f"{new / old:5.1f}x" if old else "   - "


def print_report(results: dict, args) -> None:
    current = results["current"]
    baseline = results.get("baseline")
    plan = current["plan"]["pages"]
    print()
    print(
        f"Per page type, each alone ({args.page_users} users, {args.page_seconds} s, best of "
        f"{args.rounds} round(s), {args.workers} app processes, PostgreSQL + Redis):"
    )
    # Blocks of columns under a title: (title, [(heading, width)]); a negative width
    # aligns left.
    layout = [
        ("", [("page", -15)]),
        ("cached", [("req/s", 6), ("p50", 5), ("p99", 5)]),
        ("uncached", [("req/s", 8), ("p50", 5), ("p99", 5)]),
        ("raw", [("req/s", 6), ("p50", 5)]),
        ("this checkout", [("q warm", 6), ("q cold", 6), ("KB", 5)]),
    ]
    if baseline:
        layout += [
            (
                f"baseline {args.baseline[:12]}",
                [("req/s", 6), ("p50", 5), ("q warm", 6), ("q cold", 6), ("KB", 5)],
            ),
            ("req/s ÷ baseline", [("cached", 6), ("uncached", 8), ("raw", 6)]),
        ]

    def line(texts: list[str]) -> str:
        texts = iter(texts)
        return " | ".join(
            " ".join(
                f"{next(texts):<{-width}}" if width < 0 else f"{next(texts):>{width}}"
                for _, width in columns
            )
            for _, columns in layout
        )

    def titles() -> str:
        return " | ".join(
            f"{title:^{sum(abs(width) for _, width in columns) + len(columns) - 1}}"
            for title, columns in layout
        )

    def figures(stats: dict | None, *keys: str) -> list[str]:
        return [f"{stats[key]:.0f}" if stats else "-" for key in keys]

    def probed(page: dict | None) -> list[str]:
        if not page:
            return ["-", "-", "-"]
        return [str(page["queries_warm"]), str(page["queries_cold"]), f"{page['bytes'] / 1000:.1f}"]

    headings = line([heading for _, columns in layout for heading, _ in columns])
    print(titles())
    print(headings)
    print("-" * len(headings))
    for name, page in plan.items():
        cached = current["pages_cached"].get(name)
        uncached = current["pages_uncached"].get(name)
        raw = current["pages_raw"].get(name)
        if not (cached or uncached or raw):
            continue
        row = [
            name,
            *figures(cached, "rps", "p50", "p99"),
            *figures(uncached, "rps", "p50", "p99"),
            *figures(raw, "rps", "p50"),
            *probed(page),
        ]
        if baseline:
            old = baseline["pages_uncached"].get(name)
            row += [
                *figures(old, "rps", "p50"),
                *probed(baseline["plan"]["pages"].get(name)),
                *(
                    ratio(new["rps"], old["rps"]) if new and old else "-"
                    for new in (cached, uncached, raw)
                ),
            ]
        print(line(row))
    legend = [
        "Latencies in ms. Servers: this checkout (DEBUG off, caches in Redis) unless named.",
        "  cached    the production defaults (PAGE_CACHE_SECONDS=300, FRAGMENT_CACHE_SECONDS=300):",
        "            whole pages from the full-page cache; a page it never keeps (a form)",
        "            renders as in 'uncached'",
        "  uncached  PAGE_CACHE_SECONDS=0: every request renders the page, but the parts that",
        "            are the same for every visitor (header, footer, page bodies) come from the",
        "            fragment cache: as production serves a page it cannot keep whole",
        "  raw       PAGE_CACHE_SECONDS=0 and FRAGMENT_CACHE_SECONDS=0: every request renders",
        "            everything; only the site data kept per content version is cached",
        "  q warm    SQL queries of one raw request in the steady state (the same request a",
        "            second time, the site data in the cache)",
        "  q cold    SQL queries of one raw request right after the cache is cleared (the site",
        "            data read again, as after a write); with the page or fragment cache on, the",
        "            first request after a write also looks up the next scheduled change",
        "  KB        the page's HTML",
    ]
    if baseline:
        legend += [
            f"  baseline  {args.baseline} with PAGE_CACHE_SECONDS=0, as 'uncached' (a setting",
            "            it does not know is ignored); its queries and KB probed the same way",
            "  req/s ÷ baseline  cached, uncached and raw req/s divided by the baseline's",
        ]
    print("\n".join(legend))
    robots = current["pages_cached"].get("robots.txt", {}).get("rps")
    if robots:
        print(
            f"Cached pages as a share of robots.txt's req/s ({robots:.0f}): "
            + ", ".join(
                f"{name} {stats['rps'] / robots:.0%}"
                for name, stats in current["pages_cached"].items()
                if name != "robots.txt"
            )
        )

    print()
    print(
        f"Mixed load ({args.users} users, {args.duration} s): browsing, search, news "
        "submissions, sign-ups, a coordinator saving"
    )
    for label, result in results.items():
        for workers, mixed in sorted(result["mixed"].items()):
            print(
                f"  {label:<9} {workers} process(es): {mixed['rps']:7.0f} req/s, "
                f"errors {mixed['errors']}, accepted {mixed['accepted']}, "
                f"stored {mixed['stored']}, lost writes {mixed['lost']}"
            )
    mixed = current["mixed"]
    if 1 in mixed and args.workers in mixed and mixed[1]["rps"]:
        factor = mixed[args.workers]["rps"] / mixed[1]["rps"]
        print(
            f"Scale-out factor, 1 -> {args.workers} app processes: {factor:.2f}x "
            f"(on {os.cpu_count()} CPU cores, load tool included)"
        )
    print()
    errors = sum(m["errors"] for m in current["mixed"].values())
    lost = sum(m["lost"] for m in current["mixed"].values())
    print(f"Errors: {errors} (must be 0). Lost writes: {lost} (must be 0).")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=os.environ.get("BASELINE") or None)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", 20)))
    parser.add_argument(
        "--page-seconds", type=float, default=float(os.environ.get("PAGE_SECONDS", 5))
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 2)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("USERS", 24)))
    parser.add_argument("--page-users", type=int, default=int(os.environ.get("PAGE_USERS", 8)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", 2)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8765)))
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server (and a database on it to connect to); bench databases "
        "are created next to it",
    )
    parser.add_argument("--database-prefix", default=os.environ.get("BENCH_DATABASE", "bench"))
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    targets = [Target("current", ROOT, args, work)]
    baseline_checkout = None
    if args.baseline:
        baseline_checkout = work / "baseline-checkout"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline_checkout), args.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        targets.append(Target("baseline", baseline_checkout, args, work))
    results = {}
    try:
        for target in targets:
            target.prepare()
            results[target.label] = {"plan": json.loads(target.plan.read_text()), "mixed": {}}
        for target in targets:
            results[target.label]["mixed"][args.workers] = mixed_phase(target, args.workers, args)
        pages = page_phases(targets, args.workers, args)
        for (label, kind), figures in pages.items():
            results[label][f"pages_{kind}"] = figures
        if args.workers != 1:
            results["current"]["mixed"][1] = mixed_phase(targets[0], 1, args)
        print_report(results, args)
        (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
        log(f"raw figures in {work}/results.json")
    finally:
        if not args.keep:
            for target in targets:
                target.drop()
        if baseline_checkout is not None:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(baseline_checkout)],
                cwd=ROOT,
                check=False,
                capture_output=True,
            )
        if not args.keep:
            shutil.rmtree(work / "current" / "media", ignore_errors=True)
    current = results.get("current", {}).get("mixed", {})
    failed = any(m["errors"] or m["lost"] for m in current.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
