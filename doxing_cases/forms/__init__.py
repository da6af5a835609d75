"""Forms of the report and the case, one module per part."""

from people.forms import add_service_errors

__all__ = ["add_service_errors"]
