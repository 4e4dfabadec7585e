"""Render the hazard log (docs/safety/hazard-log.md) from its data (docs/safety/hazards.toml).

    python scripts/hazard_log.py          # write the Markdown
    python scripts/hazard_log.py --check  # exit 1 if the Markdown is out of date

Standard library only. The risk rating is DCB0129's matrix of severity and likelihood.
tests/test_hazard_log.py checks the data: every hazard has controls, every control names
tests, and every named test exists and runs in CI.
"""

from __future__ import annotations

import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "docs" / "safety" / "hazards.toml"
LOG = ROOT / "docs" / "safety" / "hazard-log.md"

SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
LIKELIHOODS = ("Very low", "Low", "Medium", "High", "Very high")
# DCB0129's risk matrix: RISK[likelihood][severity] is the rating, 1 (lowest) to 5.
RISK = {
    "Very high": (3, 4, 4, 5, 5),
    "High": (2, 3, 3, 4, 5),
    "Medium": (2, 2, 3, 3, 4),
    "Low": (1, 2, 2, 3, 4),
    "Very low": (1, 1, 2, 2, 3),
}


def load() -> list[dict[str, Any]]:
    return tomllib.loads(DATA.read_text())["hazard"]


def risk(rating: dict[str, str]) -> int:
    return RISK[rating["likelihood"]][SEVERITIES.index(rating["severity"])]


def _text(value: str) -> str:
    return " ".join(value.split())


def _rating(rating: dict[str, str]) -> str:
    return f"{rating['severity']}, {rating['likelihood'].lower()}: risk {risk(rating)}"


def render(hazards: list[dict[str, Any]]) -> str:
    lines = [
        "# Hazard log",
        "",
        "<!-- Rendered by scripts/hazard_log.py from docs/safety/hazards.toml: edit that. -->",
        "",
        textwrap.fill(
            "The clinical hazards of the self-check and the education site, in the manner of "
            "DCB0129. Each hazard names its cause and its effect on a patient, its severity "
            "and likelihood before and after the controls, and the tests that prove each "
            "control, by their pytest node ids. tests/test_hazard_log.py fails when a named "
            "test is missing or would be skipped in CI, or when a hazard has no test. How the "
            "log is used and who signs it off: clinical-safety-case.md.",
            width=92,
            break_on_hyphens=False,
        ),
        "",
        "Risk ratings (1 lowest, 5 highest) follow the DCB0129 matrix of severity and likelihood.",
        "",
        "| id | hazard | before | after |",
        "|---|---|---|---|",
    ]
    for hazard in hazards:
        lines.append(
            f"| [{hazard['id']}](#{hazard['id'].lower()}) | {hazard['title']} "
            f"| {risk(hazard['before'])} | {risk(hazard['after'])} |"
        )
    for hazard in hazards:
        lines += [
            "",
            f"## {hazard['id']}",
            "",
            f"**{hazard['title']}**",
            "",
            f"- Cause: {_text(hazard['cause'])}",
            f"- Effect on a patient: {_text(hazard['effect'])}",
            f"- Before the controls: {_rating(hazard['before'])}",
            f"- After the controls: {_rating(hazard['after'])}",
            "",
            "Controls, and the tests that prove them:",
            "",
        ]
        for number, control in enumerate(hazard["control"], start=1):
            lines.append(f"{number}. {_text(control['what'])}")
            lines += [f"   - `{test}`" for test in control["tests"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    rendered = render(load())
    if "--check" in argv:
        if LOG.read_text() != rendered:
            print(f"{LOG.relative_to(ROOT)} is out of date: run python scripts/hazard_log.py")
            return 1
        return 0
    LOG.write_text(rendered)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
