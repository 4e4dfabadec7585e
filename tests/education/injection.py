"""Script-injection payloads an editor might type, and a check for live markup.

Shared by the rendering tests (Markdown straight to HTML) and the admin tests (typed into
the article form, then read on the public page).
"""

from __future__ import annotations

import re

from tests.education.pages import Element, parse

FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "base", "meta", "link", "form", "input", "button", "textarea",
    "svg", "object", "embed", "style", "img", "math", "video", "audio", "source",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcset"}

PAYLOADS = {
    "script tag": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "markdown javascript link": "[x](javascript:alert(1))",
    "mixed case javascript link": "[x](JaVaScRiPt:alert(1))",
    "html javascript link": '<a href="javascript:alert(1)">x</a>',
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example">',
    "base href": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "form": '<form action="https://evil.example"><input name=a></form>',
    "data url link": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "style url": '<div style="background:url(javascript:alert(1))">x</div>',
    "object": "<object data=x>",
    "embed": "<embed src=x>",
    "mathml xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "markdown image": "![x](javascript:alert(1))",
    "entity encoded scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "tab inside scheme": "[x](java&#x09;script:alert(1))",
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "event handler on allowed tag": "<p onclick=alert(1)>x</p>",
    "style element": "<style>body{display:none}</style>",
    "payload inside a heading": "## Title <img src=x onerror=alert(1)>",
    "payload inside a table": "| a |\n|---|\n| <script>alert(1)</script> |",
    "reference style link": "[x][1]\n\n[1]: javascript:alert(1)",
}


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: it drops tabs and newlines anywhere and leading
    control characters and spaces before parsing (WHATWG URL standard)."""
    cleaned = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 ")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def live_markup_problems(html: str | Element) -> list[str]:
    """Everything in ``html`` (markup, or an already parsed element) that could run script
    or leave the allow-list."""
    if isinstance(html, Element):
        root, problems = html, []
    else:
        document = parse(html)
        root, problems = document.root, [f"comment {c!r}" for c in document.comments]
    for element in root.iter():
        if element.tag in FORBIDDEN_TAGS:
            problems.append(f"<{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                problems.append(f"<{element.tag} {name}>")
            if name == "style":
                problems.append(f"<{element.tag} style>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"<{element.tag} {name}={value!r}>")
    return problems
