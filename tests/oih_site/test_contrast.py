"""Colour contrast of our stylesheet, measured from the stylesheet itself (WCAG 2.2).

Text and links need 4.5:1 (1.4.3); we keep a margin above it, never exactly 4.5. Borders
of controls and the focus ring need 3:1 against what they touch (1.4.11). Each pair is
measured in the light and, where it changes, in the dark (prefers-color-scheme).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text()
TEXT_MIN = 4.6  # 4.5:1 with a margin
NON_TEXT_MIN = 3.0


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--(oih-[a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block))


def _root_blocks() -> tuple[dict[str, str], dict[str, str]]:
    light = CSS[CSS.index(":root {") : CSS.index("}", CSS.index(":root {"))]
    dark_start = CSS.index(":root {", CSS.index("@media (prefers-color-scheme: dark)"))
    dark = CSS[dark_start : CSS.index("}", dark_start)]
    light_vars = _variables(light)
    return light_vars, {**light_vars, **_variables(dark)}


LIGHT, DARK = _root_blocks()


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(ch * 2 for ch in hex_)
    r, g, b = (int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_measure_agrees_with_known_pairs():
    assert round(ratio("#000", "#fff"), 1) == 21.0
    assert round(ratio("#0d6efd", "#fff"), 2) == 4.5  # Bootstrap's link blue: no margin


def _in(scheme: dict[str, str], name: str) -> str:
    return name if name.startswith("#") else scheme[name]


TEXT_PAIRS = [
    ("body text", "oih-text", "oih-bg"),
    ("links", "oih-link", "oih-bg"),
    ("link hover", "oih-link-hover", "oih-bg"),
    ("secondary text", "oih-muted", "oih-bg"),
    ("error message", "oih-error", "oih-bg"),
    ("primary button", "#ffffff", "oih-primary"),
    ("primary button hover", "#ffffff", "oih-primary-hover"),
    ("danger button", "#ffffff", "oih-danger"),
    # The header and footer band.
    ("text on the header and footer", "oih-text", "oih-surface"),
    ("links on the header and footer", "oih-link", "oih-surface"),
    ("link hover on the header and footer", "oih-link-hover", "oih-surface"),
    ("secondary text on the footer", "oih-muted", "oih-surface"),
]
NON_TEXT_PAIRS = [
    ("unticked choice and search box edge", "oih-control-border", "oih-bg"),
]
# Colours of the result's first box and the call buttons: the same in both schemes.
FIXED_TEXT_PAIRS = [
    ("call button", "#ffffff", "#00703c"),
    ("label: today", "#ffffff", "#b10e1e"),
    ("label: days", "#0b0c0c", "#f47738"),
    ("label: soon", "#0b0c0c", "#ffdd00"),
    ("label: next visit", "#ffffff", "#1d70b8"),
    ("label: routine", "#ffffff", "#00703c"),
    ("box text: today", "#0b0c0c", "#fbe9e9"),
    ("box text: days", "#0b0c0c", "#fef1e8"),
    ("box text: soon", "#0b0c0c", "#fffbe0"),
    ("box text: next visit", "#0b0c0c", "#e8f1f8"),
    ("box text: routine", "#0b0c0c", "#e6f2ec"),
    ("box text in the dark", "#f3f2f1", "#1c1f23"),
    ("error summary", "#b10e1e", "#f8d7da"),
]


def _report(scheme: dict[str, str], pairs) -> list[tuple[str, float]]:
    return [(name, ratio(_in(scheme, fg), _in(scheme, bg))) for name, fg, bg in pairs]


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_text_and_links_have_contrast_with_a_margin(scheme):
    for name, value in _report(scheme, TEXT_PAIRS):
        assert value >= TEXT_MIN, f"{name}: {value:.2f}"


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_control_edges_have_3_to_1(scheme):
    for name, value in _report(scheme, NON_TEXT_PAIRS):
        assert value >= NON_TEXT_MIN, f"{name}: {value:.2f}"


def test_the_result_box_and_call_buttons_have_contrast():
    for name, value in _report(LIGHT, FIXED_TEXT_PAIRS):
        assert value >= TEXT_MIN, f"{name}: {value:.2f}"


def test_the_focus_ring_meets_the_page_at_3_to_1():
    # Light: the dark edge is outside, against the page; the yellow inside, against the dark
    # edge. Dark: the yellow is outside, against the page.
    assert ratio(LIGHT["oih-focus-edge"], LIGHT["oih-bg"]) >= NON_TEXT_MIN
    assert ratio(LIGHT["oih-focus"], LIGHT["oih-focus-edge"]) >= NON_TEXT_MIN
    assert ratio(LIGHT["oih-focus-edge"], LIGHT["oih-surface"]) >= NON_TEXT_MIN
    assert ratio(DARK["oih-focus"], DARK["oih-bg"]) >= NON_TEXT_MIN
    assert ratio(DARK["oih-focus"], DARK["oih-surface"]) >= NON_TEXT_MIN
    assert ratio(DARK["oih-focus"], DARK["oih-focus-edge"]) >= NON_TEXT_MIN


def test_our_focus_ring_is_as_specific_as_bootstraps():
    for selector in (".btn:focus-visible", ".form-check-input:focus-visible"):
        assert selector in CSS


if __name__ == "__main__":  # print the measured ratios: python -m tests.oih_site.test_contrast
    for label, scheme in (("light", LIGHT), ("dark", DARK)):
        for name, value in _report(scheme, TEXT_PAIRS + NON_TEXT_PAIRS):
            print(f"{label:5} {name:40} {value:5.2f}")
    for name, value in _report(LIGHT, FIXED_TEXT_PAIRS):
        print(f"fixed {name:40} {value:5.2f}")
    print(f"focus light edge/page {ratio(LIGHT['oih-focus-edge'], LIGHT['oih-bg']):.2f}")
    print(f"focus yellow/edge {ratio(LIGHT['oih-focus'], LIGHT['oih-focus-edge']):.2f}")
    print(f"focus dark yellow/page {ratio(DARK['oih-focus'], DARK['oih-bg']):.2f}")
