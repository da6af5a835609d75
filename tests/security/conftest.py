"""Hypothesis profile for the security tests: bounded, so the fuzz file stays
under a minute, and no deadline (a first request compiles templates)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "handvat",
    max_examples=int(os.environ.get("HANDVAT_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=False,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("handvat")
