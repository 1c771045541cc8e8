"""Benchmark: the n8n delta ETL, a full first run for all campaigns, then runs after 1% of the source
rows changed. Prints both times and their ratio (targets: full <= 60 s, delta <= 10% of full).

Runs in an isolated world (promptsales_testkit.etl_world: fresh databases, n8n credentials pointed at
them, restored afterwards), so the stack's own data is untouched. Needs the local stack with n8n running.

  promptsales bench etl_runs [--campaigns 1000 --clients 500000] [--repeats 3] [--statements 5]   # the real generators
  promptsales bench etl_runs --synthetic [--campaigns 1000] [--clients-per-campaign 400]

Sources: by default the real generators (promptsales.generators.ads / .crm, the data `promptsales seed`
loads) into the real stand-in schemas; --synthetic uses the contract-only sample the ETL tests use.

Two kinds of 1% change are measured, because the ETL re-derives the summaries of every campaign a
change touches:
  clustered - 1% of the result rows and of the sales, all in the newest campaigns (new days of results
              and new sales arriving for the campaigns that are running);
  spread    - 1% of the result rows and of the sales drawn uniformly, touching most campaigns (worst case).
Each line also says how many summary and breakdown rows the run wrote or deleted, and their share of the
full run's: a delta run cannot skip those writes, whatever it reads.
The full run and each delta kind run --repeats times (the full run from empty summaries and zero
watermarks each time, the deltas with new changes each time); medians are reported.

Each run is timed twice: the wall time of `promptsales etl run` (the webhook call, n8n's own start and
bookkeeping included, ~0.1 s that a scheduled run does not spend on the webhook), and the run's own
duration in etl.run_log (open to close: what every 11-minute run costs the databases and n8n's nodes).
Under each line, where those runs' time went (medians): the seconds their SQL took in each database
(pg_stat_statements' top-level statements, the difference around each run; the local stack's role may read
them) and the rest of the run log's duration, which is n8n (its nodes, their expressions, the items);
with --statements N, the slowest N statements of the last run of each kind, with their database.
Before the full run, one run over the still empty sources warms n8n up (a freshly restarted n8n runs its
first workflow slower), so the full run is not inflated by start-up.
The last line gives the no-change run as a share of the full run: n8n's fixed cost per run, the floor of
every ratio above.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from pathlib import Path

from promptsales.etl import runner, workflow
from promptsales.settings import get_settings
from promptsales_testkit import etl_sample
from promptsales_testkit.etl_world import as_before_the_first_run, isolated_etl

DATABASES = ("central", "PromptAds", "PromptCrm")


def _timed_run(world) -> tuple[float, float, dict]:
    started = time.perf_counter()
    entry = runner.run_once(world.n8n, world.central)
    wall = time.perf_counter() - started
    if entry["status"] != "succeeded":
        raise SystemExit(f"run {entry['run_id']} did not succeed: {entry}")
    return wall, (entry["ended_at"] - entry["started_at"]).total_seconds(), entry


def _statement_seconds(world) -> dict[tuple[str, int], tuple[float, str]]:
    """Seconds spent so far in each top-level statement of the world's databases, by database and query id,
    with its text. pg_stat_statements is cumulative: a run's share is the difference around it; nested
    statements (the audit trigger's inserts) are inside their top-level statement's time."""
    where = dict(
        zip(
            (
                world.settings.postgres.database,
                world.settings.postgres.ads_standin_database,
                world.settings.postgres.crm_standin_database,
            ),
            DATABASES,
        )
    )
    rows = world.central.execute(
        "SELECT d.datname, s.queryid, s.total_exec_time / 1000, s.query FROM pg_stat_statements s "
        "JOIN pg_database d ON d.oid = s.dbid WHERE s.toplevel AND d.datname = ANY(%s) "
        "AND s.query NOT LIKE '%%pg_stat_statements%%'",  # not this very query, run between two runs
        (list(where),),
    ).fetchall()
    return {(where[name], queryid): (float(seconds), query) for name, queryid, seconds, query in rows}


def _sql_run(world) -> tuple[float, float, dict, list[tuple[float, str, str]]]:
    """A timed run, with the statements it ran: (seconds, database, text), the slowest first."""
    before = _statement_seconds(world)
    wall, log, entry = _timed_run(world)
    spent = []
    for key, (seconds, query) in _statement_seconds(world).items():
        seconds -= before.get(key, (0.0, ""))[0]
        if seconds > 0:
            spent.append((seconds, key[0], query))
    return wall, log, entry, sorted(spent, reverse=True)


def _shape(query: str) -> str:
    """A query with its string literals and parameters as `$?` and its whitespace collapsed: pg_stat_statements
    shows literals as $n, so a step's query and what pg_stat_statements recorded of it have the same shape."""
    return " ".join(re.sub(r"\$\d+", "$?", re.sub(r"'[^']*'", "$?", query)).split())


def _step_queries() -> dict[str, str]:
    """The workflow's Postgres steps (central and stand-in), by the shape of their query."""
    document = json.loads(workflow.WORKFLOW_PATH.read_text())
    return {
        _shape(node["parameters"]["query"]): node["name"]
        for node in document["nodes"]
        if node["type"] == "n8n-nodes-base.postgres"
    }


def _step_of(text: str, steps: dict[str, str]) -> str:
    """The workflow step whose query `text` is: the one whose shape shares the longest beginning with it (at
    least 30 characters; numbers pg_stat_statements made $n end the match early); else the text itself."""
    shape = _shape(text)
    best = max(steps, key=lambda query: len(os.path.commonprefix([query, shape])))
    return steps[best] if len(os.path.commonprefix([best, shape])) >= 30 else shape[:100]


def _sql_lines(log: float, runs: list[list[tuple[float, str, str]]], statements: int) -> str:
    """Where the runs' time went (medians): SQL per database, the rest (n8n's nodes and bookkeeping), and the
    slowest statements of the last run."""
    medians = {
        db: statistics.median(sum(s for s, where, _ in run if where == db) for run in runs)
        for db in DATABASES
    }
    rest = log - sum(medians.values())
    lines = [
        "                       SQL: "
        + ", ".join(f"{db} {s:.3f} s" for db, s in medians.items())
        + f"; the rest (n8n) {rest:.3f} s of the run log's {log:.3f} s"
    ]
    steps = _step_queries() if statements else {}
    lines += [
        f"                         {seconds:.3f} s  {db:9s}  {_step_of(text, steps)}"
        for seconds, db, text in runs[-1][:statements]
    ]
    return "\n".join(lines)


def _postgres_memory(world) -> str:
    """The memory of the PostgreSQL work behind the runs so far: the peak resident size (VmHWM, Linux /proc)
    of the backends that served n8n's connections to the three databases (shared buffers they touched
    included), and what those databases spilled to temporary files."""
    databases = [
        world.settings.postgres.database,
        world.settings.postgres.ads_standin_database,
        world.settings.postgres.crm_standin_database,
    ]
    pids = [
        pid
        for (pid,) in world.central.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = ANY (%s) AND backend_type = 'client backend' "
            "AND pid <> pg_backend_pid() AND application_name NOT LIKE 'psql%%'",
            (databases,),
        ).fetchall()
    ]
    peaks = []
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            status = dict(line.split(":", 1) for line in lines if ":" in line)
        except OSError:  # a backend that ended meanwhile
            continue
        peaks.append(int(status["VmHWM"].split()[0]) / 1024)
    spilled = (
        world.central.execute(
            "SELECT coalesce(sum(temp_bytes), 0) FROM pg_stat_database WHERE datname = ANY (%s)", (databases,)
        ).fetchone()[0]
        / 2**20
    )
    return (
        f"PostgreSQL memory: peak resident size of a backend serving the ETL {max(peaks, default=0):.0f} MB "
        f"(the largest of {len(peaks)}, shared buffers they touched included); {spilled:.0f} MB spilled to "
        f"temporary files in all runs so far"
    )


def _rows_written(entry: dict) -> int:
    """Summary and breakdown rows the run wrote or deleted (what a delta cannot skip, whatever it reads)."""
    return sum(count for key, count in entry["rows_changed"].items() if key.startswith("campaign_"))


def _change(world, fraction: float, clustered: bool, round_no: int) -> int:
    """Change `fraction` of the ad results and of the sales; return how many result rows changed."""
    total = world.ads.execute("SELECT count(*) FROM ads.adresults").fetchone()[0]
    k = max(1, int(total * fraction))
    if clustered:
        picked = (
            "SELECT r.ctid FROM ads.adresults r JOIN ads.ads a ON a.adid = r.adid "
            "ORDER BY a.campaignid DESC, r.resultdate DESC LIMIT %s"
        )
        params: tuple = (k,)
    else:
        picked = "SELECT ctid FROM ads.adresults ORDER BY md5(ctid::text || %s) LIMIT %s"
        params = (str(round_no), k)
    world.ads.execute(
        f"UPDATE ads.adresults SET views = views + 1, revenue = revenue + 1 WHERE ctid IN ({picked})", params
    )
    crm_total = world.crm.execute("SELECT count(*) FROM crm.sales").fetchone()[0]
    order = "campaignid DESC, saleid DESC" if clustered else "md5(saleid::text || %s)"
    order_params: tuple = () if clustered else (str(round_no),)
    world.crm.execute(
        f"UPDATE crm.sales SET amount = amount + 1 WHERE saleid IN ("
        f"SELECT saleid FROM crm.sales ORDER BY {order} LIMIT %s)",
        (*order_params, max(1, crm_total // 100)),
    )
    return k


def _load(world, args) -> str:
    if args.synthetic:
        size = etl_sample.SampleSize(
            campaigns=args.campaigns,
            ads_per_campaign=4,
            days=30,
            clients_per_campaign=args.clients_per_campaign,
            leads_per_campaign=40,
            images=120,
        )
        etl_sample.load_sources(world.ads, world.crm, size, seed=args.seed)
        label = "synthetic sample"
    else:
        from promptsales.generators import ads as ads_generator
        from promptsales.generators import crm as crm_generator
        from promptsales.generators.options import SeedOptions

        options = SeedOptions(campaigns=args.campaigns, clients=args.clients, seed=args.seed)
        ads_generator.load(world.settings, options)
        crm_generator.load(world.settings, options)
        label = "real generators"
    for conn in (world.ads, world.crm):
        conn.execute("ANALYZE")
    etl_sample.load_images(world.mongo_db, etl_sample.SampleSize(campaigns=args.campaigns, images=120))
    return label


def main() -> None:
    parser = argparse.ArgumentParser(prog="promptsales bench etl_runs", description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=500_000, help="CRM clients (real generators)")
    parser.add_argument("--synthetic", action="store_true", help="the contract-only sample the tests use")
    parser.add_argument("--clients-per-campaign", type=int, default=400, help="with --synthetic")
    parser.add_argument("--repeats", type=int, default=3, help="runs per kind of 1%% change (median shown)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--statements",
        type=int,
        default=0,
        help="also list the slowest N SQL statements of the last run of each kind",
    )
    args = parser.parse_args()
    if min(args.campaigns, args.clients, args.clients_per_campaign, args.repeats) < 1:
        parser.error("--campaigns, --clients, --clients-per-campaign and --repeats must be at least 1")
    if args.statements < 0:
        parser.error("--statements must be 0 or more")
    with isolated_etl(get_settings(), real_schemas=not args.synthetic) as world:
        _timed_run(world)  # warm-up over empty sources: moves nothing
        started = time.perf_counter()
        label = _load(world, args)
        results = world.ads.execute("SELECT count(*) FROM ads.adresults").fetchone()[0]
        links = world.crm.execute("SELECT count(*) FROM crm.clientcampaigns").fetchone()[0]
        sales = world.crm.execute("SELECT count(*) FROM crm.sales").fetchone()[0]
        print(
            f"sources ({label}): {args.campaigns} campaigns, {results} ad results, {links} client links, "
            f"{sales} sales (loaded in {time.perf_counter() - started:.1f} s)"
        )
        print("                       wall (etl run)   run log (open->close)")
        walls, logs, sql = [], [], []
        for attempt in range(args.repeats):
            if attempt:
                as_before_the_first_run(world)
            wall, log, entry, seconds = _sql_run(world)
            walls.append(wall)
            logs.append(log)
            sql.append(seconds)
        full_wall, full_log = statistics.median(walls), statistics.median(logs)
        full_rows = _rows_written(entry)
        print(
            f"full run:              {full_wall:6.2f} s          {full_log:6.2f} s   "
            f"({entry['rows_changed'].get('campaign_summary')} campaign summaries, {full_rows} summary and "
            f"breakdown rows written; median of {args.repeats} first runs, each from empty summaries and zero "
            f"watermarks)"
        )
        print(_sql_lines(full_log, sql, args.statements))
        print(f"                       {_postgres_memory(world)}")
        wall, log, entry, seconds = _sql_run(world)
        floor = log
        print(
            f"no-change run:         {wall:6.2f} s          {log:6.2f} s   "
            f"({entry['rows_changed'].get('campaign_summary')} written)"
        )
        print(_sql_lines(log, [seconds], args.statements))
        verdicts = []
        for kind, clustered in (("clustered", True), ("spread", False)):
            walls, logs, touched, written, sql = [], [], [], [], []
            for round_no in range(args.repeats):
                k = _change(world, 0.01, clustered, round_no)
                wall, log, entry, seconds = _sql_run(world)
                walls.append(wall)
                logs.append(log)
                sql.append(seconds)
                touched.append(entry["rows_changed"].get("touched_campaigns", 0))
                written.append(_rows_written(entry))
            wall, log = statistics.median(walls), statistics.median(logs)
            rows = statistics.median(written)
            print(
                f"1% {kind:9s} run:    {wall:6.2f} s ({wall / full_wall:5.1%})  {log:6.2f} s ({log / full_log:5.1%})  "
                f"({k} result rows + 1% of sales changed; {statistics.median(touched):.0f} of "
                f"{args.campaigns} campaigns re-derived, {rows:.0f} summary and breakdown rows rewritten "
                f"({rows / full_rows:.0%} of the full run's); median of {args.repeats})"
            )
            print(_sql_lines(log, sql, args.statements))
            verdicts.append(
                f"{kind} {'met' if log <= 0.1 * full_log else 'NOT met'} (run log), "
                f"{'met' if wall <= 0.1 * full_wall else 'NOT met'} (wall)"
            )
        print(
            f"targets: full <= 60 s: {'met' if full_wall <= 60 else 'NOT met'}; "
            f"delta <= 10% of full: {'; '.join(verdicts)}"
        )
    # The ratio's floor: at a small scale, n8n's own cost per run decides the clustered verdict.
    print(
        f"floor: the no-change run is {floor / full_log:.1%} of a full run (run log): n8n's fixed cost per run, "
        f"below which no delta run goes"
    )


if __name__ == "__main__":
    main()
