"""Admin registrations: every fact of this app, for support staff to look rows up."""

from django.contrib import admin

from . import models

for model in (
    models.LeavingCareEligibility,
    models.PathwayPlan,
    models.PathwayPlanReview,
    models.PersonalAdviserContact,
    models.CareLeaverAccommodation,
    models.CareLeaverActivity,
):
    admin.site.register(model)
