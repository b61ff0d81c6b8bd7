from django.urls import path

from . import views

urlpatterns = [
    path("insight/characteristics/", views.characteristics, name="characteristics"),
    path("insight/indicators/", views.indicator_list, name="indicators"),
    path("insight/indicators/<str:indicator_id>/", views.indicator, name="indicator"),
    path("insight/indicators/<str:indicator_id>/children/", views.indicator_children,
         name="indicator_children"),
    path("insight/indicators/<str:indicator_id>/children.csv", views.indicator_children_csv,
         name="indicator_children_csv"),
]

# Monthly performance reports (views_reports).
from . import views_reports  # noqa: E402

urlpatterns += [
    path("insight/reports/", views_reports.report_list, name="reports"),
    path("insight/reports/make/", views_reports.report_make, name="report_make"),
    path("insight/reports/commentary-needed/", views_reports.commentary_required,
         name="commentary_required"),
    path("insight/reports/<int:report_id>/", views_reports.report_detail, name="report"),
    path("insight/reports/<int:report_id>/sign-off/", views_reports.report_sign_off,
         name="report_sign_off"),
    path("insight/reports/<int:report_id>/commentary/<slug:indicator>/",
         views_reports.report_commentary, name="report_commentary"),
    path("insight/reports/<int:report_id>/pdf/", views_reports.report_pdf, name="report_pdf"),
]
