from django.urls import path

from . import views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("children/<int:child_id>/reallocate/", views.reallocate, name="reallocate"),
    path("children/<int:child_id>/allocate/", views.allocate, name="allocate"),
]
