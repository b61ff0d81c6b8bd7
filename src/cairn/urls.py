from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cairn.core.urls")),
    path("", include("cairn.casework.urls")),
    path("", include("cairn.frontdoor.urls")),
    path("", include("cairn.protection.urls")),
    path("", include("cairn.legal.urls")),
    path("", include("cairn.care.urls")),
    path("", include("cairn.oversight.urls")),
    path("", include("cairn.returns.urls")),
    path("", include("cairn.insight.urls")),
    path("", include("cairn.inspection.urls")),
    path("admin/", admin.site.urls),
]
