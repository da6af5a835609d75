from exports.views import case_reports, processing, statistics, subject_access

app_name = "exports"

urlpatterns = [
    *case_reports.urlpatterns,
    *statistics.urlpatterns,
    *subject_access.urlpatterns,
    *processing.urlpatterns,
]
