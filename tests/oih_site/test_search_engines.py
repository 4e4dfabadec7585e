"""What search engines are told about each patient page.

Pages meant to be found have a description of their own and nothing asking search engines
to leave them out. The check's own pages (a check half done, answers, a result), deleting
saved answers and search results ask them not to list the page (``X-Robots-Tag: noindex``):
nobody should land there from a search engine.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.education.factories import MAIN_ARTICLE
from tests.education.pages import parse
from tests.factories import make_answers, submit, walk

pytestmark = pytest.mark.django_db

FINDABLE = [
    "/",
    "/learn/",
    f"/learn/{MAIN_ARTICLE}/",
    "/help/",
    "/check/",
    "/check/how-it-works/",
    "/about/",
    "/privacy/",
    "/contact/",
]


def description(response) -> str:
    return parse(response.content).find("head").find("meta", name="description").attrs["content"]


def noindex(response) -> bool:
    head = parse(response.content).find("head") if response.content else None
    meta = head.find_all("meta", name="robots") if head is not None else []
    return "noindex" in response.get("X-Robots-Tag", "") or any(
        "noindex" in m.attrs["content"] for m in meta
    )


@pytest.mark.parametrize("url", FINDABLE)
def test_a_page_meant_to_be_found_may_be_listed(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert not noindex(response)


def test_each_page_meant_to_be_found_describes_itself(client):
    descriptions = {url: description(client.get(url)) for url in FINDABLE}
    assert all(len(text) > 40 for text in descriptions.values()), descriptions
    assert len(set(descriptions.values())) == len(FINDABLE), descriptions


def test_a_check_in_progress_is_never_listed(client):
    response = walk(client, make_answers())
    assert response["Location"] == "/check/answers/"
    pages = [
        "/check/breathing/",
        "/check/answers/",
        "/check/emergency/",
        "/learn/search/?q=pain",
        "/delete-saved/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert response["X-Robots-Tag"] == "noindex", url


def test_a_result_and_the_pages_after_it_are_never_listed(client):
    response = submit(client, make_answers(), privacy="save")
    assert response.status_code == HTTPStatus.OK
    assert response["X-Robots-Tag"] == "noindex"
    deleted = client.post("/check/delete/", follow=True)
    assert [page for page, _status in deleted.redirect_chain] == ["/check/deleted/"]
    assert deleted["X-Robots-Tag"] == "noindex"
