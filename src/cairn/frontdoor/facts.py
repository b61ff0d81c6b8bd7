"""Dated facts from the front door: contacts, referrals, early help and step decisions."""

from django.db.models import Q

from cairn.core import facts, names

from .models import Contact, EarlyHelpEpisode, Referral, StepDecision

facts.register(names.CONTACT_RECEIVED, Contact, date="received_at", key="pk",
               label="Contact received", detail="source")
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
facts.register(names.STEP_DECISION_AUTHORISED, StepDecision, date="authorised_at",
               label="Step up or down authorised", detail="direction")
