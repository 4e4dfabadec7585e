"""Which question pages a patient may open (screening/flow.py)."""

import random

import pytest

from screening import flow
from screening.demo import random_answers
from screening.questionnaire import QUESTIONS


def in_turn_by_definition(question, answers):
    """The rule as DESIGN.md puts it: a page that applies, with every page before it done.

    Its turn has come: the pages before it that apply, in order. Not yet: None.
    """
    shown = flow.shown_questions(answers)
    if question not in shown:
        return None
    before = shown[: shown.index(question)]
    return before if all(earlier.id in answers for earlier in before) else None


@pytest.mark.parametrize("seed", range(40))
def test_a_page_opens_once_it_applies_and_every_page_before_it_is_done(seed):
    rng = random.Random(seed)
    walk = list(random_answers(rng).items())
    for length in range(len(walk) + 1):
        answers = dict(walk[:length])
        # Gaps too, as a changed answer or a skipped page would leave them.
        holey = {key: value for key, value in answers.items() if rng.random() < 0.7}
        for state in (answers, holey):
            for question in QUESTIONS:
                assert flow.in_turn(question, state) == in_turn_by_definition(question, state), (
                    question.id,
                    state,
                )


def test_the_first_page_always_opens_and_a_later_one_waits_its_turn():
    first, second = flow.shown_questions({})[:2]
    assert flow.in_turn(first, {}) == []
    assert flow.in_turn(second, {}) is None
    assert flow.in_turn(second, {first.id: "no"}) == [first]
