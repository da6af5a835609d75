"""Signals that let apps above ``doxing_cases`` follow a case without it
importing them (the import order runs one way)."""

from django.dispatch import Signal

#: Sent after something the case's reminders depend on changed (coordinator,
#: status, the manager's access, people involved), with ``case``. Receivers
#: re-plan their own reminders inside the same transaction.
case_plans_changed = Signal()
