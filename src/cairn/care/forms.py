"""Forms for a child looked after: starting a period of care, a change of placement or legal
status, the end of care, a looked-after review and a statutory visit.

The SSDA903 codes are offered with their DfE labels. What the return rejects about where a child
is placed (postcodes, the Ofsted URN) is checked here, where the worker types it.
"""

from __future__ import annotations

import re

from django import forms

from cairn.core.forms import GovukForm, VersionedForm, text, yes_no
from cairn.core.forms import date_question as date

from .models import (
    NO_PROVIDER_PLACEMENTS,
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReasonPlaceChange,
    ReviewParticipation,
)

# SSDA903 rules 218 and 222: these placements carry no Ofsted URN; every other one needs it.
NO_URN_PLACEMENTS = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4",
                     "Z11", "Z12", "Z13", "Z14"}
# Rules 214 and 398: short breaks (V3, V4) carry no placement location at all.
SHORT_BREAKS = {"V3", "V4"}
# A UK postcode in its usual shape (rule 392c checks it against the postcode list).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
URN = re.compile(r"^[A-Z0-9]{6,8}$")


def coded(choices) -> list[tuple[str, str]]:
    """DfE codes with their labels, the code last so the label can be read first."""
    return [(value, f"{label} ({value})") for value, label in choices]


def _select(label: str, choices, message: str, *, required: bool = True, empty: str = "",
            **kwargs):
    return forms.ChoiceField(
        label=label, choices=[("", empty or "Choose one"), *coded(choices)],
        required=required, error_messages={"required": message}, **kwargs)


def _radios(label: str, choices, message: str, *, required: bool = True, **kwargs):
    return forms.ChoiceField(label=label, choices=coded(choices), widget=forms.RadioSelect,
                             required=required, error_messages={"required": message}, **kwargs)


def _code(label: str, *, help_text: str = ""):
    return text(label, required=False, area=False, max_length=8, help_text=help_text)


def _postcode(value: str) -> str:
    value = " ".join((value or "").upper().split())
    if value and " " not in value and len(value) > 4:
        value = f"{value[:-3]} {value[-3:]}"
    return value


def placement_types_needing_urn() -> str:
    return ", ".join(sorted(set(PlacementType.values) - NO_URN_PLACEMENTS))


def check_location(form, data: dict, *, legal_status: str, placement_type: str,
                   home_postcode: str) -> None:
    """Put on the form's fields what the SSDA903 would reject about where the child is placed."""
    placement_postcode = data.get("placement_postcode", "")
    urn = data.get("urn", "")
    if placement_postcode and not POSTCODE.match(placement_postcode):
        form.add_error("placement_postcode", "Enter a real postcode, like LS6 1AA")
    if urn and not URN.match(urn):
        form.add_error("urn", "Enter the Ofsted URN, like SC123456")
    if legal_status in SHORT_BREAKS:
        if placement_postcode:
            form.add_error("placement_postcode",
                           "Leave the placement postcode blank for a short break")
        if urn:
            form.add_error("urn", "Leave the Ofsted URN blank for a short break")
        return
    if not placement_type:
        return
    if placement_type in NO_URN_PLACEMENTS:
        if urn:
            form.add_error("urn", "This type of placement has no Ofsted URN: leave it blank")
    elif not urn and "urn" not in form.errors:
        form.add_error("urn", "Enter the Ofsted URN of the placement")
    if not placement_postcode:
        if "placement_postcode" not in form.errors:
            form.add_error("placement_postcode", "Enter the postcode of the placement")
    elif placement_postcode == home_postcode and placement_type != "P1":
        form.add_error("placement_postcode", "The placement postcode is the same as the home "
                       "postcode: that is only right for a placement with parents")


class PlacementFields(GovukForm):
    """What the placement is: its type, provider, postcode and Ofsted URN."""

    placement_type = _select("Placement type", PlacementType.choices,
                             "Select the placement type", empty="Choose the placement type")
    placement_provider = _radios(
        "Placement provider", PlacementProvider.choices, "Select the placement provider",
        required=False,
        help_text="Leave blank for a temporary placement or an other placement (Z11 to Z14)")
    placement_postcode = _code("Placement postcode")
    urn = _code("Ofsted URN of the placement",
                help_text="The unique reference number Ofsted gives registered provision, "
                          "like SC123456. Not needed for a placement with parents, residential "
                          "employment, a residential care home, NHS care, custody, a temporary "
                          "placement or an other placement.")

    def clean_placement_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("placement_postcode", ""))

    def clean_urn(self) -> str:
        return (self.cleaned_data.get("urn") or "").strip().upper()

    def clean(self):
        data = super().clean()
        if (data.get("placement_type") in NO_PROVIDER_PLACEMENTS
                and data.get("placement_provider")):
            self.add_error("placement_provider", "This type of placement has no placement "
                           "provider: leave it blank")
        return data


class StartCareForm(PlacementFields):
    started_on = date("Date the child started to be looked after",
                      "Enter the date the child started to be looked after")
    legal_status = _select("Legal status", LegalStatus.choices, "Select the legal status",
                           empty="Choose the legal status")
    category_of_need = _radios("Category of need", CategoryOfNeed.choices,
                               "Select the category of need")
    home_postcode = _code("Home postcode",
                          help_text="Where the child lived before coming into care")

    field_order = ["started_on", "legal_status", "category_of_need", "placement_type",
                   "placement_provider", "placement_postcode", "urn", "home_postcode"]

    def clean_home_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("home_postcode", ""))

    def clean(self):
        data = super().clean()
        home = data.get("home_postcode", "")
        status = data.get("legal_status", "")
        if home and not POSTCODE.match(home):
            self.add_error("home_postcode", "Enter a real postcode, like LS6 1AA")
        if status in SHORT_BREAKS and home:
            self.add_error("home_postcode", "Leave the home postcode blank for a short break")
        elif status and status not in SHORT_BREAKS and not home:
            self.add_error("home_postcode", "Enter the postcode where the child lived before "
                           "coming into care")
        check_location(self, data, legal_status=status,
                       placement_type=data.get("placement_type", ""), home_postcode=home)
        return data


# The reasons for a new episode within a period of care (S starts one: that is the start page).
CHANGES = [(value, label) for value, label in ReasonNewEpisode.choices
           if value != ReasonNewEpisode.STARTED]


class EpisodeForm(VersionedForm):
    """A change to the open episode: carries which episode, and its version, the page showed."""

    episode = forms.IntegerField(widget=forms.HiddenInput)


class ChangeForm(EpisodeForm, PlacementFields):
    """A change within a period of care: a new episode, its reason (RNE) following what changed."""

    changed_on = date("Date of the change", "Enter the date of the change")
    reason_new_episode = _radios("What changed?", CHANGES, "Select what changed")
    legal_status = _select("Legal status from this date", LegalStatus.choices,
                           "Select the legal status", empty="Choose the legal status",
                           required=False)
    reason_place_change = _select(
        "Reason for the placement change", ReasonPlaceChange.choices,
        "Select why the placement changed", required=False, empty="Choose the reason",
        help_text="Not needed for a change of legal status only, or a return from a temporary "
                  "placement")

    field_order = ["changed_on", "reason_new_episode", "legal_status", "placement_type",
                   "placement_provider", "placement_postcode", "urn", "reason_place_change"]

    def __init__(self, *args, episode, **kwargs):
        self.episode = episode
        super().__init__(*args, **kwargs)
        self.fields["placement_type"].required = False

    def clean(self):
        data = super().clean()
        rne = data.get("reason_new_episode")
        if not rne:
            return data
        if rne == ReasonNewEpisode.LEGAL_STATUS:
            # Only the legal status changes: the placement stays as it is.
            for name in ("placement_type", "placement_provider", "placement_postcode", "urn"):
                data[name] = getattr(self.episode, name)
                self.errors.pop(name, None)
            data["reason_place_change"] = ""
        elif not data.get("placement_type"):
            self.add_error("placement_type", "Select the placement type")
        if not data.get("legal_status"):
            if rne in {"L", "B", "U"}:
                self.add_error("legal_status", "Select the new legal status")
            data["legal_status"] = self.episode.legal_status
        if rne != ReasonNewEpisode.LEGAL_STATUS:
            check_location(self, data, legal_status=data["legal_status"],
                           placement_type=data.get("placement_type", ""),
                           home_postcode=self.episode.home_postcode)
        return data


class EndCareForm(EpisodeForm):
    ended_on = date("Date the child stopped being looked after",
                    "Enter the date the child stopped being looked after")
    reason_ceased = _select(
        "Reason the period of care ended",
        [(v, label) for v, label in ReasonEpisodeCeased.choices if v != ReasonEpisodeCeased.X1],
        "Select why the child stopped being looked after", empty="Choose the reason")


class ReviewForm(GovukForm):
    held_on = date("Date of the review", "Enter the date of the review")
    participation = _radios("How the child took part", ReviewParticipation.choices,
                            "Select how the child took part in the review")
    notes = text("Notes", required=False)


class StatutoryVisitForm(GovukForm):
    visited_on = date("Date of the visit", "Enter the date of the visit")
    seen = yes_no("Was the child seen?", message="Select yes if the child was seen")
    seen_alone = yes_no("Was the child seen alone?",
                        message="Select yes if the child was seen alone")
    notes = text("Notes", required=False)
