"""Summarise a mutmut run (`make mutate`) into var/mutation/summary.txt.

Per core module: mutants, killed, survived, the overall score, and the score over the
mutants that change behaviour rather than wording.  A "wording" mutant only edits a
string that contains a space (a sentence people read: mutmut's ``XX…XX`` or case
change); a string without one is a code (an action, a key, a reason like ``undo``), so
a mutant of it counts as behaviour.  Every survivor is listed with its diff, to triage
by hand (docs/testing.md).
"""

import io
import json
import sys
import tokenize
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant

# The core: the audit log, the workflow, posting and screening, the visibility rule,
# the importers' parser, the rate limits.  Kept in step with [tool.mutmut] only_mutate.
CORE = [
    "moderation/audit.py",
    "moderation/chain.py",
    *sorted(str(p) for p in Path("moderation/workflow").glob("*.py") if p.name != "__init__.py"),
    "moderation/submissions.py",
    "moderation/ratelimits.py",
    "threads/posting.py",
    "threads/visibility.py",
    "threads/importing/parsing.py",
]
KILLED = {1, 3, 36, 37, -24, 24, 152, 255}  # failed, errored, timed out, type-checked
SURVIVED = 0
OUT = Path("var/mutation")


def _tokens(line):
    try:
        return [
            (t.type, t.string)
            for t in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def is_wording(diff):
    """True when every changed line differs only in strings that hold a space."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-")][1:]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+")][1:]
    if not removed or len(removed) != len(added):
        return False
    for old, new in zip(removed, added, strict=True):
        a, b = _tokens(old), _tokens(new)
        if a is None or b is None or len(a) != len(b):
            return False
        for (ta, sa), (tb, sb) in zip(a, b, strict=True):
            if sa == sb:
                continue
            if ta != tokenize.STRING or tb != tokenize.STRING or " " not in sa:
                return False
    return True


def module_results(path):
    meta = Path("mutants") / (path + ".meta")
    if not meta.exists():
        return None
    return json.loads(meta.read_text())["exit_code_by_key"]


def main():
    rows, survivors = [], []
    for path in CORE:
        codes = module_results(path)
        if not codes:
            rows.append((path, None))
            continue
        checked = {name: code for name, code in codes.items() if code is not None}
        wording = {name for name in checked if is_wording(get_diff_for_mutant(name, path=path))}
        killed = {name for name, code in checked.items() if code in KILLED}
        survived = sorted(name for name, code in checked.items() if code == SURVIVED)
        other = len(checked) - len(killed) - len(survived)  # no tests, suspicious, ...
        behaviour = [name for name in checked if name not in wording]
        behaviour_killed = sum(1 for name in behaviour if name in killed)
        rows.append(
            (
                path,
                (
                    len(codes),
                    len(checked),
                    len(killed),
                    len(survived),
                    other,
                    behaviour_killed,
                    len(behaviour),
                ),
            )
        )
        for name in survived:
            diff = get_diff_for_mutant(name, path=path)
            survivors.append((name, "wording" if name in wording else "BEHAVIOUR", diff))

    lines = [
        f"{'module':38} {'mutants':>7} {'checked':>7} {'killed':>6} {'survived':>8} "
        f"{'other':>5} {'score':>6} {'non-wording':>11}"
    ]
    for path, row in rows:
        if row is None:
            lines.append(f"{path:38} {'not run':>7}")
            continue
        total, checked, killed, survived, other, bkilled, behaviour = row
        score = f"{100 * killed / checked:.1f}%" if checked else "-"
        bscore = f"{100 * bkilled / behaviour:.1f}%" if behaviour else "-"
        lines.append(
            f"{path:38} {total:7} {checked:7} {killed:6} {survived:8} {other:5} {score:>6} "
            f"{bscore:>11}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.txt").write_text("\n".join(lines) + "\n")
    text = io.StringIO()
    for name, kind, diff in survivors:
        text.write(f"## {name} ({kind})\n{diff}\n\n")
    (OUT / "survivors.txt").write_text(text.getvalue())
    print("\n".join(lines))
    print(f"\n{len(survivors)} survivors listed in {OUT / 'survivors.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
