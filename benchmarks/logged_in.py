"""A test client logged in as after a real login, for the benchmarks: with the
second factor passed for the roles that need it (people.access)."""

from __future__ import annotations

from typing import Any


def client_for(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people import access

    client = Client()
    client.force_login(user)
    if access.must_use_second_factor(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
