"""Forms for the self-check: one per question page, built from questionnaire.py.

Forms validate and convert, nothing else. Field names are question ids and values are
answer codes, so what a browser posts is exactly what is stored.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from screening import flow
from screening.models import DELETION_KEY_LENGTH, REFERENCE_LENGTH, normalize_reference
from screening.questionnaire import SCALE_MAX, SCALE_MIN, Kind, Question

# The hint under the question and above the choices (GOV.UK, NHS): crispy's own layout puts it
# after the last choice, where someone has already answered before reading it.
CHOICE_TEMPLATE = "screening/includes/choice_field.html"
_CHOICE_INPUT = {"class": "form-check-input"}


def _choice_layout(name: str, *, scale: bool = False) -> Layout:
    return Layout(
        Field(name, template=CHOICE_TEMPLATE, wrapper_class="scale-field" if scale else "")
    )


# format_html for lazy words: the markup is built when the form is shown, in its language.
format_html_lazy = lazy(format_html, SafeString)


def _helper() -> FormHelper:
    helper = FormHelper()
    # The page template owns the <form> tag (with novalidate) and the buttons.
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class StartForm(forms.Form):
    """The privacy choice, which has no default: the person must pick one."""

    SAVE = "save"
    SHOW_ONLY = "show_only"

    privacy = forms.ChoiceField(
        # Lazy, like the words in it: a label built when this module loads would stay in
        # the language of that moment.
        label=format_html_lazy(
            '<span class="h4">{}</span>', _("What should happen to your answers?")
        ),
        choices=[
            (
                SAVE,
                _(
                    "Save my answers so my care team can look them up with a reference code. "
                    "I can delete them at any time."
                ),
            ),
            (SHOW_ONLY, _("Only show me my result. Nothing is saved for my care team.")),
        ],
        # ADR 0004: even unsaved, the answers wait in the server-side session until it ends.
        help_text=_(
            "While you do the check, your answers are kept on our server. If you only see "
            "your result, they are deleted within 2 days after you stop."
        ),
        widget=forms.RadioSelect(attrs=_CHOICE_INPUT),
        error_messages={
            "required": _("Choose whether to save your answers or only see your result."),
            "invalid_choice": _("Choose one of the two options shown."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = _choice_layout("privacy")

    @property
    def save_chosen(self) -> bool:
        return self.cleaned_data["privacy"] == self.SAVE


class QuestionForm(forms.Form):
    """A single question's page, whatever its kind."""

    def __init__(self, *args: object, question: Question, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[question.id] = self._field(question)
        self.helper = _helper()
        self.helper.layout = _choice_layout(question.id, scale=question.kind is Kind.SCALE)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        # The question is the page's heading, inside the fieldset's legend.
        label = format_html('<h1 class="h3 mb-0">{}</h1>', question.text)
        common = {"label": label, "help_text": question.help_text, "required": True}
        if question.kind is Kind.SCALE:
            numbers = range(SCALE_MIN, SCALE_MAX + 1)
            return forms.TypedChoiceField(
                **common,
                choices=[(str(n), str(n)) for n in numbers],
                coerce=int,
                widget=forms.RadioSelect(attrs=_CHOICE_INPUT),
                error_messages={
                    "required": _("Choose a number from 0 to 10."),
                    "invalid_choice": _("Choose a whole number from 0 to 10."),
                },
            )
        choices = [(choice.code, choice.label) for choice in question.choices]
        if question.kind is Kind.MULTI:
            return forms.MultipleChoiceField(
                **common,
                choices=choices,
                widget=forms.CheckboxSelectMultiple(attrs=_CHOICE_INPUT),
                error_messages={
                    "required": _("Tick at least one answer, or the 'none' answer."),
                    "invalid_choice": _("Tick only the answers shown."),
                },
            )
        return forms.ChoiceField(
            **common,
            choices=choices,
            widget=forms.RadioSelect(attrs=_CHOICE_INPUT),
            error_messages={
                "required": _("Choose an answer."),
                "invalid_choice": _("Choose one of the answers shown."),
            },
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        question = self.question
        value = cleaned.get(question.id)
        if question.kind is Kind.MULTI and value:
            # Keep the questionnaire's order and drop repeats a tampered form might send.
            ticked = [code for code in question.codes if code in value]
            lonely = [code for code in ticked if code in question.exclusive]
            others = [code for code in ticked if code not in question.exclusive]
            if lonely and others and flow.answer_ends_check(question, others):
                # An emergency sign ticked with "none" still wins: help must not wait while
                # someone puts the form right.
                cleaned[question.id] = others
            elif lonely and others:
                self.add_error(
                    question.id,
                    forms.ValidationError(
                        _("'%(answer)s' can't be ticked together with other answers."),
                        code="exclusive",
                        params={"answer": question.choice(lonely[0]).label},
                    ),
                )
            else:
                cleaned[question.id] = ticked
        return cleaned

    @property
    def answer(self) -> object:
        return self.cleaned_data[self.question.id]


class DeleteSavedForm(forms.Form):
    """The reference code and the deletion key shown with a saved result."""

    reference_code = forms.CharField(
        label=_("Reference code"),
        help_text=_("8 letters and numbers, for example ACDE-FGHJ."),
        max_length=40,
        error_messages={"required": _("Enter the reference code.")},
    )
    deletion_key = forms.CharField(
        label=_("Deletion key"),
        help_text=_("16 letters and numbers, shown with your reference code."),
        max_length=60,
        error_messages={"required": _("Enter the deletion key.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        for field in self.fields.values():
            field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_reference_code(self) -> str:
        code = normalize_reference(self.cleaned_data["reference_code"])
        if len(code) != REFERENCE_LENGTH:
            raise forms.ValidationError(
                _("A reference code has 8 letters and numbers. Check it and try again."),
                code="reference_length",
            )
        return code

    def clean_deletion_key(self) -> str:
        key = normalize_reference(self.cleaned_data["deletion_key"])
        if len(key) != DELETION_KEY_LENGTH:
            raise forms.ValidationError(
                _("A deletion key has 16 letters and numbers. Check it and try again."),
                code="key_length",
            )
        return key
