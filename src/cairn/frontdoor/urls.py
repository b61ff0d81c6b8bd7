from django.urls import path

from . import views, views_early_help

app_name = "frontdoor"

urlpatterns = [
    path("front-door/", views.home, name="front_door"),
    path("front-door/contacts/new/", views.contact_find_child, name="contact_find_child"),
    path("front-door/contacts/new/pass-on/", views.contact_pass, name="contact_pass"),
    path("front-door/children/<int:child_id>/contacts/new/", views.contact_new,
         name="contact_new"),
    path("front-door/contacts/<int:contact_id>/decision/", views.contact_decide,
         name="contact_decide"),
    path("front-door/contacts/<int:contact_id>/people/", views.contact_people,
         name="contact_people"),
    path("front-door/contacts/<int:contact_id>/consent-seen/", views.consent_seen,
         name="consent_seen"),
    path("front-door/referrals/<int:referral_id>/no-further-action/", views.referral_nfa,
         name="referral_nfa"),
    path("front-door/children/<int:child_id>/early-help/", views.early_help, name="early_help"),
    path("front-door/children/<int:child_id>/early-help/new/", views.early_help_start,
         name="early_help_start"),
    path("front-door/early-help/<int:episode_id>/assessments/new/",
         views.early_help_assessment_new, name="early_help_assessment_new"),
    path("front-door/early-help/<int:episode_id>/plans/new/", views.early_help_plan_new,
         name="early_help_plan_new"),
    path("front-door/early-help/plans/<int:plan_id>/needs/new/", views.early_help_need_new,
         name="early_help_need_new"),
    path("front-door/early-help/plans/<int:plan_id>/reviews/new/", views.early_help_review_new,
         name="early_help_review_new"),
    path("front-door/children/<int:child_id>/steps/new/", views.step_request,
         name="step_request"),
    path("front-door/step-decisions/<int:step_id>/", views.step_decide, name="step_decide"),
    path("front-door/children/<int:child_id>/early-help/allocate/",
         views_early_help.early_help_allocate, name="early_help_allocate"),
    path("front-door/step-decisions/<int:step_id>/withdraw/", views_early_help.step_withdraw,
         name="step_withdraw"),
]
