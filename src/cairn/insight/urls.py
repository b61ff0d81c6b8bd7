from django.urls import path

from . import views

urlpatterns = [
    path("insight/characteristics/", views.characteristics, name="characteristics"),
]
