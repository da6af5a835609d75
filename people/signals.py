"""Signals that let apps above ``people`` follow changes in the organisation
without ``people`` importing them (the import order runs one way)."""

from django.dispatch import Signal

#: Sent after a team's managers or a user's team changed, with ``team_ids``:
#: the teams whose members' case grants may need to follow.
team_membership_changed = Signal()

#: Sent when a user has opened more than HANDVAT_ACCESS_ALERT_THRESHOLD cases
#: they are not involved in within an hour, with ``user`` and ``count``; the
#: notifications app alerts the privacy officers (people/privacy/alerts.py).
outsider_reads_exceeded = Signal()
