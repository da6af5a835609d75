"""Pages of the report and the case, one module per part of the case. Each
module lists its own ``urlpatterns``; ``doxing_cases/urls.py`` joins them."""
