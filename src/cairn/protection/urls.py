from django.urls import path

from . import views
from .urls_assessment import urlpatterns as assessment_urls

PLAN = "children/<int:child_id>/protection-plans/<int:plan_id>/"

urlpatterns = [
    *assessment_urls,
    path("children/<int:child_id>/protection/", views.protection_record,
         name="protection_record"),
    path("children/<int:child_id>/strategy-discussions/new/", views.strategy_discussion_add,
         name="strategy_discussion_add"),
    path("children/<int:child_id>/section-47/new/", views.section47_start,
         name="section47_start"),
    path("children/<int:child_id>/section-47/<int:enquiry_id>/outcome/",
         views.section47_outcome, name="section47_outcome"),
    path("children/<int:child_id>/safety-plans/new/", views.safety_plan_add,
         name="safety_plan_add"),
    path("children/<int:child_id>/safety-plans/<int:safety_plan_id>/",
         views.safety_plan_print, name="safety_plan_print"),
    path("children/<int:child_id>/safety-plans/<int:safety_plan_id>/end/",
         views.safety_plan_end, name="safety_plan_end"),
    path("children/<int:child_id>/conferences/initial/new/", views.initial_conference_add,
         name="initial_conference_add"),
    path("children/<int:child_id>/conferences/chair/new/", views.conference_chair_ask,
         name="conference_chair_ask"),
    path("conferences/to-chair/", views.conferences_to_chair, name="conferences_to_chair"),
    path("conferences/initial/late/", views.late_initial_conferences,
         name="late_initial_conferences"),
    path(PLAN, views.cp_plan, name="cp_plan"),
    path(PLAN + "reviews/new/", views.review_conference_add, name="review_conference_add"),
    path(PLAN + "needs/new/", views.plan_need_add, name="cp_plan_need_add"),
    path(PLAN + "core-groups/new/", views.core_group_add, name="core_group_add"),
    path(PLAN + "visits/new/", views.visit_add, name="cp_visit_add"),
    path(PLAN + "end/", views.plan_end, name="cp_plan_end"),
]
