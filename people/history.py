"""Who did it: the acting user for django-simple-history rows.

In a request the history middleware knows the user. Services also run from
Celery tasks and management commands, where there is no request; they name
their actor with ``acting_as`` so every history row records who acted.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from simple_history.manager import HistoryManager as BaseHistoryManager
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from people.models import User

P = ParamSpec("P")
R = TypeVar("R")

_actor: contextvars.ContextVar[User | None] = contextvars.ContextVar("handvat_actor", default=None)


@contextlib.contextmanager
def acting_as(actor: User | None) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def history_user(instance: Any, request: Any = None, **kwargs: Any) -> User | None:
    """``get_user`` for every ``HistoricalRecords`` in the project."""
    actor = _actor.get()
    if actor is not None:
        return actor
    if request is not None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        return request.user
    return None


def records_actor(func: Callable[P, R]) -> Callable[P, R]:
    """For services: history rows written inside name the keyword ``actor``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with acting_as(kwargs.get("actor")):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper


class HistoryManager(BaseHistoryManager):
    """django-simple-history builds the manager class anew on every access to
    ``Model.history`` or ``instance.history`` (inspecting every queryset
    method: about half a millisecond, several times per saved row). Here each
    class is built once and kept."""

    _built: dict[tuple[type, type, str | None], type] = {}

    @classmethod
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        key = (cls, queryset_class, class_name)
        if key not in cls._built:
            cls._built[key] = super().from_queryset(queryset_class, class_name)
        return cls._built[key]


def historical_records(**options: Any) -> HistoricalRecords:
    """``HistoricalRecords`` as every model of Handvat declares it: the acting
    user in every row (``history_user``), and the manager built once."""
    return HistoricalRecords(get_user=history_user, history_manager=HistoryManager, **options)
