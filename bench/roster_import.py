"""Benchmark: import a 100,000-user OneRoster roster into a fresh organization.

Generates a deterministic OneRoster 1.2 CSV folder (students, guardians linked to them
through agentSourcedIds from either side, some staff) in a temporary directory, then
imports it on SQLite and on PostgreSQL (TANDEM_BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/test; a `tandem_bench` database is created for the
run and dropped after). Each import runs in its own process on a freshly migrated
database and is timed from reading the files to the committed import, as
`tandem import-roster` does it. Prints a summary, then one JSON line.

    .venv/bin/python bench/roster_import.py [--users 100000]
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "tandem_bench"
TARGET_SECONDS = 60
LANGUAGES = {"en": 50, "es": 25, "vi": 5, "zh": 5, "ar": 4, "ht": 4, "so": 4, "tl": 3}
AREA_CODES = ["312", "773", "872", "708", "630", "847", "224"]
GIVEN_NAMES = ["María", "José", "Thi", "Minh", "Amina", "Ayaan", "Jo", "Sam", "Lucía", "Mateo"]
FAMILY_NAMES = ["García", "Nguyen", "Hassan", "Smith", "Chen", "Pierre", "Reyes", "Ali", "Tran"]
GRADES = {
    "Elementary": ["KG", "01", "02", "03", "04", "05"],
    "Middle": ["06", "07", "08"],
    "High": ["09", "10", "11", "12"],
}
HEADERS = {
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "users.csv": "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,"
    "email,sms,phone,agentSourcedIds,grades,preferredLanguages",
    "roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,"
    "endDate,orgSourcedId",
    "demographics.csv": "sourcedId,status,dateLastModified,birthDate,sex,"
    "hispanicOrLatinoEthnicity,white",
}


class RosterWriter:
    """Builds the rows of a synthetic district, deterministically from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        kinds = ["Elementary"] * 25 + ["Middle"] * 10 + ["High"] * 5
        self.schools = [(f"s{n:02d}", f"School {n} {kind}", kind) for n, kind in enumerate(kinds)]
        self.rows: dict[str, list[dict]] = {name: [] for name in HEADERS}
        self.counts = {"students": 0, "guardians": 0, "staff": 0}

    def person(self, sourced_id: str, family_name: str = "", **values) -> dict:
        row = {
            "sourcedId": sourced_id,
            "enabledUser": "true",
            "givenName": self.rng.choice(GIVEN_NAMES),
            "familyName": family_name or self.rng.choice(FAMILY_NAMES),
            **values,
        }
        self.rows["users.csv"].append(row)
        return row

    def role(self, user_id: str, role: str, org_id: str) -> None:
        self.rows["roles.csv"].append(
            {
                "sourcedId": f"r{user_id}",
                "userSourcedId": user_id,
                "roleType": "primary",
                "role": role,
                "orgSourcedId": org_id,
            }
        )

    def staff(self, count: int) -> None:
        for number in range(count):
            school_id = self.schools[number % len(self.schools)][0]
            if number < len(self.schools):
                role = "principal"
            else:
                role = self.rng.choice(["teacher"] * 8 + ["counselor", "aide"])
            user_id = f"t{number:06d}"
            self.person(user_id, email=f"staff{number}@bench.test")
            self.role(user_id, role, school_id)
        self.counts["staff"] += count

    def family(self, number: int) -> None:
        """One to three children and one or two guardians, linked from one side or the
        other, as OneRoster allows."""
        rng = self.rng
        family_name = rng.choice(FAMILY_NAMES)
        guardians = [f"g{number:06d}{n}" for n in range(rng.choices([1, 2], [45, 55])[0])]
        children = [f"s{number:06d}{n}" for n in range(rng.choices([1, 2, 3], [50, 35, 15])[0])]
        listed_by_guardians = rng.random() < 0.5
        for child in children:
            school_id, _name, kind = rng.choice(self.schools)
            agents = "" if listed_by_guardians else ",".join(guardians)
            self.person(child, family_name, grades=rng.choice(GRADES[kind]), agentSourcedIds=agents)
            self.role(child, "student", school_id)
        for guardian in guardians:
            phone = f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            row = self.person(
                guardian,
                family_name,
                preferredLanguages=rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0],
                agentSourcedIds=",".join(children) if listed_by_guardians else "",
            )
            row["sms" if rng.random() < 0.7 else "phone"] = phone
            if rng.random() < 0.6:
                row["email"] = f"{guardian}@example.com"
            role = rng.choice(["parent"] * 8 + ["guardian", "relativeCaregiver"])
            self.role(guardian, role, "d1")
            if rng.random() < 0.3:
                self.rows["demographics.csv"].append(
                    {
                        "sourcedId": guardian,
                        "sex": rng.choice(["female", "male", "unspecified"]),
                        "hispanicOrLatinoEthnicity": rng.choice(["true", "false"]),
                        "white": rng.choice(["true", "false"]),
                    }
                )
        self.counts["students"] += len(children)
        self.counts["guardians"] += len(guardians)

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.rows["orgs.csv"] = [{"sourcedId": "d1", "name": "Bench Unified", "type": "district"}]
        self.rows["orgs.csv"] += [
            {"sourcedId": sid, "name": name, "type": "school", "parentSourcedId": "d1"}
            for sid, name, _kind in self.schools
        ]
        manifest = [("manifest.version", "1.0"), ("oneroster.version", "1.2")] + [
            (f"file.{name.removesuffix('.csv')}", "bulk") for name in HEADERS
        ]
        with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows([("propertyName", "value"), *manifest])
        for name, header in HEADERS.items():
            with (folder / name).open("w", newline="", encoding="utf-8") as stream:
                writer = csv.DictWriter(stream, fieldnames=header.split(","))
                writer.writeheader()
                writer.writerows(self.rows[name])


def generate(folder: Path, users: int, seed: int = 2024) -> dict[str, int]:
    """Write a OneRoster folder of about `users` users, 2% of them staff."""
    roster = RosterWriter(seed)
    roster.staff(users // 50)
    family = 0
    while len(roster.rows["users.csv"]) < users:
        family += 1
        roster.family(family)
    roster.write(folder)
    return {**roster.counts, "users": len(roster.rows["users.csv"])}


def run_child(folder: Path) -> None:
    """In a fresh process, on the database the environment names: migrate, import, time."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    from django.core.management import call_command

    from tandem.directory.services import create_organization
    from tandem.rosters.services import import_roster_from_path

    call_command("migrate", verbosity=0)
    organization = create_organization(name="Bench Unified", kind="district")
    started = time.perf_counter()
    roster_import, roster = import_roster_from_path(organization=organization, path=folder)
    seconds = time.perf_counter() - started
    report = {
        "seconds": round(seconds, 2),
        "status": roster_import.status,
        "problems": len(roster.problems.items),
        "result": roster_import.result,
    }
    print(json.dumps(report))


def import_in_child(folder: Path, env: dict[str, str]) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", str(folder)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr.strip() or "the import process failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def recreate_database(url: str, name: str, *, create: bool) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def database_url(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def describe(run: dict) -> str:
    result = run["result"]
    if not result:
        return f"{run['status']}, {run['problems']} problems"
    created = ", ".join(
        f"{result[kind]['created']:,} {kind}"
        for kind in ["households", "caregivers", "students", "staff"]
    )
    return (
        f"{run['status']}: {created}, {result['contacts']['added']:,} contact points, "
        f"{result['accounts']['created']:,} staff accounts"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        run_child(options.child)
        return

    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as temporary:
        root = Path(temporary)
        started = time.perf_counter()
        counts = generate(root / "roster", options.users)
        print(
            f"Generated a OneRoster 1.2 folder in {time.perf_counter() - started:.1f} s: "
            f"{counts['users']:,} users ({counts['students']:,} students, "
            f"{counts['guardians']:,} guardians, {counts['staff']:,} staff)."
        )

        sqlite = import_in_child(
            root / "roster", {"TANDEM_VAR_DIR": str(root / "sqlite"), "DATABASE_URL": ""}
        )
        print(f"SQLite:     {sqlite['seconds']:6.1f} s  {describe(sqlite)}")

        postgres_url = os.environ.get("TANDEM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
        seconds_postgres = None
        try:
            recreate_database(postgres_url, BENCH_DATABASE, create=True)
        except Exception as unreachable:  # still report SQLite when PostgreSQL is not there
            print(f"PostgreSQL: skipped ({unreachable.__class__.__name__}: {unreachable})")
        else:
            try:
                postgres = import_in_child(
                    root / "roster",
                    {
                        "TANDEM_VAR_DIR": str(root / "postgres"),
                        "DATABASE_URL": database_url(postgres_url, BENCH_DATABASE),
                    },
                )
            finally:
                recreate_database(postgres_url, BENCH_DATABASE, create=False)
            seconds_postgres = postgres["seconds"]
            print(f"PostgreSQL: {seconds_postgres:6.1f} s  {describe(postgres)}")

        slowest = max(s for s in [sqlite["seconds"], seconds_postgres] if s is not None)
        verdict = "met" if slowest < TARGET_SECONDS else "NOT met"
        print(f"Target (under {TARGET_SECONDS} s on each database): {verdict}.")
        print(
            json.dumps(
                {
                    "users": counts["users"],
                    "seconds_sqlite": sqlite["seconds"],
                    "seconds_postgres": seconds_postgres,
                }
            )
        )


if __name__ == "__main__":
    main()
