"""The seeded articles, held to what must never be said to a patient, in each language.

An article is scanned with the result pages' own patterns (tests/screening/test_never_say.py),
as a reader gets it: its title, summary and body, and its page. A few of its sentences match
a pattern without breaking the rule behind it; each was read against CLINICAL.md ("Never
say") and is listed here with the reason it stays. The scan leaves out those sentences and
no others, and a listed sentence that has left the articles fails a test, so the list
cannot grow stale.
"""

from __future__ import annotations

from django.test import Client

from education.models import Article
from tests.education.factories import SEED_SLUGS
from tests.education.pages import main_text
from tests.education.spanish import get_in_spanish, spanish_url
from tests.screening.test_never_say import never_said

# Lower case, as the scan reads the text.
REVIEWED_SENTENCES = {
    "en": [
        # The main article's title: a question to take to a clinician, the source article's
        # own title idea (CLINICAL.md, point 1); it tells no one they have OIH.
        "what to do if you may have opioid-induced hyperalgesia",
        # How the cycle of point 4 could happen, in the third person: no instruction.
        "a person's pain gets worse, so they take more pain medicine.",
        # Under "Never change your dose on your own": a warning against either change.
        "this is true whether you take less or take more.",
        # Naloxone, the one drug the contract asks people to ask for.
        "in the us, a 4 mg naloxone nose spray has been sold over the counter since 2023.",
        # Says that the pain is real.
        "talk therapy for pain does not mean your pain is not real.",
    ],
    "es": [
        # Describes a plan made with a clinician, in the third person.
        "a veces un plan para bajar la dosis va más rápido de lo que su cuerpo puede seguir.",
        # Warns against a fast change.
        "dejar todo de golpe, o bajar una dosis muy rápido, puede hacer daño.",
        # Naloxone, the one drug the contract asks people to ask for.
        "el spray nasal de naloxona de 4 mg se vende sin receta desde 2023.",
    ],
}


def article_texts(client: Client, slug: str, language: str) -> list[str]:
    """The article's title, summary and body, and its page as a reader of ``language``
    sees it, in lower case."""
    article = Article.objects.get(slug=slug, language=language)
    if language == "en":
        response = client.get(article.get_absolute_url())
    else:
        response = get_in_spanish(client, spanish_url("education:article", slug))
    texts = (article.title, article.summary, article.body, main_text(response))
    return [text.lower() for text in texts]


def article_never_said(client: Client, slug: str, *, language: str, country: str) -> list[str]:
    """The patterns the article matches once its reviewed sentences are left out."""
    found = []
    for text in article_texts(client, slug, language):
        for sentence in REVIEWED_SENTENCES[language]:
            text = text.replace(sentence, "")
        found += never_said(text, country=country, emergency=False, language=language)
    return found


def where_reviewed(client: Client, sentence: str, language: str) -> str | None:
    """The seeded article whose words and page both hold ``sentence``, if any."""
    for slug in SEED_SLUGS:
        *words, page = article_texts(client, slug, language)
        if any(sentence in text for text in words) and sentence in page:
            return slug
    return None
