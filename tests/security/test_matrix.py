"""The authorization matrix (issue 8 › 1): every URL pattern of the project,
requested by every role on their own / someone else's case, GET and POST,
against the declared table in ``matrix.py``; canary texts on no page and in
no export of a role that may not see them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import client_for
from tests.security import matrix
from tests.security.matrix_support import (
    ACTORS,
    EXCLUDED_NAMES,
    EXCLUDED_NAMESPACES,
    POST_DATA,
    Pattern,
    body_text,
    checked_patterns,
    contexts,
    is_success,
    request,
    url_for,
    url_patterns,
)
from tests.security.world import CANARY_ADDRESS, CANARY_CHECK_IN, CANARY_SECURITY, CANARY_SUPPORT, World, build_world

# The mark makes pytest-django create the test database; each test then runs in
# a savepoint inside the module's transaction.
pytestmark = pytest.mark.django_db

PATTERNS = checked_patterns()
CANARIES = {
    "check_in": CANARY_CHECK_IN,
    "support": CANARY_SUPPORT,
    "security": CANARY_SECURITY,
    "address": CANARY_ADDRESS,
}
#: Observed results, written as JSON when HANDVAT_MATRIX_OBSERVE names a file (to draft new rows).
OBSERVED: dict[str, dict[str, list[str]]] = {}
OBSERVE = bool(os.environ.get("HANDVAT_MATRIX_OBSERVE"))


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker) -> Iterator[tuple[World, dict[str, Client]]]:
    """Built once for the module inside a transaction that is rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        built = build_world()
        clients = {"anonymous": Client()}
        for actor in ACTORS[1:]:
            clients[actor] = client_for(built.users[actor])
        yield built, clients
        transaction.set_rollback(True)
    cache.clear()  # rate-limit counters of these users must not reach other tests
    if os.environ.get("HANDVAT_MATRIX_OBSERVE"):
        with open(os.environ["HANDVAT_MATRIX_OBSERVE"], "w") as out:
            json.dump(OBSERVED, out, indent=1, sort_keys=True)


def test_every_url_pattern_is_in_the_table() -> None:
    names = {p.name for p in PATTERNS}
    missing = sorted(names - set(matrix.MATRIX))
    stale = sorted(set(matrix.MATRIX) - names)
    assert not missing, f"URL patterns without a row in tests/security/matrix.py: {missing}"
    assert not stale, f"rows in tests/security/matrix.py for URL patterns that no longer exist: {stale}"


def test_only_the_listed_patterns_are_left_out() -> None:
    left_out = {p.name for p in url_patterns()} - {p.name for p in PATTERNS}
    assert all(name.split(":")[0] in EXCLUDED_NAMESPACES or name in EXCLUDED_NAMES for name in left_out)
    assert "set_language" in left_out and any(name.startswith("admin:") for name in left_out)


def _expected(pattern: Pattern, context: str, method: str) -> frozenset[str]:
    rule = matrix.MATRIX.get(pattern.name)
    if rule is None:  # only while drafting rows (OBSERVE)
        return frozenset()
    if context == "mixed":
        return frozenset()
    if context == "other":
        return rule.get_other if method == "GET" else rule.post_other
    return rule.get if method == "GET" else rule.post


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_matrix(pattern: Pattern, world) -> None:
    built, clients = world
    if pattern.name not in matrix.MATRIX and not OBSERVE:
        pytest.fail(f"{pattern.name} has no row in tests/security/matrix.py")
    wrong: list[str] = []
    leaks: list[str] = []
    own_url = url_for(built, pattern, "own")
    rule = matrix.MATRIX.get(pattern.name)
    own_allowed = (rule.get | rule.post) if rule else frozenset(ACTORS)
    for context in contexts(pattern):
        url = url_for(built, pattern, context)
        if context == "other" and url == own_url:
            continue  # the parameters name no case data (an article, a training): the same URL
        for method in ("GET", "POST"):
            allowed = _expected(pattern, context, method)
            for actor in ACTORS:
                if context == "mixed" and actor not in own_allowed:
                    continue  # refused on the case itself already; the probe is for those let in
                response = request(clients[actor], method, url, POST_DATA.get(pattern.name))
                ok = is_success(response)
                if ok:
                    OBSERVED.setdefault(pattern.name, {}).setdefault(f"{context} {method}", []).append(actor)
                if ok and actor not in allowed:
                    wrong.append(f"{actor} {method} {url} ({context}) -> {response.status_code}")
                elif not ok and actor in allowed and method == "GET":
                    # The table must not be wider than the truth either, or it proves nothing.
                    wrong.append(f"{actor} {method} {url} ({context}) refused -> {response.status_code}")
                if ok:
                    text = body_text(response)
                    for canary, marker in CANARIES.items():
                        if marker in text and OBSERVE:
                            OBSERVED.setdefault("canary " + canary, {}).setdefault(context, []).append(
                                f"{actor} {method} {pattern.name}"
                            )
                        if marker in text and actor not in _canary_allowed(canary, context, pattern.name):
                            leaks.append(f"{canary} canary shown to {actor} at {url} ({context})")
                assert response.status_code < 500, f"{actor} {method} {url} -> {response.status_code}"
    if OBSERVE:
        return
    assert not wrong, "\n".join(wrong)
    assert not leaks, "\n".join(leaks)


def _canary_allowed(canary: str, context: str, name: str) -> frozenset[str]:
    exceptions = matrix.CANARY_EXCEPTIONS.get((canary, name), frozenset())
    if context != "own":
        return exceptions
    return matrix.CANARY_SEEN_BY[canary] | exceptions


@pytest.mark.parametrize("canary", sorted(CANARIES))
def test_the_coordinator_sees_every_canary(canary: str, world) -> None:
    """The canaries are really in the world, so their absence elsewhere means something."""
    built, clients = world
    case_id = built.cases["own"].pk
    pages = ["cases:detail", "cases:support", "cases:exposed", "cases:threat", "exports:case_report"]
    found = [
        name
        for name in pages
        if CANARIES[canary] in body_text(request(clients["coordinator"], "GET", reverse(name, args=[case_id])))
    ]
    assert found, f"the {canary} canary shows on none of {pages} for the coordinator"


def test_the_hr_export_holds_no_care_note_security_detail_or_address(world) -> None:
    built, clients = world
    url = reverse("exports:case_report", args=[built.cases["own"].pk])

    for_hr = request(clients["hr"], "GET", url)
    for_coordinator = request(clients["coordinator"], "GET", url)

    assert for_hr.status_code == 200 and for_hr["Content-Type"].startswith("application/pdf")
    hr_text, coordinator_text = body_text(for_hr), body_text(for_coordinator)
    assert built.cases["own"].reference in hr_text  # real text came out of the PDF
    assert not [name for name, marker in CANARIES.items() if marker in hr_text]
    assert CANARY_SECURITY in coordinator_text and CANARY_SUPPORT in coordinator_text


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("hr", "exports:statistics_csv"),
        ("coordinator", "exports:statistics_csv"),
        ("privacy", "exports:national_export_download"),
        ("privacy", "exports:processing_csv"),
        ("privacy", "privacy:access_log_csv"),
    ],
)
def test_no_canary_in_a_csv_export(who: str, name: str, world) -> None:
    built, clients = world
    pattern = next(p for p in PATTERNS if p.name == name)

    response = request(clients[who], "GET", url_for(built, pattern, "own"))

    assert response.status_code == 200 and "csv" in response["Content-Type"]
    text = body_text(response)
    assert not [canary for canary, marker in CANARIES.items() if marker in text]
