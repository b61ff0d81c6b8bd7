"""Dated facts from the front door: contacts, referrals, early help and step decisions."""

from django.db.models import Q

from cairn.core import facts

from .models import Contact, EarlyHelpEpisode, Referral, StepDecision

facts.register("contact_received", Contact, date="received_at", key="pk",
               label="Contact received", detail="source")
facts.register("contact_decided", Contact, date="decided_at", key="pk",
               label="Contact decided", detail="decision")
facts.register("referral_received", Referral, date="received_on", key="pk",
               label="Referral received", detail="source")
# The same day as referral_received: a clock stop, not a second chronology line.
facts.register("referral_nfa", Referral, date="received_on", key="pk", where=Q(nfa=True),
               label="Referral: no further action", chronology=False)
facts.register("referral_closed", Referral, date="closed_on", key="pk",
               label="Referral closed", detail="closure_reason")
facts.register("early_help_started", EarlyHelpEpisode, date="started_on", key="pk",
               label="Early help started", detail="organisation")
facts.register("early_help_ended", EarlyHelpEpisode, date="ended_on", key="pk",
               label="Early help ended", detail="end_reason")
facts.register("step_decision", StepDecision, date="authorised_at",
               label="Step up or down authorised", detail="direction")
