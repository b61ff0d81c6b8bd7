from django.urls import path

from . import views

urlpatterns = [
    path("authorisations/", views.authorisations, name="authorisations"),
]
