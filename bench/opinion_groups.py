"""Benchmark: Tandem's opinion groups against Pol.is's own groups, beside red-dwarf's.

For each Pol.is conversation export (default ../shared/data/polis from the repository
root), computes the Adjusted Rand Index between the groups found and the `group-id`
Pol.is assigned, on participants both assigned, for Tandem and for red-dwarf 0.4.0 on
the same votes, with the wall time of one clustering call each (after a warm-up call).
Prints a summary table, then one JSON line.

    .venv/bin/python bench/opinion_groups.py [--data DIR]
"""

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from tandem.analysis.opinion import Vote, find_opinion_groups
from tandem.analysis.polis import PolisExport, read_polis_export, read_polis_groups

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "polis"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    try:
        warnings.simplefilter("ignore")  # red-dwarf's pydantic and pandas chatter
        from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        print("red-dwarf is not installed; install the benchmark tools with `make bench-tools`.")
        return 2
    folders = sorted(p for p in args.data.iterdir() if (p / "comments.csv").exists())
    results = {folder.name: compare(folder, run_pipeline) for folder in folders}
    print_table(results)
    scale = at_scale()
    print(
        f"{scale['participants']:,} participants x {scale['statements']:,} statements "
        f"({scale['votes']:,} votes, three camps): {scale['seconds']:.1f} s, "
        f"ARI {scale['ari']:.3f} against the camps"
    )
    print(json.dumps(summary(results) | {"scale": scale}))
    return 0


def at_scale(participants: int = 10_000, statements: int = 2_000, density: float = 0.1) -> dict:
    """The size the issue asks Tandem to handle: synthetic camps, each participant voting
    on a random tenth of the statements, agreeing as their camp does nine times in ten."""
    rng = np.random.default_rng(0)
    camp = rng.integers(0, 3, participants)
    stance = rng.choice([-1, 1], size=(3, statements))
    votes = []
    for participant in range(participants):
        chosen = rng.choice(statements, int(statements * density), replace=False)
        agree = stance[camp[participant], chosen]
        noisy = np.where(rng.random(len(chosen)) < 0.1, -agree, agree)
        votes.extend(
            Vote(str(participant), str(s), int(v), float(t))
            for t, (s, v) in enumerate(zip(chosen, noisy, strict=True))
        )
    start = time.perf_counter()
    groups = find_opinion_groups(votes).groups
    seconds = time.perf_counter() - start
    found = [groups[str(p)] for p in range(participants) if str(p) in groups]
    truth = [camp[p] for p in range(participants) if str(p) in groups]
    return {
        "participants": participants,
        "statements": statements,
        "votes": len(votes),
        "seconds": round(seconds, 1),
        "ari": round(adjusted_rand_score(truth, found), 4),
    }


def compare(folder: Path, run_pipeline: Callable) -> dict:
    export = read_polis_export(folder)
    polis_groups = read_polis_groups(folder)
    tandem, tandem_seconds = timed(lambda: tandem_groups(export))
    reddwarf, reddwarf_seconds = timed(lambda: reddwarf_groups(export, run_pipeline))
    return {
        "participants_grouped_by_polis": len(polis_groups),
        "ari": round(agreement(tandem, polis_groups), 4),
        "groups": len(set(tandem.values())),
        "seconds": round(tandem_seconds, 4),
        "ari_reddwarf": round(agreement(reddwarf, polis_groups), 4),
        "groups_reddwarf": len(set(reddwarf.values())),
        "seconds_reddwarf": round(reddwarf_seconds, 4),
    }


def timed(run: Callable[[], dict]) -> tuple[dict, float]:
    run()  # warm-up: imports, caches and thread pools are not what we compare
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def tandem_groups(export: PolisExport) -> dict[str, int]:
    return find_opinion_groups(export.votes, moderated_out=export.moderated_out).groups


def reddwarf_groups(export: PolisExport, run_pipeline: Callable) -> dict[str, int]:
    result = run_pipeline(
        votes=reddwarf_votes(export.votes),
        mod_out_statement_ids=[int(s) for s in export.moderated_out],
        random_state=0,
    )
    frame = result.participants_df
    clustered = frame[frame["to_cluster"]]
    return {str(p): int(g) for p, g in clustered["cluster_id"].items()}


def reddwarf_votes(votes: list[Vote]) -> list[dict]:
    """Each participant's latest vote per statement: red-dwarf fails on superseded votes."""
    latest = {}
    for order, vote in sorted(enumerate(votes), key=lambda item: (item[1].timestamp, item[0])):
        latest[vote.participant, vote.statement] = (order, vote)
    return [
        {
            "participant_id": int(vote.participant),
            "statement_id": int(vote.statement),
            "vote": vote.vote,
            "modified": vote.timestamp,
        }
        for _, vote in sorted(latest.values(), key=lambda item: item[0])
    ]


def agreement(found: dict[str, int], polis: dict[str, int]) -> float:
    both = sorted(set(found) & set(polis))
    return adjusted_rand_score([polis[p] for p in both], [found[p] for p in both])


def summary(results: dict[str, dict]) -> dict:
    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in results.values()), 4)

    return {
        "conversations": results,
        "median_ari": median("ari"),
        "median_ari_reddwarf": median("ari_reddwarf"),
        "median_seconds": median("seconds"),
        "median_seconds_reddwarf": median("seconds_reddwarf"),
    }


def print_table(results: dict[str, dict]) -> None:
    print(f"{'conversation':32} {'ARI':>7}  k {'secs':>7}   {'red-dwarf ARI':>13}  k {'secs':>7}")
    for name, r in results.items():
        print(
            f"{name:32} {r['ari']:7.3f} {r['groups']:2d} {r['seconds']:7.3f}   "
            f"{r['ari_reddwarf']:13.3f} {r['groups_reddwarf']:2d} {r['seconds_reddwarf']:7.3f}"
        )
    s = summary(results)
    print(
        f"{'median':32} {s['median_ari']:7.3f}    {s['median_seconds']:7.3f}   "
        f"{s['median_ari_reddwarf']:13.3f}    {s['median_seconds_reddwarf']:7.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
