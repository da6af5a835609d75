from aftercare.views import calendar, evaluation, flare_ups, follow_ups, transition

app_name = "aftercare"

urlpatterns = [
    *flare_ups.urlpatterns,
    *transition.urlpatterns,
    *follow_ups.urlpatterns,
    *evaluation.urlpatterns,
    *calendar.urlpatterns,
]
