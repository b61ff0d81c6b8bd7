"""Admin registrations: every fact of this app, for support staff to look rows up."""

from django.contrib import admin

from . import models

for model in (
    models.PermanencePlan,
    models.AdoptionDecision,
    models.PlacementOrder,
    models.AdopterFamily,
    models.ProspectiveAdopter,
    models.AdoptionMatch,
    models.PlacedForAdoption,
    models.AdoptionOrder,
    models.SpecialGuardianshipOrder,
    models.PreviousPermanence,
):
    admin.site.register(model)
