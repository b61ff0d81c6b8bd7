from django.contrib import admin

from . import models

for model in (models.Contact, models.Referral, models.EarlyHelpEpisode,
              models.EarlyHelpAssessment, models.EarlyHelpPlan, models.EarlyHelpReview,
              models.StepDecision):
    admin.site.register(model)
