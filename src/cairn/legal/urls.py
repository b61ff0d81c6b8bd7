from django.urls import path

from . import views

CHILD = "children/<int:child_id>/"
PLO = CHILD + "pre-proceedings/<int:plo_id>/"
PROCEEDINGS = CHILD + "care-proceedings/<int:proceedings_id>/"

urlpatterns = [
    path("legal/", views.legal_tracker, name="legal_tracker"),
    path("legal/directions/", views.direction_compliance, name="direction_compliance"),
    path(CHILD + "legal/", views.legal_record, name="legal_record"),
    path(CHILD + "pre-proceedings/new/", views.pre_proceedings_start,
         name="pre_proceedings_start"),
    path(PLO + "letter/", views.letter_record, name="plo_letter"),
    path(PLO + "meetings/new/", views.meeting_add, name="plo_meeting_add"),
    path(PLO + "reviews/new/", views.review_add, name="plo_review_add"),
    path(PLO + "end/", views.pre_proceedings_end, name="plo_end"),
    path(CHILD + "emergency-orders/new/", views.emergency_order_record,
         name="emergency_order_record"),
    path(CHILD + "emergency-orders/<int:order_id>/extend/", views.emergency_order_extend,
         name="emergency_order_extend"),
    path(CHILD + "care-proceedings/new/", views.proceedings_issue, name="proceedings_issue"),
    path(PROCEEDINGS + "hearings/new/", views.hearing_add, name="hearing_add"),
    path(PROCEEDINGS + "extensions/new/", views.extension_add, name="extension_add"),
    path(PROCEEDINGS + "conclude/", views.proceedings_conclude, name="proceedings_conclude"),
    path(CHILD + "hearings/<int:hearing_id>/directions/new/", views.direction_add,
         name="direction_add"),
    path(CHILD + "directions/<int:direction_id>/", views.direction_comply,
         name="direction_comply"),
]
