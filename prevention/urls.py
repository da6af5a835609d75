from prevention.views import briefings, card, debriefs, exposure, hub, knowledge, readiness, self_scan, training

app_name = "prevention"

urlpatterns = [
    *hub.urlpatterns,
    *knowledge.urlpatterns,
    *card.urlpatterns,
    *training.urlpatterns,
    *debriefs.urlpatterns,
    *briefings.urlpatterns,
    *exposure.urlpatterns,
    *readiness.urlpatterns,
    *self_scan.urlpatterns,
]
