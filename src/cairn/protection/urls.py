from .urls_assessment import urlpatterns as assessment_urls

urlpatterns = [*assessment_urls]
