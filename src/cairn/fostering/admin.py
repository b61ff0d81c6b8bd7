"""Admin registrations: every fact of this app, for support staff to look rows up."""

from django.contrib import admin

from . import models

for model in (
    models.FosteringHousehold,
    models.FosterCarer,
    models.FosteringAssessment,
    models.FosteringApproval,
    models.HouseholdReview,
    models.SupervisingVisit,
    models.FosteringConcern,
    models.PrivateFosteringArrangement,
    models.PrivateFosteringVisit,
):
    admin.site.register(model)
