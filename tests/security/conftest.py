"""Hypothesis profile for the security tests: bounded, so the fuzz file stays
under a minute, and no deadline (a first request compiles templates).

The suite runs derandomized: the same examples every run, so CI is
reproducible and a failure can be replayed. To hunt for new crashes, run
``HANDVAT_FUZZ_EXPLORE=1 HANDVAT_FUZZ_EXAMPLES=200 pytest tests/security/test_fuzz.py``
(random examples), and turn what it finds into a fix and a plain test."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "handvat",
    max_examples=int(os.environ.get("HANDVAT_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=os.environ.get("HANDVAT_FUZZ_EXPLORE", "") != "1",
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("handvat")
