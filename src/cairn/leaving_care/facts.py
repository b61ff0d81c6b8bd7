"""Dated facts from leaving care."""

from django.db.models import Q

from cairn.core import facts

from .models import LeavingCareEligibility, PathwayPlan, PathwayPlanReview, PersonalAdviserContact

facts.register("leaving_care_started", LeavingCareEligibility, date="started_on",
               label="Eligible for leaving care support", detail="category")
facts.register("leaving_care_ended", LeavingCareEligibility, date="ended_on",
               label="Leaving care eligibility ended", detail="category")
facts.register("pathway_plan_made", PathwayPlan, date="made_on", label="Pathway plan made")
facts.register("pathway_plan_reviewed", PathwayPlanReview, date="reviewed_on",
               child="plan__child_id", label="Pathway plan reviewed")
# Only contact that reached the young person keeps the 8-week clock.
facts.register("pa_contact", PersonalAdviserContact, date="contacted_on", where=Q(in_touch="YES"),
               label="Personal adviser contact", detail="in_touch")
