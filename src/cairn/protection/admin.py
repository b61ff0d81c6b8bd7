from django.contrib import admin

from . import models

for model in (models.Assessment, models.AssessmentDecision, models.AssessmentFactor,
              models.CINPlan, models.StrategyDiscussion, models.Section47Enquiry,
              models.SafetyPlan, models.ChildProtectionConference, models.ChildProtectionPlan,
              models.PlanCategoryChange, models.PlanNeed, models.CoreGroupMeeting, models.Visit):
    admin.site.register(model)
