from django.contrib import admin

from . import models

for model in (models.PreProceedings, models.PreProceedingsMeeting, models.PreProceedingsReview,
              models.CareProceedings, models.Hearing, models.CourtDirection,
              models.ProceedingsExtension, models.LegalOrder):
    admin.site.register(model)
