"""Dated facts from the front door: contacts, referrals, early help and step decisions."""

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractYear

from cairn.core import facts, names

from .models import (
    Contact,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpReview,
    Referral,
    StepDecision,
)

facts.register(names.CONTACT_RECEIVED, Contact, date="received_at", key="pk",
               label="Contact received", detail="source")
# Working Together 2023 ch. 3: consent dispensed with is a manager's decision the chronology
# keeps, on the day they made it.
# The entry names the manager and the day of their decision, not only the reason: the day is
# written in the query as "16 Nov 2026" (a date cast to text reads 2026-11-16).
_MONTHS = Case(*[When(consent_dispensed_on__month=n, then=Value(m)) for n, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)],
    default=Value(""), output_field=CharField())
facts.register(names.CONSENT_DISPENSED, Contact, date="consent_dispensed_on", key="pk",
               where=Q(consent="dispensed"), label="Consent dispensed with",
               detail=Concat(
                   Value("By "), F("consent_dispensed_by__first_name"), Value(" "),
                   F("consent_dispensed_by__last_name"), Value(" on "),
                   Cast(ExtractDay("consent_dispensed_on"), CharField()), Value(" "), _MONTHS,
                   Value(" "), Cast(ExtractYear("consent_dispensed_on"), CharField()),
                   Value(": "), F("consent_dispensed_reason"), output_field=CharField()))
facts.register(names.CONTACT_DECIDED, Contact, date="decided_at", key="pk",
               label="Contact decided", detail="decision")
# A referral closed for any reason stops the clocks it started (an assessment not yet done).
facts.register(names.REFERRAL_RECEIVED, Referral, date="received_on", key="pk",
               label="Referral received", detail="source", closed_by=names.REFERRAL_CLOSED)
# The same day as REFERRAL_RECEIVED: a clock stop, not a second chronology line.
facts.register(names.REFERRAL_NFA, Referral, date="received_on", key="pk", where=Q(nfa=True),
               label="Referral: no further action", chronology=False)
facts.register(names.REFERRAL_CLOSED, Referral, date="closed_on", key="pk",
               label="Referral closed", detail="closure_reason")
facts.register(names.EARLY_HELP_STARTED, EarlyHelpEpisode, date="started_on", key="pk",
               label="Early help started", detail="organisation",
               closed_by=names.EARLY_HELP_ENDED)
facts.register(names.EARLY_HELP_ENDED, EarlyHelpEpisode, date="ended_on", key="pk",
               label="Early help ended", detail="end_reason")
# Early help's own clocks (the authority's local rules) run per episode: a plan and its reviews
# are keyed by their episode, so the end of the early help stops the review clock too.
facts.register(names.EARLY_HELP_ASSESSMENT_COMPLETED, EarlyHelpAssessment, date="completed_on",
               key="episode_id", label="Early help assessment completed",
               detail="organisation")
facts.register(names.EARLY_HELP_PLAN_STARTED, EarlyHelpPlan, date="started_on",
               key="episode_id", label="Early help plan agreed")
facts.register(names.EARLY_HELP_PLAN_ENDED, EarlyHelpPlan, date="ended_on", key="episode_id",
               label="Early help plan ended")
facts.register(names.EARLY_HELP_REVIEW_HELD, EarlyHelpReview, date="held_on",
               key="plan__episode_id", label="Early help plan reviewed")



def _said(*parts):
    """A chronology line's words built in the query: text, and fields named "@field"."""
    return Concat(*[F(p[1:]) if p.startswith("@") else Value(p) for p in parts],
                  output_field=CharField())


# F20: each step's rationale and who decided it, in the chronology: who asked and why, then
# the manager's decision and theirs; a request closed undecided says what closed it.
_DIRECTION = Case(*[When(direction=d, then=Value(label)) for d, label in
                    StepDecision.Direction.choices], default=Value(""), output_field=CharField())


def _step(*parts):
    return Concat(_DIRECTION, _said(*parts), output_field=CharField())


facts.register(names.STEP_DECISION_REQUESTED, StepDecision, date="requested_at",
               label="Step up or down asked for",
               detail=_step(". Asked for by ", "@requested_by__first_name", " ",
                            "@requested_by__last_name", ": ", "@rationale"))
facts.register(names.STEP_DECISION_AUTHORISED, StepDecision, date="authorised_at",
               label="Step up or down authorised", entered_by="authorised_by",
               entered_at="authorised_at",
               detail=_step(". Authorised by ", "@authorised_by__first_name", " ",
                            "@authorised_by__last_name", ": ", "@decision_reason",
                            " (asked for because: ", "@rationale", ")"))
facts.register(names.STEP_DECISION_DECLINED, StepDecision, date="declined_at",
               label="Step up or down declined", entered_by="declined_by",
               entered_at="declined_at",
               detail=_step(". Declined by ", "@declined_by__first_name", " ",
                            "@declined_by__last_name", ": ", "@decision_reason",
                            " (asked for because: ", "@rationale", ")"))
facts.register(names.STEP_DECISION_CLOSED, StepDecision, date="closed_at",
               label="Step up or down request closed", detail=_step(". ", "@closed_reason"),
               entered_by="closed_by", entered_at="closed_at")
