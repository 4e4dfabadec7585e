"""Sections for rules version 2, which the result page's "Read more" links point to.

Rules version 2 (CLINICAL.md) added findings about a hard taper, a near overdose, medicines
that add to the risk, treatment for opioid use disorder, and pain the check was not made
for. Each links to a section written here. A section goes in before a named heading of the
seeded text, or at the end if an editor has since removed that heading, and is skipped if
its heading is already there. Sources are cited by their URL: the number is whatever the
article's reference list gives that source, and a missing source is added at its end.

The new words are not medically reviewed, so any recorded review of the changed articles
is cleared, as an editor's own change would clear it (education/services.py). As in 0002,
the text is frozen here; editors change articles in the admin.
"""

import datetime

from django.db import migrations
from django.utils import timezone

from education.rendering import render_markdown

ACCESSED = datetime.date(2026, 12, 6)
FDA_2019 = (
    "US Food and Drug Administration. FDA Drug Safety Communication, 9 April 2019: harm "
    "reported from sudden discontinuation of opioid pain medicines.",
    "https://www.fda.gov/drugs/drug-safety-and-availability/fda-identifies-harm-reported-"
    "sudden-discontinuation-opioid-pain-medicines-and-requires-label-changes-guide",
)
HHS_2019 = (
    "US Department of Health and Human Services. HHS Guide for Clinicians on the Appropriate "
    "Dosage Reduction or Discontinuation of Long-Term Opioid Analgesics. October 2019.",
    "https://www.hhs.gov/opioids/sites/default/files/2019-10/Dosage_Reduction_Discontinuation.pdf",
)
CDC_2022 = (
    "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
    "Prescribing Opioids for Pain — United States, 2022. MMWR Recomm Rep 2022;71(RR-3):1-95.",
    "https://doi.org/10.15585/mmwr.rr7103a1",
)

# (article slug, the heading it goes before, Markdown with {0}, {1}... for its sources, sources)
SECTIONS = [
    (
        "changing-opioid-doses-safely",
        "## Why stopping all at once is dangerous",
        "## If a lower dose makes you feel worse\n"
        "\n"
        "Sometimes a plan to lower a dose goes faster than your body can keep up with. You may "
        "have much more pain, feel sick, or feel that you can't cope. This is not your fault.\n"
        "\n"
        "If a lower dose makes you feel much worse, tell the person who prescribes your "
        "medicine. The plan can often be paused or slowed down {0} {1}. Tell them how you "
        "feel and when it started.\n"
        "\n"
        "Do not take extra, and do not get opioids from anyone else. After a few days on a "
        "lower amount, your body can no longer handle what it took before. That old amount "
        "can then cause an overdose.\n",
        [FDA_2019, HHS_2019],
    ),
    (
        "changing-opioid-doses-safely",
        "## Naloxone can save a life",
        "## Signs of a near overdose\n"
        "\n"
        "Some people have close calls before an overdose. Watch for these signs after a "
        "dose:\n"
        "\n"
        "- Someone finds you very hard to wake up.\n"
        "- Your breathing gets very slow, or stops for a short time.\n"
        "- You snore loudly and gasp in your sleep.\n"
        "\n"
        "If this has happened to you in the past month, tell the person who prescribes your "
        "medicine today {0}. Keep naloxone close, and show the people you live with how to "
        "use it. If someone can't be woken up, or their breathing is very slow, call for "
        "emergency help at once.\n",
        [CDC_2022],
    ),
    (
        "changing-opioid-doses-safely",
        "## Naloxone can save a life",
        "## Medicines that add to the risk\n"
        "\n"
        "Some medicines and habits make it more likely that opioids slow your breathing too "
        "much {0}:\n"
        "\n"
        "- medicines for anxiety or sleep, like alprazolam, diazepam, lorazepam, clonazepam "
        "or zolpidem;\n"
        "- gabapentin or pregabalin;\n"
        "- alcohol on most days;\n"
        "- sleep apnea, when your breathing stops again and again while you sleep;\n"
        "- an overdose in the past.\n"
        "\n"
        "If any of these apply to you, tell the person who prescribes your opioid. Ask if "
        "your medicines are safe together.\n"
        "\n"
        "Do not stop any of them all at once on your own. Stopping some of them suddenly can "
        "be dangerous too. This is true of medicines for anxiety or sleep, and of alcohol. "
        "Your doctor can help you plan any change.\n",
        [CDC_2022],
    ),
    (
        "opioid-induced-hyperalgesia",
        "## Talk to your doctor",
        "## When this check does not fit\n"
        "\n"
        "Our self-check is made for long-term pain that is not from cancer. The advice for "
        "pain from cancer, for sickle cell disease, and for hospice or comfort care is not "
        "the same. In those cases, opioids are often part of good care. A change in pain "
        "can also mean that the illness has changed.\n"
        "\n"
        "If your pain comes from one of these, talk to the care team that treats it about "
        "any change in your pain. They know your illness and can look at it with you.\n",
        [],
    ),
    (
        "getting-help",
        "## Other worries about your pain",
        "## If you are in treatment for opioid use\n"
        "\n"
        "Methadone and buprenorphine (for example Suboxone) are safe, proven treatments. If "
        "you get one of them from a clinic or program, stay on it. Do not stop it or lower "
        "it on your own. Stopping raises the risk of an overdose and of death {0}.\n"
        "\n"
        "Your pain can still be treated while you stay on treatment. Tell your treatment team "
        "about your pain, and ask how it can be treated. They can work with your other "
        "doctors.\n",
        [CDC_2022],
    ),
]

REASON = "Sections for the self-check's rules version 2 (not yet medically reviewed)"


def _number(apps, article, source):
    """The number the article's reference list gives ``source``, adding it if missing."""
    Reference = apps.get_model("education", "Reference")
    citation, url = source
    references = Reference.objects.filter(article=article)
    found = references.filter(url=url).order_by("order").first()
    if found is None:
        last = references.order_by("-order").values_list("order", flat=True).first() or 0
        found = Reference.objects.create(
            article=article, order=last + 1, citation=citation, url=url, accessed_on=ACCESSED
        )
    return f"[{found.order}]"


def _insert(body, before, section):
    at = body.find(f"\n{before}\n")
    if at == -1:
        return body.rstrip("\n") + "\n\n" + section
    return body[: at + 1] + section + "\n" + body[at + 1 :]


def forwards(apps, schema_editor):
    Article = apps.get_model("education", "Article")
    HistoricalArticle = apps.get_model("education", "HistoricalArticle")
    changed = {}
    for slug, before, text, sources in SECTIONS:
        article = changed.get(slug) or Article.objects.filter(slug=slug).first()
        if article is None:
            continue
        heading = text.split("\n", 1)[0]
        if f"\n{heading}\n" in f"\n{article.body}":
            continue
        numbers = [_number(apps, article, source) for source in sources]
        article.body = _insert(article.body, before, text.format(*numbers))
        changed[slug] = article
    now = timezone.now()
    copied = [
        field.attname
        for field in HistoricalArticle._meta.fields
        if not field.name.startswith("history_")
    ]
    for article in changed.values():
        rendered = render_markdown(article.body)
        article.body_html, article.toc = rendered.html, rendered.toc
        article.reviewer_name = article.reviewer_credentials = ""
        article.reviewed_on = None
        article.save()
        HistoricalArticle.objects.create(
            **{name: getattr(article, name) for name in copied},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )


class Migration(migrations.Migration):
    dependencies = [("education", "0005_body_must_show")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
