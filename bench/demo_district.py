"""How long `tandem demo --no-serve` takes to build the demo district, on SQLite and PostgreSQL.

    python bench/demo_district.py [--households 3000] [--postgres-households 500000]

SQLite runs in a fresh temporary folder. PostgreSQL runs in a database created for the run
on the server of TANDEM_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
and dropped afterwards; --postgres-households 0 skips it. Prints a summary, then one JSON
line: {"households_sqlite": …, "seconds_sqlite": …, "households_postgres": …,
"seconds_postgres": …} (seconds of the build itself, as the command reports them).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DATABASE = "tandem_bench_demo"
BUILT = re.compile(r"Built ([\d,]+) households.* in ([\d.]+) s\.")


def build(households: int, extra_env: dict[str, str]) -> tuple[float, float]:
    """Run the command in a fresh environment; returns (build seconds, total seconds)."""
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "TANDEM_VAR_DIR": var_dir, **extra_env}
        started = time.perf_counter()
        command = ["-m", "tandem.cli", "demo", "--no-serve", "--households", str(households)]
        result = subprocess.run(
            [sys.executable, *command],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        total = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"tandem demo failed:\n{result.stdout}\n{result.stderr}")
    match = BUILT.search(result.stdout)
    if match is None:
        sys.exit(f"tandem demo did not report a build:\n{result.stdout}")
    return float(match.group(2)), total


def on_postgres(households: int, server_url: str) -> tuple[float, float]:
    parts = urlsplit(server_url)
    database_url = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    try:
        return build(households, {"DATABASE_URL": database_url})
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--postgres-households", type=int, default=500_000)
    args = parser.parse_args()
    server_url = os.environ.get(
        "TANDEM_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"
    )

    sqlite_build, sqlite_total = build(args.households, {"DATABASE_URL": ""})
    print(
        f"SQLite: {args.households:,} households built in {sqlite_build:.1f} s "
        f"({sqlite_total:.1f} s with migrations and start-up)"
    )
    postgres_build = None
    if args.postgres_households:
        postgres_build, postgres_total = on_postgres(args.postgres_households, server_url)
        print(
            f"PostgreSQL: {args.postgres_households:,} households built in "
            f"{postgres_build:.1f} s ({postgres_total:.1f} s with migrations and start-up)"
        )
    print(
        json.dumps(
            {
                "households_sqlite": args.households,
                "seconds_sqlite": round(sqlite_build, 2),
                "households_postgres": args.postgres_households or None,
                "seconds_postgres": round(postgres_build, 2) if postgres_build else None,
            }
        )
    )


if __name__ == "__main__":
    main()
