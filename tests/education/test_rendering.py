"""Markdown to HTML: nothing an editor types can run script; the markup articles need stays."""

from __future__ import annotations

import pytest

from education.rendering import render_markdown, unshown, without_heading_ids
from tests.education.injection import PAYLOADS, live_markup_problems
from tests.education.pages import parse


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_script_injection_never_survives_rendering(payload):
    # Surrounded by ordinary Markdown, as it would be inside an article.
    html = render_markdown(f"Before.\n\n{payload}\n\nAfter.\n").html
    assert live_markup_problems(html) == []
    assert "Before." in html
    assert "After." in html


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<p onmouseover="x()">a</p>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<p style="color:red">a</p>',
        "<!-- hidden -->",
        "<svg><circle/></svg>",
    ],
    ids=["script", "handler", "spaced scheme", "tab in scheme", "style", "comment", "svg"],
)
def test_the_live_markup_check_itself_spots_each_kind_of_problem(html):
    assert live_markup_problems(html) != []


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://example.org">x</a>',
        '<a href="mailto:a@example.org">x</a>',
        '<a href="#part">x</a>',
        '<a href="/learn/">x</a>',
    ],
)
def test_the_live_markup_check_lets_safe_links_through(html):
    assert live_markup_problems(html) == []


def test_headings_get_ids():
    document = parse(render_markdown("## First part\n\n### A smaller part\n\n#### Detail").html)
    assert document.find("h2").attrs["id"] == "first-part"
    assert document.find("h3").attrs["id"] == "a-smaller-part"
    assert document.find("h4").attrs["id"] == "detail"


def test_tables_survive_with_alignment():
    html = render_markdown("| Medicine | Notes |\n|---|:-:|\n| Ibuprofen | with food |").html
    table = parse(html).find("table")
    assert [th.text for th in table.find("thead").find_all("th")] == ["Medicine", "Notes"]
    assert [td.text for td in table.find("tbody").find_all("td")] == ["Ibuprofen", "with food"]


def test_lists_emphasis_and_blockquotes_survive():
    html = render_markdown(
        "- one\n- two\n\n1. first\n2. second\n\n**strong** and *soft*\n\n> A quote."
    ).html
    document = parse(html)
    assert [li.text for li in document.find("ul").find_all("li")] == ["one", "two"]
    assert [li.text for li in document.find("ol").find_all("li")] == ["first", "second"]
    assert document.find("strong").text == "strong"
    assert document.find("em").text == "soft"
    assert document.find("blockquote").text == "A quote."


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[a study](https://example.org/study)", "https://example.org/study"),
        ("[old site](http://example.org/)", "http://example.org/"),
        ("[write to us](mailto:help@example.org)", "mailto:help@example.org"),
        ("<help@example.org>", "mailto:help@example.org"),
    ],
    ids=["https", "http", "mailto", "autolinked email"],
)
def test_safe_links_survive_with_noopener_noreferrer(markdown, href):
    link = parse(render_markdown(markdown).html).find("a")
    assert link.attrs["href"] == href
    assert set((link.attrs["rel"] or "").split()) == {"noopener", "noreferrer"}


def test_toc_lists_h2_and_h3_headings_with_their_ids_in_order():
    rendered = render_markdown(
        "Intro.\n\n## Signs of OIH\n\nText.\n\n### Tolerance\n\nText.\n\n"
        "#### Too small for the contents\n\n## The good news\n"
    )
    assert rendered.toc == [
        {"id": "signs-of-oih", "title": "Signs of OIH", "level": "2"},
        {"id": "tolerance", "title": "Tolerance", "level": "3"},
        {"id": "the-good-news", "title": "The good news", "level": "2"},
    ]
    ids = {element.attrs.get("id") for element in parse(rendered.html).root.iter()}
    assert {entry["id"] for entry in rendered.toc} <= ids


def test_repeated_headings_get_distinct_ids():
    rendered = render_markdown("## Questions\n\n## Questions\n")
    ids = [entry["id"] for entry in rendered.toc]
    assert len(set(ids)) == 2
    assert [h.attrs["id"] for h in parse(rendered.html).find_all("h2")] == ids


def test_toc_titles_are_plain_text_for_the_template_to_escape():
    rendered = render_markdown("## Pain & mood <em>together</em>\n")
    assert rendered.toc[0]["title"] == "Pain & mood together"


# --- Fixed heading ids ----------------------------------------------------------------------


def test_a_heading_ending_in_an_id_gets_that_id_whatever_its_words():
    rendered = render_markdown(
        "## Señales de la HIO {#signs-of-oih}\n\n### **Tolerancia** {#tolerance}\n"
    )
    assert '<h2 id="signs-of-oih">Señales de la HIO</h2>' in rendered.html
    assert '<h3 id="tolerance"><strong>Tolerancia</strong></h3>' in rendered.html
    assert [entry["id"] for entry in rendered.toc] == ["signs-of-oih", "tolerance"]
    assert rendered.toc[0]["title"] == "Señales de la HIO"


@pytest.mark.parametrize(
    "line",
    [
        '## Heading {: .danger onclick="steal()"}',
        '## Heading {#ok onclick="steal()"}',
        '## Heading {#ok style="display:none"}',
        "## Heading {.lead}",
    ],
)
def test_a_heading_can_be_given_an_id_and_no_other_attribute(line):
    heading = parse(render_markdown(line + "\n").html).find("h2")
    assert set(heading.attrs) == {"id"}
    assert unshown(line + "\n"), "the editor is told the id is not one"


def test_a_paragraph_or_link_takes_no_attribute_list():
    page = parse(
        render_markdown(
            'Text\n{: .x onclick="y"}\n\n[link](https://example.org){: href="javascript:z"}\n'
        ).html
    )
    assert all(paragraph.attrs == {} for paragraph in page.find_all("p"))
    assert page.find("a").attrs == {"href": "https://example.org", "rel": "noopener noreferrer"}


def test_two_headings_with_one_id_are_refused_with_the_id_named():
    assert unshown("## A {#same}\n\n## B {#same}\n") == [
        "Two headings have the same id: {#same}. Give each its own."
    ]


@pytest.mark.parametrize(
    ("markdown", "searched"),
    [
        ("## Signs of OIH {#signs-of-oih}\nText.", "## Signs of OIH\nText."),
        ("### Signs {#signs} ###\r\nText.", "### Signs ###\r\nText."),
        ("Signs {#signs}\n---", "Signs\n---"),
        ("Text {#signs} more.", "Text {#signs} more."),
        ("## Signs {#Not_An_Id}", "## Signs {#Not_An_Id}"),
    ],
)
def test_search_reads_the_text_without_its_heading_ids(markdown, searched):
    assert without_heading_ids(markdown) == searched
