from doxing_cases.views import case, coordination, involvement, online, retention, security, support, tasks

app_name = "cases"

urlpatterns = [
    *case.urlpatterns,
    *involvement.urlpatterns,
    *tasks.urlpatterns,
    *online.urlpatterns,
    *security.urlpatterns,
    *coordination.urlpatterns,
    *support.urlpatterns,
    *retention.urlpatterns,
]
