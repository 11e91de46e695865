"""How exactly the report-text parser reads report texts it was not written against.

For each `<name>.txt` with a `<name>.expected.json` beside it (by default in
`benchmarks/data/report_texts_blind/`, a set written blind: see its README), parses the text as
`uprtc import report-text` does (`app.imports.report_text.parse_report_text`) and compares each
expected recommendation (paragraph number, text, recommending States) with what was parsed:
exact, text differs, States differ, missing; and what was parsed beyond it (extra) or refused
(problems).

    .venv/bin/python benchmarks/report_text_eval.py             # a table per file and in all
    .venv/bin/python benchmarks/report_text_eval.py --failures  # and every difference
    .venv/bin/python benchmarks/report_text_eval.py --data tests/app/imports/fixtures
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.imports.country_names import CountryNameIndex  # noqa: E402
from app.imports.report_text import ParsedParagraph, ParseProblem, parse_report_text  # noqa: E402

DEFAULT_DATA = ROOT / "benchmarks" / "data" / "report_texts_blind"


@dataclass
class Outcome:
    expected: int = 0
    exact: int = 0
    text_differs: int = 0
    states_differ: int = 0
    missing: int = 0
    extra: int = 0
    problems: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        for name in ("expected", "exact", "text_differs", "states_differ", "missing", "extra"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems


def evaluate(text: str, expected: list[dict[str, object]], index: CountryNameIndex) -> Outcome:
    results = parse_report_text(text, index)
    parsed = {r.paragraph: r for r in results if isinstance(r, ParsedParagraph)}
    outcome = Outcome(expected=len(expected))
    refused = [r for r in results if isinstance(r, ParseProblem)]
    outcome.problems = len(refused)
    outcome.notes += [f"problem: line {r.line}: {r.reason}" for r in refused]
    wanted = set()
    for item in expected:
        number, want_text, want_states = item["paragraph"], item["text"], item["states"]
        wanted.add(number)
        got = parsed.get(str(number))
        if got is None:
            outcome.missing += 1
            outcome.notes.append(f"missing {number}: {str(want_text)[:70]!r}")
            continue
        same_text, same_states = got.text == want_text, got.recommending_states == want_states
        outcome.exact += same_text and same_states
        if not same_text:
            outcome.text_differs += 1
            outcome.notes.append(f"text {number}:\n   want {want_text!r}\n   got  {got.text!r}")
        if not same_states:
            outcome.states_differ += 1
            outcome.notes.append(
                f"states {number}: want {want_states}, got {got.recommending_states}"
            )
    for number in parsed.keys() - wanted:
        outcome.extra += 1
        outcome.notes.append(f"extra {number}: {parsed[number].text[:70]!r}")
    return outcome


def _row(name: str, o: Outcome) -> str:
    share = o.exact / o.expected if o.expected else 0.0
    return (
        f"| {name} | {o.expected} | {o.exact} | **{share:.3f}** | {o.text_differs} | "
        f"{o.states_differ} | {o.missing} | {o.extra} | {o.problems} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--failures", action="store_true", help="list every difference")
    args = parser.parse_args()
    index = CountryNameIndex.from_csv(ROOT / "seed_data" / "countries.csv")
    files = sorted(p for p in args.data.glob("*.txt") if p.with_suffix(".expected.json").exists())
    if not files:
        sys.exit(f"no <name>.txt with <name>.expected.json in {args.data}")
    print(
        "| file | expected | exact | share exact | text differs | States differ | missing "
        "| extra | problems |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = Outcome()
    details = []
    for path in files:
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        outcome = evaluate(path.read_text(encoding="utf-8"), expected, index)
        total.add(outcome)
        print(_row(path.stem, outcome))
        details.append((path.stem, outcome.notes))
    print(_row("all", total))
    if args.failures:
        for name, notes in details:
            if notes:
                print(f"\n## {name}")
                print("\n".join(f"- {note}" for note in notes))


if __name__ == "__main__":
    main()
