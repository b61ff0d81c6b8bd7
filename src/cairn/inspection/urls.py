from django.urls import path

from . import views

urlpatterns = [
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.record_inspection, name="record_inspection"),
    path("inspections/<int:inspection_id>/", views.inspection, name="inspection"),
    path("inspections/<int:inspection_id>/judgements/", views.judgements,
         name="inspection_judgements"),
    path("inspections/<int:inspection_id>/areas/new/", views.add_area,
         name="inspection_add_area"),
    path("inspections/<int:inspection_id>/annex-a/", views.annex_a, name="inspection_annex_a"),
    path("inspections/<int:inspection_id>/inspector-access/new/", views.grant_access,
         name="grant_inspector_access"),
    path("improvement-plan/", views.improvement_plan, name="improvement_plan"),
    path("improvement-plan/areas/<int:area_id>/actions/new/", views.add_action,
         name="improvement_add_action"),
    path("improvement-plan/actions/<int:improvement_action_id>/", views.improvement_action,
         name="improvement_action"),
    path("improvement-plan/actions/<int:improvement_action_id>/progress/",
         views.action_progress, name="improvement_action_progress"),
    path("improvement-plan/actions/<int:improvement_action_id>/evidence/",
         views.action_evidence, name="improvement_action_evidence"),
    path("inspector-access/<int:access_id>/", views.inspector_access, name="inspector_access"),
    path("inspector-access/<int:access_id>/end/", views.end_access, name="end_inspector_access"),
]
