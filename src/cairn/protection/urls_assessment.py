"""Referral, single assessment and child in need plan pages."""

from django.urls import path

from . import views_assessment as views

urlpatterns = [
    path("children/<int:child_id>/assessment-and-plans/", views.child_work,
         name="protection_child_work"),
    path("children/<int:child_id>/referrals/new/", views.referral_add, name="referral_add"),
    path("children/<int:child_id>/assessments/new/", views.assessment_start,
         name="assessment_start"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/decision/", views.assessment_decide,
         name="assessment_decide"),
    path("assessments/<int:assessment_id>/versions/<int:number>/", views.assessment_version,
         name="assessment_version"),
    path("children/<int:child_id>/cin-plans/new/", views.cin_plan_start, name="cin_plan_start"),
    path("cin-plans/<int:plan_id>/", views.cin_plan, name="cin_plan"),
    path("cin-plans/<int:plan_id>/needs/new/", views.plan_need_add, name="plan_need_add"),
    path("cin-plans/<int:plan_id>/needs/<int:need_id>/", views.plan_need_review,
         name="plan_need_review"),
    path("cin-plans/<int:plan_id>/visits/new/", views.cin_visit_add, name="cin_visit_add"),
    path("cin-plans/<int:plan_id>/reviews/new/", views.cin_plan_review_add,
         name="cin_plan_review_add"),
    path("cin-plans/<int:plan_id>/childs-words/", views.cin_plan_childs_words,
         name="cin_plan_childs_words"),
    path("children/<int:child_id>/protection-plans/<int:plan_id>/childs-words/",
         views.cp_plan_childs_words, name="cp_plan_childs_words"),
]
