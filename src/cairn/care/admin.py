"""Admin registrations: every fact of this app, for support staff to look rows up."""

from django.contrib import admin

from . import models

for model in (
    models.LookedAfterEpisode,
    models.CLAReview,
    models.StatutoryVisit,
    models.HealthAssessment,
    models.DentalCheck,
    models.Immunisation,
    models.StrengthsDifficultiesScore,
    models.Conviction,
    models.SubstanceMisuse,
    models.PersonalEducationPlan,
    models.PEPTarget,
    models.MissingEpisode,
    models.ReturnHomeInterview,
    models.CarePlan,
    models.CarePlanningMeeting,
    models.IROContact,
):
    admin.site.register(model)
