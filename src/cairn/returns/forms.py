"""The returns page's one form: which return, for which year or day."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from cairn.core.forms import DateInputField, GovukForm

from .models import ReturnKind


def collection_years() -> list[tuple[int, str]]:
    """The collection years an analyst may want: the current one and the five before."""
    today = timezone.localdate()
    latest = today.year + (1 if today >= date(today.year, 4, 1) else 0)
    return [(y, f"{y - 1} to {y} (1 April {y - 1} to 31 March {y})")
            for y in range(latest, latest - 6, -1)]


class ReturnForm(GovukForm):
    kind = forms.ChoiceField(label="Return", choices=ReturnKind.choices,
                             error_messages={"required": "Select a return"})
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=collection_years,
                                  help_text="For the CIN census and the SSDA903")
    as_of = DateInputField(label="Date the Annex A lists run to", required=False,
                           help_text="Leave blank for 31 March of the collection year. "
                                     "For example, 31 3 2026")

    def day(self) -> date:
        data = self.cleaned_data
        return data.get("as_of") or date(data["year"], 3, 31)

    def year_for(self) -> int:
        """The run's year: the collection year, or Annex A's as-at year."""
        data = self.cleaned_data
        return self.day().year if data["kind"] == ReturnKind.ANNEX_A else data["year"]
