"""Opinion groups (the Pol.is method) on small fixed inputs, and reading Pol.is exports."""

import csv

import pytest
from sklearn.metrics import adjusted_rand_score

from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.opinion import Vote, find_opinion_groups
from tandem.analysis.polis import read_polis_export, read_polis_groups

CAMP_A_AGREES = ["s0", "s1", "s2", "s3", "s4"]
CAMP_B_AGREES = ["s5", "s6", "s7", "s8"]
EVERYONE_AGREES = "s9"
STATEMENTS = [*CAMP_A_AGREES, *CAMP_B_AGREES, EVERYONE_AGREES]


def camp_votes(camp: str, person: str, skip: int) -> list[Vote]:
    """One camp member's votes; each passes on a different statement so points differ."""
    agrees = CAMP_A_AGREES if camp == "a" else CAMP_B_AGREES
    votes = []
    for i, statement in enumerate(STATEMENTS):
        vote = 1 if statement in agrees or statement == EVERYONE_AGREES else -1
        votes.append(Vote(person, statement, 0 if i == skip else vote))
    return votes


def two_camps(size: int = 12) -> list[Vote]:
    votes = []
    for i in range(size):
        votes += camp_votes("a", f"a{i}", skip=i % 9)
        votes += camp_votes("b", f"b{i}", skip=i % 9)
    return votes


def camp_ari(groups: dict[str, int]) -> float:
    people = sorted(groups)
    return adjusted_rand_score([p[0] for p in people], [groups[p] for p in people])


def test_two_clearly_separated_camps_are_recovered_exactly():
    result = find_opinion_groups(two_camps())

    assert len(result.groups) == 24
    assert camp_ari(result.groups) == 1.0
    assert result.excluded == []


def test_the_same_seed_gives_the_same_groups():
    first = find_opinion_groups(two_camps(), seed=3)
    second = find_opinion_groups(two_camps(), seed=3)

    assert first.to_json() == second.to_json()


def test_a_camps_representative_statements_include_what_it_agrees_on():
    result = find_opinion_groups(two_camps())
    group_a = result.groups["a0"]

    agreed = {r["statement"] for r in result.repness[group_a] if r["repful_for"] == "agree"}
    assert agreed & set(CAMP_A_AGREES)
    assert all(r["statement"] != EVERYONE_AGREES for r in result.repness[group_a])


def test_consensus_includes_a_statement_everyone_agrees_with():
    result = find_opinion_groups(two_camps())

    agreed = [c for c in result.consensus if c["direction"] == "agree"]
    assert agreed[0]["statement"] == EVERYONE_AGREES


def test_divisive_statements_are_those_the_camps_split_on():
    result = find_opinion_groups(two_camps())

    assert result.divisive
    assert {d["statement"] for d in result.divisive} <= set(CAMP_A_AGREES + CAMP_B_AGREES)


def test_a_participant_who_passed_on_everything_is_grouped_without_error():
    votes = two_camps() + [Vote("silent", statement, 0) for statement in STATEMENTS]

    result = find_opinion_groups(votes)

    assert "silent" in result.groups
    assert camp_ari({p: g for p, g in result.groups.items() if p != "silent"}) == 1.0


def test_moderated_out_statements_are_excluded_and_do_not_change_groups():
    noise = [Vote(f"{camp}{i}", "spam", 1 if i % 2 else -1) for camp in "ab" for i in range(12)]

    with_spam = find_opinion_groups(two_camps() + noise, moderated_out={"spam"})
    without = find_opinion_groups(two_camps())

    assert with_spam.groups == without.groups
    shown = [r["statement"] for rows in with_spam.repness.values() for r in rows]
    shown += [r["statement"] for r in with_spam.consensus + with_spam.divisive]
    assert "spam" not in shown


def test_a_later_vote_supersedes_an_earlier_one():
    # "turncoat" first votes with camp a, then changes every vote to camp b's.
    early = [Vote("turncoat", v.statement, v.vote, 1) for v in camp_votes("a", "x", skip=9)]
    late = [Vote("turncoat", v.statement, v.vote, 2) for v in camp_votes("b", "x", skip=9)]

    result = find_opinion_groups(two_camps() + late + early)

    assert result.groups["turncoat"] == result.groups["b0"]


def test_with_equal_times_the_vote_given_last_wins():
    first = [Vote("turncoat", v.statement, v.vote) for v in camp_votes("a", "x", skip=9)]
    then = [Vote("turncoat", v.statement, v.vote) for v in camp_votes("b", "x", skip=9)]

    result = find_opinion_groups(two_camps() + first + then)

    assert result.groups["turncoat"] == result.groups["b0"]


def test_participants_below_the_vote_threshold_are_excluded():
    votes = [*two_camps(), Vote("drive-by", "s0", 1), Vote("drive-by", "s1", 1)]

    result = find_opinion_groups(votes)

    assert "drive-by" not in result.groups
    assert result.excluded == ["drive-by"]


def test_too_few_participants_over_the_threshold_is_a_clear_error():
    votes = [v for v in two_camps() if v.participant in {"a0", "a1", "b0"}]
    votes += [Vote(f"p{i}", "s0", 1) for i in range(5)]

    with pytest.raises(AnalysisInputError, match="Only 3 participants voted on at least 7"):
        find_opinion_groups(votes)


def test_empty_input_is_a_clear_error():
    with pytest.raises(AnalysisInputError, match="no votes"):
        find_opinion_groups([])


def test_a_vote_other_than_agree_disagree_or_pass_is_a_clear_error():
    with pytest.raises(AnalysisInputError, match="Votes must be"):
        find_opinion_groups([*two_camps(), Vote("a0", "s0", 2)])


def test_to_json_gives_groups_repness_consensus_and_divisive():
    result = find_opinion_groups(two_camps()).to_json()

    assert set(result) == {"groups", "repness", "consensus", "divisive"}
    assert result["groups"]["a0"] in (0, 1)
    assert set(result["repness"]) == {"0", "1"}


def write_csv(path, header, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_comments(folder):
    write_csv(
        folder / "comments.csv",
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
        ],
        [
            [1, "", "0", "7", 2, 0, 1, "Buses, not cars,\nplease"],
            [2, "", "1", "7", 0, 1, 0, "More homework"],
            [3, "", "2", "8", 0, 0, -1, "spam"],
        ],
    )


def test_reading_a_polis_export_reads_votes_by_column_name(tmp_path):
    write_comments(tmp_path)
    write_csv(
        tmp_path / "votes.csv",
        ["vote", "voter-id", "comment-id", "timestamp", "datetime"],
        [[1, "10", "0", 100, ""], [-1, "10", "1", 101, ""], [0, "11", "0", 102, ""]],
    )

    export = read_polis_export(tmp_path)

    assert export.votes[0] == Vote("10", "0", 1, 100.0)
    assert len(export.votes) == 3
    assert export.moderated_out == {"2"}
    assert export.statements["0"] == "Buses, not cars,\nplease"


def test_reading_a_polis_export_falls_back_to_participants_votes(tmp_path):
    write_comments(tmp_path)
    write_csv(
        tmp_path / "participants-votes.csv",
        ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", "0", "1"],
        [["10", "0", 0, 2, 1, 1, "1", "-1"], ["11", "", 0, 1, 0, 0, "0", ""]],
    )

    export = read_polis_export(tmp_path)

    assert sorted(export.votes, key=lambda v: (v.participant, v.statement)) == [
        Vote("10", "0", 1),
        Vote("10", "1", -1),
        Vote("11", "0", 0),
    ]
    assert read_polis_groups(tmp_path) == {"10": 0}


def test_an_export_without_votes_is_a_clear_error(tmp_path):
    write_comments(tmp_path)

    with pytest.raises(AnalysisInputError, match=r"neither votes\.csv nor participants-votes\.csv"):
        read_polis_export(tmp_path)


def test_an_export_without_comments_is_a_clear_error(tmp_path):
    with pytest.raises(AnalysisInputError, match=r"has no comments\.csv"):
        read_polis_export(tmp_path)


def test_a_votes_file_missing_a_column_is_a_clear_error(tmp_path):
    write_comments(tmp_path)
    write_csv(tmp_path / "votes.csv", ["timestamp", "comment-id", "vote"], [[1, "0", 1]])

    with pytest.raises(AnalysisInputError, match=r"votes\.csv has no column voter-id"):
        read_polis_export(tmp_path)


def test_a_non_numeric_vote_is_a_clear_error(tmp_path):
    write_comments(tmp_path)
    write_csv(
        tmp_path / "votes.csv",
        ["timestamp", "datetime", "comment-id", "voter-id", "vote"],
        [[1, "", "0", "10", "agree"]],
    )

    with pytest.raises(AnalysisInputError, match=r"votes\.csv line 2: expected a number"):
        read_polis_export(tmp_path)
