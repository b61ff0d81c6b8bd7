"""Dated facts from children looked after: episodes, reviews, visits, health, PEPs, missing,
deprivation of liberty orders."""

from django.db.models import Q

from cairn.core import facts, names

from .models import (
    LEGAL_STATUS_RNE,
    PLACEMENT_RNE,
    CarePlanningMeeting,
    CLAReview,
    DentalCheck,
    DeprivationOfLibertyOrder,
    HealthAssessment,
    LookedAfterEpisode,
    MissingEpisode,
    PersonalEducationPlan,
    ReturnHomeInterview,
    StatutoryVisit,
)

facts.register(names.LOOKED_AFTER_STARTED, LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode="S"), label="Started to be looked after",
               detail="legal_status", closed_by=names.LOOKED_AFTER_CEASED)
facts.register(names.LOOKED_AFTER_CEASED, LookedAfterEpisode, date="ended_on",
               where=~Q(reason_ceased="") & ~Q(reason_ceased="X1"),
               label="Ceased to be looked after", detail="reason_ceased")
facts.register(names.PLACEMENT_STARTED, LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode__in=sorted(PLACEMENT_RNE)), label="Placement started",
               detail="placement_type")
facts.register(names.EPISODE_ENDED, LookedAfterEpisode, date="ended_on", label="Episode ended",
               detail="reason_ceased", chronology=False)
facts.register(names.LEGAL_STATUS_CHANGED, LookedAfterEpisode, date="started_on",
               where=Q(reason_new_episode__in=sorted(LEGAL_STATUS_RNE)),
               label="Legal status changed", detail="legal_status")
facts.register(names.CLA_REVIEW_HELD, CLAReview, date="held_on", label="Looked-after review held",
               detail="participation")
# Regulation 28 visits are visits at which the child is seen.
facts.register(names.CLA_VISIT_SEEN, StatutoryVisit, date="visited_on", where=Q(seen=True),
               label="Statutory visit (looked after)")
facts.register(names.INITIAL_HEALTH_DONE, HealthAssessment, date="done_on",
               where=Q(kind=HealthAssessment.Kind.INITIAL), label="Initial health assessment",
               chronology=False)
facts.register(names.REVIEW_HEALTH_DONE, HealthAssessment, date="done_on",
               where=Q(kind=HealthAssessment.Kind.REVIEW), label="Review health assessment",
               chronology=False)
facts.register(names.HEALTH_ASSESSMENT_DONE, HealthAssessment, date="done_on",
               label="Health assessment", detail="kind")
facts.register(names.DENTAL_CHECK_DONE, DentalCheck, date="checked_on", label="Dental check")
facts.register(names.PEP_HELD, PersonalEducationPlan, date="held_on",
               label="Personal education plan meeting")
facts.register(names.MISSING_STARTED, MissingEpisode, date="started_at", key="pk",
               label="Went missing", detail="kind")
facts.register(names.MISSING_RETURNED, MissingEpisode, date="ended_at", key="pk",
               label="Returned from missing", detail="kind")
# Missing episodes are dated to the minute: the return interview clock, in hours, counts from the
# moment of return. An interview's offer and meeting are recorded as dates only.
facts.register(names.RHI_OFFERED, ReturnHomeInterview, date="offered_on",
               key="missing_episode_id", child="missing_episode__child_id",
               label="Return home interview offered")
facts.register(names.RHI_HELD, ReturnHomeInterview, date="held_on", key="missing_episode_id",
               child="missing_episode__child_id", label="Return home interview")
facts.register(names.CARE_PLANNING_MEETING_HELD, CarePlanningMeeting, date="held_on",
               label="Care planning meeting", detail="purpose")
facts.register(names.DOLO_STARTED, DeprivationOfLibertyOrder, date="started_on",
               label="Deprivation of liberty order made", detail="authorised_by",
               closed_by=names.DOLO_ENDED)
facts.register(names.DOLO_ENDED, DeprivationOfLibertyOrder, date="ended_on",
               label="Deprivation of liberty order ended", detail="authorised_by")
