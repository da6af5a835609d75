from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` (``manage.py seed_demo``). Above every other app
    in the import order, so the demo cases can use every part of Handvat."""

    name = "demo"
    verbose_name = "Demo"
