"""Dated facts from leaving care."""

from django.db.models import Q

from cairn.core import facts, names

from .models import LeavingCareEligibility, PathwayPlan, PathwayPlanReview, PersonalAdviserContact

facts.register(names.LEAVING_CARE_STARTED, LeavingCareEligibility, date="started_on",
               label="Eligible for leaving care support", detail="category",
               closed_by=names.LEAVING_CARE_ENDED)
facts.register(names.LEAVING_CARE_ENDED, LeavingCareEligibility, date="ended_on",
               label="Leaving care eligibility ended", detail="category")
facts.register(names.PATHWAY_PLAN_MADE, PathwayPlan, date="made_on", label="Pathway plan made")
facts.register(names.PATHWAY_PLAN_REVIEWED, PathwayPlanReview, date="reviewed_on",
               child="plan__child_id", label="Pathway plan reviewed")
# Only contact that reached the young person meets the personal adviser contact rule.
facts.register(names.PA_CONTACT_IN_TOUCH, PersonalAdviserContact, date="contacted_on",
               where=Q(in_touch="YES"), label="Personal adviser contact", detail="in_touch")
