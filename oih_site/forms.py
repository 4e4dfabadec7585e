"""A form piece the apps' admin pages share."""

from __future__ import annotations

from django import forms
from django.db import models


class OpenedVersionForm(forms.ModelForm):
    """An admin form that remembers which version of its row the page showed.

    A save is refused when someone else saved the row after the page was opened, so nobody's
    work is silently replaced by another person's older page. The check locks the row; the
    admin's change view saves in the same transaction, so no save can slip in between.
    Subclasses name the timestamp that every save of the row moves (``version_field``) and
    say what to tell the person whose save was refused (``changed_since``).
    """

    version_field: str
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.version_of(self.instance)

    def version_of(self, instance: models.Model) -> str:
        moved_at = getattr(instance, self.version_field)
        return moved_at.isoformat() if moved_at else ""

    def changed_since(self, current: models.Model) -> forms.ValidationError:
        raise NotImplementedError

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        manager = type(self.instance)._default_manager
        current = manager.select_for_update(of=("self",)).get(pk=self.instance.pk)
        if self.version_of(current) != self.data.get(self.add_prefix("opened_version"), ""):
            raise self.changed_since(current)
        return cleaned
