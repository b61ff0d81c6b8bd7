from django.urls import path

from . import views, views_access, views_teams

urlpatterns = [
    path("authorisations/", views.authorisations, name="authorisations"),
    path("teams/", views_teams.teams, name="teams"),
    path("teams/<int:team_id>/", views_teams.team, name="team"),
    path("children/<int:child_id>/reallocate/", views_teams.reallocate, name="reallocate"),
    path("children/<int:child_id>/allocate/", views_teams.allocate, name="allocate"),
    path("children/<int:child_id>/who-looked/", views_access.child_access_log,
         name="child_access_log"),
    path("children/<int:child_id>/subject-access/", views_access.subject_access,
         name="subject_access"),
    path("people/<int:person_id>/subject-access/", views_access.adult_subject_access,
         name="adult_subject_access"),
    path("staff/access-logs/", views_access.staff_logs, name="staff_logs"),
    path("staff/<int:staff_id>/opened/", views_access.staff_access_log, name="staff_access_log"),
]
