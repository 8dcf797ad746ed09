"""manage.py evaluate_heat and the labelled set it ships with (fixtures/heat/labelled.jsonl)."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

import heat

LABELLED = Path(settings.BASE_DIR) / "fixtures/heat/labelled.jsonl"
FIGURES = re.compile(
    r"^(?P<label>.+?) threshold (?P<threshold>[\d.]+): precision (?P<precision>[\d.]+)\s+"
    r"recall (?P<recall>[\d.]+)\s+f1 (?P<f1>[\d.]+)\s+"
    r"\(tp (?P<tp>\d+), fp (?P<fp>\d+), fn (?P<fn>\d+), tn (?P<tn>\d+)\)$"
)


def evaluate(*args):
    out = StringIO()
    call_command("evaluate_heat", *map(str, args), stdout=out)
    lines = out.getvalue().splitlines()
    figures = {}
    for line in lines:
        match = FIGURES.match(line.strip())
        if match:
            figures[match["label"].strip()] = {
                k: float(v) if "." in v else int(v)
                for k, v in match.groupdict().items()
                if k != "label"
            }
    return lines, figures


def test_the_shipped_set_is_big_balanced_short_and_split():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150
    heated = sum(r["heated"] for r in rows)
    assert heated == len(rows) - heated  # balanced
    assert len({r["text"] for r in rows}) == len(rows)
    assert all(isinstance(r["heated"], bool) and 0 < len(r["text"]) <= 200 for r in rows)
    assert {r["split"] for r in rows} == {"dev", "holdout"}
    holdout = [r for r in rows if r["split"] == "holdout"]
    assert len(holdout) >= 50 and sum(r["heated"] for r in holdout) * 2 == len(holdout)
    # Critical but respectful disagreement is labelled calm, and there is a lot of it.
    disagreeing = [
        r
        for r in rows
        if re.search(
            r"\b(disagree|wrong|push back|not convinced|skeptical|respectfully)\b", r["text"], re.I
        )
    ]
    assert sum(not r["heated"] for r in disagreeing) >= 15
    assert all(not r["heated"] for r in disagreeing if "respectfully" in r["text"].lower())


def test_evaluate_heat_prints_its_figures_on_the_shipped_set():
    lines, figures = evaluate(LABELLED)
    assert lines[0].endswith("200 texts (100 heated, 100 calm)")
    configured = figures["configured"]
    assert configured["threshold"] == settings.HEAT_THRESHOLD == 0.7
    assert configured["tp"] + configured["fp"] + configured["fn"] + configured["tn"] == 200
    best = figures["best"]
    assert 0 <= best["threshold"] < 1 and best["f1"] >= configured["f1"]
    # The figures the closing note reports; a change to the rules shows up here.
    assert configured["precision"] >= 0.95
    assert configured["recall"] >= 0.7
    assert configured["f1"] >= 0.8
    assert figures["dev configured"]["f1"] >= 0.9
    assert figures["holdout configured"]["f1"] >= 0.65
    assert "holdout at dev-best" in figures


def test_figures_are_computed_as_they_say(tmp_path):
    labelled = tmp_path / "small.jsonl"
    items = [
        ("You're an idiot and everyone knows it.", True),  # caught
        ("Shut up, nobody asked.", True),  # caught
        ("Interesting take, I guess.", True),  # missed: too faint to read
        ("Thank you for writing this.", False),
        ("I disagree, respectfully, with the last section.", False),
    ]
    labelled.write_text("\n".join(json.dumps({"text": t, "heated": h}) for t, h in items) + "\n\n")
    scores = [heat.score_text(t)[0] for t, _ in items]
    assert [s > 0.7 for s in scores] == [True, True, False, False, False]
    lines, figures = evaluate(labelled)
    assert figures["configured"] == {
        "threshold": 0.7,
        "precision": 1.0,
        "recall": 0.667,
        "f1": 0.8,
        "tp": 2,
        "fp": 0,
        "fn": 1,
        "tn": 2,
    }
    assert not any(line.startswith("split") for line in lines)

    _, figures = evaluate(labelled, "--threshold", "1.0")
    assert figures["configured"]["threshold"] == 1.0 and figures["configured"]["tp"] == 0

    lines, _ = evaluate(labelled, "--errors")
    assert any("missed" in line and "Interesting take" in line for line in lines)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "fine", "heated": false}\nnot json\n', "line 2"),
        ('{"text": "no label"}\n', "line 1"),
        ('{"text": 3, "heated": true}\n', "line 1"),
        ('{"text": "x", "heated": "yes"}\n', "line 1"),
        ("\n\n", "no labelled texts"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        evaluate(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        evaluate(tmp_path / "missing.jsonl")


def test_the_frozen_split_alone_with_a_table_by_threshold():
    contempt = Path(settings.BASE_DIR) / "fixtures/heat/contempt.jsonl"
    lines, figures = evaluate(contempt, "--split", "test")
    assert lines[0].endswith("591 texts (300 heated, 291 calm)")
    assert re.search(r"^configured threshold 0\.70: precision [\d.]+  recall", lines[1])
    assert figures["configured"]["precision"] >= 0.95
    start = lines.index("by threshold:")
    table = lines[start + 2 : start + 16]
    assert [float(row.split()[0]) for row in table] == [round(0.3 + 0.05 * i, 2) for i in range(14)]
    assert any(row.endswith("(configured)") and row.split()[0] == "0.70" for row in table)
    recalls = [float(row.split()[2]) for row in table]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never catches more


def test_an_unknown_split_is_refused(tmp_path):
    with pytest.raises(CommandError, match='no texts in split "nope"'):
        evaluate(LABELLED, "--split", "nope")
