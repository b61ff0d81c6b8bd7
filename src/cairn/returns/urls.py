from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/download/", views.download, name="returns_download"),
    path("returns/validate/", views.validate, name="returns_validate"),
    path("returns/runs/<int:run_id>/", views.run, name="returns_run"),
    path("returns/jobs/<int:job_id>/", views.job, name="returns_job"),
    path("returns/jobs/<int:job_id>/status/", views.job_status, name="returns_job_status"),
    path("returns/jobs/<int:job_id>/file/", views.job_file, name="returns_job_file"),
]
