"""Precision, recall and F1 of the heat score on a labelled JSONL file.

Each line: ``{"text": "...", "heated": true|false}``; an optional ``"split"``
("dev", "holdout", …) adds a line per split, and with both "dev" and "holdout"
the threshold that is best on dev is also checked on the holdout (the honest
figure: the rules were tuned looking at dev only).  ``--split test`` reads one
split only (the contempt corpus's frozen test split).  A table gives precision,
recall and F1 by threshold.  A text counts as predicted heated when its heat is
above the threshold, as for nudges and cases.
"""

import json
import statistics
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import heat

GRID = [i / 100 for i in range(100)]  # thresholds tried for the best one
TABLE = [round(0.30 + 0.05 * i, 2) for i in range(14)]  # the table's rows: 0.30 … 0.95


def confusion(rows, threshold):
    tp = sum(1 for h, y in rows if y and h > threshold)
    fp = sum(1 for h, y in rows if not y and h > threshold)
    fn = sum(1 for h, y in rows if y and not h > threshold)
    return tp, fp, fn, len(rows) - tp - fp - fn


def figures(rows, threshold):
    tp, fp, fn, tn = confusion(rows, threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def best_threshold(rows):
    """The grid threshold with the best F1 (the middle one of a tie)."""
    scored = [(round(figures(rows, t)["f1"], 9), t) for t in GRID]
    top = max(f1 for f1, _ in scored)
    tied = [t for f1, t in scored if f1 == top]
    return tied[(len(tied) - 1) // 2]


def line(label, threshold, f):
    return (
        f"{label} threshold {threshold:.2f}: precision {f['precision']:.3f}  "
        f"recall {f['recall']:.3f}  f1 {f['f1']:.3f}  "
        f"(tp {f['tp']}, fp {f['fp']}, fn {f['fn']}, tn {f['tn']})"
    )


class Command(BaseCommand):
    help = "Evaluate the heat score on a labelled JSONL file: precision, recall, F1."

    def add_arguments(self, parser):
        parser.add_argument("file", help='JSONL: {"text": ..., "heated": true|false} per line')
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="threshold to report (default: settings.HEAT_THRESHOLD)",
        )
        parser.add_argument("--split", default=None, help="read only this split (e.g. test)")
        parser.add_argument("--errors", action="store_true", help="list the misclassified texts")

    def read(self, path):
        try:
            lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
        rows = []
        for number, text in enumerate(lines, 1):
            if not text.strip():
                continue
            try:
                item = json.loads(text)
                body, label = item["text"], item["heated"]
            except (ValueError, KeyError, TypeError):
                raise CommandError(
                    f'{path}: line {number} is not {{"text": ..., "heated": true|false}}'
                ) from None
            if not isinstance(body, str) or not isinstance(label, bool):
                raise CommandError(
                    f'{path}: line {number}: "text" must be text, "heated" a boolean'
                )
            rows.append((body, label, str(item.get("split", ""))))
        if not rows:
            raise CommandError(f"{path}: no labelled texts")
        return rows

    def handle(self, *args, file, threshold, errors, split=None, **options):
        rows = self.read(file)
        if split is not None:
            rows = [row for row in rows if row[2] == split]
            if not rows:
                raise CommandError(f'{file}: no texts in split "{split}"')
        threshold = settings.HEAT_THRESHOLD if threshold is None else threshold
        results = heat.score_texts(body for body, _, _ in rows)
        scored = [(h, label) for (h, _), (_, label, _) in zip(results, rows, strict=True)]
        heated = sum(label for _, label, _ in rows)
        out = self.stdout.write
        out(f"{file}: {len(rows)} texts ({heated} heated, {len(rows) - heated} calm)")
        out(line("configured", threshold, figures(scored, threshold)))
        best = best_threshold(scored)
        out(line("best", best, figures(scored, best)))
        out("by threshold:")
        out("  threshold  precision  recall     f1     tp    fp    fn    tn")
        for value in TABLE:
            f = figures(scored, value)
            mark = "  (configured)" if abs(value - threshold) < 1e-9 else ""
            out(
                f"  {value:>9.2f}  {f['precision']:>9.3f}  {f['recall']:>6.3f}  {f['f1']:>5.3f}  "
                f"{f['tp']:>5} {f['fp']:>5} {f['fn']:>5} {f['tn']:>5}{mark}"
            )
        calm = [h for h, label in scored if not label]
        hot = [h for h, label in scored if label]
        if calm and hot:
            out(
                f"median heat: heated {statistics.median(hot):.2f}, "
                f"calm {statistics.median(calm):.2f}"
            )

        splits = sorted({split for _, _, split in rows if split})
        by_split = {
            name: [s for s, (_, _, split) in zip(scored, rows, strict=True) if split == name]
            for name in splits
        }
        for name in splits:
            part = by_split[name]
            out(f"split {name}: {len(part)} texts")
            out(line(f"  {name} configured", threshold, figures(part, threshold)))
            out(line(f"  {name} best", best_threshold(part), figures(part, best_threshold(part))))
        if "dev" in by_split and "holdout" in by_split:
            chosen = best_threshold(by_split["dev"])
            out(line("holdout at dev-best", chosen, figures(by_split["holdout"], chosen)))

        if errors:
            for (h, label), (body, _, split) in zip(scored, rows, strict=True):
                if label != (h > threshold):
                    kind = "missed" if label else "false alarm"
                    out(f"  {kind} {h:.2f} [{split or '-'}] {body[:100]}")
