from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/download/", views.download, name="returns_download"),
    path("returns/validate/", views.validate, name="returns_validate"),
    path("returns/runs/<int:run_id>/", views.run, name="returns_run"),
]
