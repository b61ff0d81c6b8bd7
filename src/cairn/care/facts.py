"""Dated facts from children looked after: episodes, reviews, visits, health, PEPs, missing,
deprivation of liberty orders."""

from django.db.models import Q

from cairn.core import facts

from .models import (LEGAL_STATUS_RNE, PLACEMENT_RNE, CarePlanningMeeting, CLAReview, DentalCheck,
                     DeprivationOfLibertyOrder, HealthAssessment, LookedAfterEpisode,
                     MissingEpisode, PersonalEducationPlan, ReturnHomeInterview, StatutoryVisit)

facts.register("looked_after_started", LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode="S"), label="Started to be looked after",
               detail="legal_status")
facts.register("looked_after_ceased", LookedAfterEpisode, date="ended_on",
               where=~Q(reason_ceased="") & ~Q(reason_ceased="X1"),
               label="Ceased to be looked after", detail="reason_ceased")
facts.register("placement_started", LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode__in=sorted(PLACEMENT_RNE)), label="Placement started",
               detail="placement_type")
facts.register("placement_ended", LookedAfterEpisode, date="ended_on", label="Episode ended",
               detail="reason_ceased", chronology=False)
facts.register("legal_status_changed", LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode__in=sorted(LEGAL_STATUS_RNE)),
               label="Legal status changed", detail="legal_status")
facts.register("cla_review_held", CLAReview, date="held_on", label="Looked-after review held",
               detail="participation")
# Regulation 28 visits are visits at which the child is seen.
facts.register("cla_visit", StatutoryVisit, date="visited_on", where=Q(seen=True),
               label="Statutory visit (looked after)")
facts.register("iha_done", HealthAssessment, date="done_on",
               where=Q(kind=HealthAssessment.Kind.INITIAL), label="Initial health assessment",
               chronology=False)
facts.register("rha_done", HealthAssessment, date="done_on",
               where=Q(kind=HealthAssessment.Kind.REVIEW), label="Review health assessment",
               chronology=False)
facts.register("health_assessment_done", HealthAssessment, date="done_on",
               label="Health assessment", detail="kind")
facts.register("dental_check", DentalCheck, date="checked_on", label="Dental check")
facts.register("pep_held", PersonalEducationPlan, date="held_on",
               label="Personal education plan meeting")
facts.register("missing_started", MissingEpisode, date="started_at", key="pk",
               label="Went missing", detail="kind")
facts.register("missing_returned", MissingEpisode, date="ended_at", key="pk",
               label="Returned from missing", detail="kind")
facts.register("rhi_done", ReturnHomeInterview, date="held_on", key="missing_episode_id",
               child="missing_episode__child_id", label="Return home interview")
facts.register("care_planning_meeting", CarePlanningMeeting, date="held_on",
               label="Care planning meeting", detail="purpose")
facts.register("dolo_started", DeprivationOfLibertyOrder, date="started_on",
               label="Deprivation of liberty order made", detail="authorised_by")
facts.register("dolo_ended", DeprivationOfLibertyOrder, date="ended_on",
               label="Deprivation of liberty order ended", detail="authorised_by")
