"""The analysis commands, as an analyst runs them on their own exports: JSON in the
documented shape, and a clear message (no traceback) for input they cannot read."""

import json

import pytest
from django.core.management import CommandError, call_command

ANSWERS = [
    ("a1", "The bus comes too early in the morning", "en"),
    ("a2", "El autobús llega demasiado temprano", "es"),
    ("a3", "School bus pickup is too early for my kids", "en"),
    ("a4", "More homework help after school please", "en"),
    ("a5", "Necesitamos ayuda con la tarea después de clases", "es"),
    ("a6", "Homework club after school would help", "en"),
]


def write_answers(path, rows=ANSWERS, header=("id", "text", "lang")):
    lines = [",".join(header)] + [",".join(f'"{v}"' for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_themes_writes_the_documented_json(tmp_path):
    answers = write_answers(tmp_path / "answers.csv")
    out = tmp_path / "themes.json"

    call_command(
        "themes",
        str(answers),
        "--text-column=text",
        "--id-column=id",
        "--language-column=lang",
        "--k=2",
        f"--out={out}",
    )

    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == {"themes", "assignments"}
    assert len(result["themes"]) == 2
    for theme in result["themes"]:
        assert set(theme) >= {"id", "label", "keywords", "size", "examples"}
    assert set(result["assignments"]) == {"a1", "a2", "a3", "a4", "a5", "a6"}
    assignments = result["assignments"]
    assert assignments["a1"] == assignments["a2"] == assignments["a3"]  # the bus, in 2 languages
    assert assignments["a4"] == assignments["a5"] == assignments["a6"]  # homework
    assert assignments["a1"] != assignments["a4"]


def test_themes_numbers_rows_from_zero_without_an_id_column(tmp_path):
    answers = write_answers(tmp_path / "answers.csv")
    out = tmp_path / "themes.json"
    call_command("themes", str(answers), "--embedder=tfidf", f"--out={out}")
    assert set(json.loads(out.read_text())["assignments"]) == {str(n) for n in range(6)}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--text-column=answer"], "has no column 'answer'"),
        (["--k=zero"], "--k must be auto or a whole number"),
        (["--embedder=word2vec"], "word2vec"),
    ],
)
def test_themes_says_what_is_wrong(tmp_path, arguments, message):
    answers = write_answers(tmp_path / "answers.csv")
    with pytest.raises(CommandError, match=message):
        call_command("themes", str(answers), *arguments)


def test_themes_refuses_a_spreadsheet_or_a_missing_file(tmp_path):
    spreadsheet = tmp_path / "answers.xlsx"
    spreadsheet.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(CommandError, match="not a CSV text file"):
        call_command("themes", str(spreadsheet))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("themes", str(tmp_path / "nowhere.csv"))


def write_polis_export(folder, votes):
    folder.mkdir()
    comments = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    for statement in range(4):
        comments.append(f"0,x,{statement},0,0,0,1,Statement {statement}")
    (folder / "comments.csv").write_text("\n".join(comments) + "\n")
    lines = ["timestamp,datetime,comment-id,voter-id,vote"]
    lines += [f"{n},x,{s},{p},{v}" for n, (p, s, v) in enumerate(votes)]
    (folder / "votes.csv").write_text("\n".join(lines) + "\n")
    return folder


def two_camps() -> list[tuple[int, int, int]]:
    """Ten participants agree with statements 0-1 and disagree with 2-3; ten the opposite."""
    votes = []
    for participant in range(20):
        camp = 1 if participant < 10 else -1
        for statement in range(4):
            votes.append((participant, statement, camp if statement < 2 else -camp))
    return votes


def test_opinion_groups_writes_the_documented_json(tmp_path):
    folder = write_polis_export(tmp_path / "export", two_camps())
    out = tmp_path / "groups.json"

    call_command("opinion_groups", str(folder), "--min-votes=3", f"--out={out}")

    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"groups", "repness", "consensus"} <= set(result)
    groups = result["groups"]
    assert len({groups[str(p)] for p in range(10)}) == 1
    assert len({groups[str(p)] for p in range(10, 20)}) == 1
    assert groups["0"] != groups["10"]
    first_group = result["repness"][str(groups["0"])]
    assert {row["text"] for row in first_group} & {"Statement 0", "Statement 1"}


def test_opinion_groups_says_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("opinion_groups", str(tmp_path / "nowhere"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CommandError):
        call_command("opinion_groups", str(empty))
    few = write_polis_export(tmp_path / "few", [(0, 0, 1), (1, 0, -1)])
    with pytest.raises(CommandError):
        call_command("opinion_groups", str(few))


def test_without_out_the_json_goes_to_standard_output(tmp_path, capsys):
    folder = write_polis_export(tmp_path / "export", two_camps())
    call_command("opinion_groups", str(folder), "--min-votes=3")
    assert len(json.loads(capsys.readouterr().out)["groups"]) == 20


def test_an_unwritable_out_is_a_clear_error(tmp_path):
    folder = write_polis_export(tmp_path / "export", two_camps())
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("opinion_groups", str(folder), "--min-votes=3", f"--out={tmp_path}")
