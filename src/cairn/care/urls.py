from django.urls import path

from . import views

CHILD = "children/<int:child_id>/"

urlpatterns = [
    path(CHILD + "care/", views.care_record, name="care_record"),
    path(CHILD + "care/start/", views.care_start, name="care_start"),
    path(CHILD + "care/change/", views.care_change, name="care_change"),
    path(CHILD + "care/end/", views.care_end, name="care_end"),
    path(CHILD + "care/reviews/new/", views.review_add, name="cla_review_add"),
    path(CHILD + "care/visits/new/", views.visit_add, name="cla_visit_add"),
]
