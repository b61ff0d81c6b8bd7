from django.urls import path

from . import actions, correction, restriction, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search, name="search"),
    path("children/<int:child_id>/", views.child, name="child"),
    path("children/<int:child_id>/chronology/", views.child_chronology, name="child_chronology"),
    path("children/<int:child_id>/timescales/", views.child_timescales, name="child_timescales"),
    path("children/<int:child_id>/relationships/", views.child_relationships,
         name="child_relationships"),
    path("children/<int:child_id>/case-notes/", views.child_case_notes, name="child_case_notes"),
    path("children/<int:child_id>/actions/", views.child_actions, name="child_actions"),
    path("children/<int:child_id>/case-notes/new/", views.case_note_add, name="case_note_add"),
    path("children/<int:child_id>/details/", views.child_details, name="child_details"),
    path("children/<int:child_id>/record/<str:fact_name>/<int:pk>/remove/",
         correction.entry_remove_page, name="entry_remove"),
    path("children/<int:child_id>/actions/<int:pk>/done/", actions.action_done_page,
         name="action_done"),
    path("children/<int:child_id>/actions/<int:pk>/cancel/", actions.action_cancel_page,
         name="action_cancel"),
    path("children/<int:child_id>/actions/new/<str:source>/<int:source_id>/",
         actions.action_add_page, name="action_add"),
    path("children/<int:child_id>/access/", restriction.child_access, name="child_access"),
    path("children/<int:child_id>/access/restrict/", restriction.child_restrict,
         name="child_restrict"),
    path("children/<int:child_id>/access/lift/", restriction.child_restriction_lift,
         name="child_restriction_lift"),
    path("children/<int:child_id>/access/add/", restriction.child_access_add,
         name="child_access_add"),
    path("children/<int:child_id>/access/<int:grant_id>/end/", restriction.child_access_end,
         name="child_access_end"),
]
