from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("drafts/", views.draft_save, name="draft_save"),
]
