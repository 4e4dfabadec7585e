"""Reading HTML the way a browser would, with the standard library's html.parser.

Tests look at elements and attributes, not at substrings of the markup, so that escaped
text (``&lt;script&gt;``) is never mistaken for live markup, and live markup never hides
behind unusual spelling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, *, recursive: bool = True, **attrs: str
    ) -> list[Element]:
        """Elements by tag and attribute; ``class_`` matches one of the element's classes.
        ``recursive=False`` looks only at direct children."""
        found = []
        candidates = (
            self.iter()
            if recursive
            else (child for child in self.children if isinstance(child, Element))
        )
        for element in candidates:
            if tag is not None and element.tag != tag:
                continue
            if not all(_matches(element, name, value) for name, value in attrs.items()):
                continue
            found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs}"
        return found[0]

    @property
    def text(self) -> str:
        """The text inside, with runs of white space made single spaces."""
        parts: list[str] = []

        def walk(element: Element) -> None:
            for child in element.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    @property
    def raw_text(self) -> str:
        """The text inside, exactly as it is (a textarea's value, say)."""
        return "".join(
            child if isinstance(child, str) else child.raw_text for child in self.children
        )

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


def _matches(element: Element, name: str, value: str) -> bool:
    if name == "class_":
        return value in element.classes
    return element.attrs.get(name.replace("_", "-")) == value


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


@dataclass
class Document:
    root: Element
    comments: list[str]

    def __getattr__(self, name: str):
        return getattr(self.root, name)


def parse(html: str | bytes) -> Document:
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return Document(builder.root, builder.comments)


def main_text(response) -> str:
    """What a reader sees in the page's main region."""
    return parse(response.content).find("main").text


def form_data(html: str | bytes, field: str) -> dict[str, str | list[str]]:
    """What a browser would submit from the form holding ``field``, as it stands: every
    named field's current value, without submit buttons and without the admin's empty
    inline template (``__prefix__``). Multiple selects give lists; unticked boxes are left
    out."""
    forms = [f for f in parse(html).find_all("form") if f.find_all(name=field)]
    assert forms, f"no form with a field {field!r}"
    form = forms[0]
    data: dict[str, str | list[str]] = {}
    for element in form.iter():
        name = element.attrs.get("name")
        if not name or "__prefix__" in name:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"}:
                if "checked" in element.attrs:
                    value = element.attrs.get("value") or "on"
                    if kind == "checkbox" and name in data:  # a list of boxes, one name
                        before = data[name]
                        data[name] = [*(before if isinstance(before, list) else [before]), value]
                    else:
                        data[name] = value
                continue
            data[name] = element.attrs.get("value") or ""
        elif element.tag == "textarea":
            # HTML drops one newline straight after <textarea>.
            data[name] = element.raw_text.removeprefix("\n")
        elif element.tag == "select":
            chosen = [
                # A browser sends the value, even an empty one; the text only when it has none.
                option.attrs["value"] if option.attrs.get("value") is not None else option.text
                for option in element.find_all("option")
                if "selected" in option.attrs
            ]
            if "multiple" in element.attrs:
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
    return data
