from django.urls import path

from . import views, views_teams

urlpatterns = [
    path("authorisations/", views.authorisations, name="authorisations"),
    path("teams/", views_teams.teams, name="teams"),
    path("teams/<int:team_id>/", views_teams.team, name="team"),
    path("children/<int:child_id>/reallocate/", views_teams.reallocate, name="reallocate"),
    path("children/<int:child_id>/allocate/", views_teams.allocate, name="allocate"),
]
