"""Does a text still point to the employee or to the case? (recommendation 28)

A lesson for the organisation's library is checked against everything the
case knows that identifies someone: the employee's names and accounts, the
phone numbers, addresses, plates and links in the reports and the inventory,
and the suspected doxer's handles. Each kind of data is compared the way
people write it: names as whole words, phone numbers by their digits, plates
without dashes, links without "https://" or "www.".

The check finds what Handvat knows; it cannot know everything (a date, a
street corner, a job title). The page says so, too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from doxing_cases.models import Case, DoxerIdentifier, ExposedItem
from doxing_cases.services.online import normalize_url
from people.roles import Role

#: Shorter terms are skipped: two letters match too much to mean anything.
MIN_LENGTH = 3
#: A phone number is compared by at least this many digits (after the leading 0).
MIN_PHONE_DIGITS = 6
#: Parts of Dutch surnames that say nothing on their own ("de" in "de Vries").
NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "het", "ter", "ten", "te", "op", "in", "uit", "la", "le", "du", "da", "di", "el"}
)
#: A username that is only a role name ("employee" in the demo) identifies nobody.
GENERIC_USERNAMES = frozenset(Role.values) | {"admin", "user", "test"}


class Kind:
    WORDS = "words"
    EMAIL = "email"
    PHONE = "phone"
    PLATE = "plate"
    URL = "url"
    HANDLE = "handle"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Term:
    """One piece of identifying data, normalised for its kind."""

    kind: str
    value: str


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w.])@([\w.]{3,})")
_POSTCODE = re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b")
_DASHED_PLATE = re.compile(r"(?<![\w-])[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}(?![\w-])")
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s\-./()]{5,}\d")
_URL_LIKE = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:[/?#][^\s<>\"'“”‘’]*)?",
    re.IGNORECASE,
)
_STREET_AND_NUMBER = re.compile(r"^(\D{3,}?)\s+\d")
_PIECES = re.compile(r"[,;\n()/]+")
_TRAILING = ".,;:!?)]}'\"’”"
_TRUNK_PREFIXES = ("00310", "0031", "310", "31", "0")


# --- Collecting the terms -----------------------------------------------------------------


def identifying_terms(case: Case) -> list[Term]:
    """Everything ``case`` knows that identifies the employee or the case: a fixed number of queries."""
    terms: list[Term] = [Term(Kind.REFERENCE, str(case.pk))]
    terms += _person_terms(case.subject)
    for phone, urls in case.reports.values_list("contact_phone", "urls"):
        terms += _phone_terms(phone)
        terms += _url_terms(urls or [])
    for kind, detail, urls in case.exposed_items.values_list("kind", "detail", "urls"):
        terms += _detail_terms(kind, detail)
        terms += _url_terms(urls or [])
    terms += _url_terms(case.evidence.exclude(url="").values_list("url", flat=True))
    terms += _url_terms(case.takedowns.values_list("url", flat=True))
    for kind, value in case.doxer_identifiers.values_list("kind", "value"):
        terms += _url_terms([value]) if kind == DoxerIdentifier.Kind.URL else _handle_terms(value)
    return list(dict.fromkeys(term for term in terms if _long_enough(term)))


def _long_enough(term: Term) -> bool:
    if term.kind == Kind.PHONE:
        return len(term.value) >= MIN_PHONE_DIGITS
    if term.kind == Kind.REFERENCE:
        return True
    return len(term.value) >= MIN_LENGTH


def _person_terms(person: object) -> list[Term]:
    first = (getattr(person, "first_name", "") or "").strip()
    last = (getattr(person, "last_name", "") or "").strip()
    terms = [_words(first), _words(last), _words(f"{first} {last}")]
    terms += [_words(part) for part in first.split()]
    terms += [_words(part) for part in last.split() if part.lower() not in NAME_PARTICLES]
    username = (getattr(person, "username", "") or "").strip()
    if username.lower() not in GENERIC_USERNAMES:
        terms.append(_words(username))
    email = (getattr(person, "email", "") or "").strip()
    if email:
        terms.append(Term(Kind.EMAIL, email.lower()))
    return terms


def _words(value: str) -> Term:
    return Term(Kind.WORDS, " ".join(value.split()))


def _phone_terms(value: str) -> list[Term]:
    digits = _phone_key(value)
    return [Term(Kind.PHONE, digits)] if digits else []


def _phone_key(value: str) -> str:
    """A Dutch phone number as its digits after the trunk prefix: "+31 6 1234 5678",
    "0031612345678" and "06-12345678" all give "612345678"."""
    digits = "".join(ch for ch in value if ch.isdigit())
    for prefix in _TRUNK_PREFIXES:
        # "31" is a country code only when written as one ("+31"), not as part of "0311…".
        if prefix.startswith("31") and not value.lstrip().startswith("+"):
            continue
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


def _plate_key(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _url_terms(urls: Iterable[str]) -> list[Term]:
    terms = []
    for url in urls:
        normalized = normalize_url(url or "")
        if "." in normalized.split("/", 1)[0]:
            terms.append(Term(Kind.URL, normalized))
    return terms


def _handle_terms(value: str) -> list[Term]:
    value = value.strip()
    if value.lower().startswith(("http://", "https://", "www.")):
        return _url_terms([value])
    if len(value.split()) > 1:
        return [_words(value)]
    return [Term(Kind.HANDLE, value.lstrip("@").lower())]


def _detail_terms(kind: str, detail: str) -> list[Term]:
    """What an item of the inventory shows: the phrase itself, its pieces, and
    any phone number, e-mail address, handle, link, postcode or plate in it."""
    detail = (detail or "").strip()
    if not detail:
        return []
    terms: list[Term] = []
    if kind == ExposedItem.Kind.PHONE:
        return _phone_terms(detail) + [Term(Kind.EMAIL, e.lower()) for e in _EMAIL.findall(detail)]
    if kind == ExposedItem.Kind.LICENCE_PLATE:
        plates = _DASHED_PLATE.findall(detail) or ([detail] if len(_plate_key(detail)) <= 8 else [])
        terms += [Term(Kind.PLATE, _plate_key(plate)) for plate in plates]
    if kind == ExposedItem.Kind.SOCIAL_ACCOUNT and len(detail.split()) == 1:
        terms += _handle_terms(detail)
    terms += [Term(Kind.EMAIL, email.lower()) for email in _EMAIL.findall(detail)]
    terms += [Term(Kind.HANDLE, handle.rstrip(".").lower()) for handle in _HANDLE.findall(detail)]
    terms += _url_terms(match.group().rstrip(_TRAILING) for match in _URL_LIKE.finditer(_without_emails(detail)))
    terms += [Term(Kind.PLATE, _plate_key(plate)) for plate in _DASHED_PLATE.findall(detail) if _is_plate(plate)]
    terms += [Term(Kind.PLATE, _plate_key(code)) for code in _POSTCODE.findall(detail)]
    terms += [
        Term(Kind.PHONE, _phone_key(match.group()))
        for match in _PHONE_LIKE.finditer(detail)
        if len(_phone_key(match.group())) >= 9
    ]
    terms.append(_words(detail))
    if kind in (ExposedItem.Kind.NAME, ExposedItem.Kind.RELATIVES):
        terms += [_words(name) for name in _proper_names(detail, every_word=kind == ExposedItem.Kind.NAME)]
    for piece in _PIECES.split(detail):
        piece = piece.strip(" .:-")
        if piece and piece != detail:
            terms.append(_words(piece))
        street = _STREET_AND_NUMBER.match(piece) if kind == ExposedItem.Kind.HOME_ADDRESS else None
        if street:
            terms.append(_words(street.group(1)))
    return terms


def _proper_names(detail: str, *, every_word: bool) -> list[str]:
    """The names in a list of relatives ("partner Mark, zoon Tim"): capitalised
    words, except the first of a piece ("Partner Mark"), which may be an ordinary word."""
    names = []
    for piece in _PIECES.split(detail):
        words = [word.strip(".:-'\"") for word in piece.split()]
        for index, word in enumerate(words):
            if word.lower() in NAME_PARTICLES or not word[:1].isalpha():
                continue
            if every_word or (word[:1].isupper() and (index > 0 or len(words) == 1)):
                names.append(word)
    return names


def _without_emails(text: str) -> str:
    return _EMAIL.sub(" ", text)


def _is_plate(value: str) -> bool:
    return any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)


# --- Finding them in a text ---------------------------------------------------------------


def find_identifiers(text: str, terms: Iterable[Term]) -> list[str]:
    """The pieces of ``text`` that match one of ``terms``, as written there,
    in the order they appear; a piece inside a longer match is not repeated."""
    if not text:
        return []
    folded = _fold(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans.extend(_spans(term, text, folded))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if not any(start >= kept_start and end <= kept_end for kept_start, kept_end in kept):
            kept.append((start, end))
    found = [text[start:end].strip() for start, end in kept]
    return list(dict.fromkeys(piece for piece in found if piece))


def _fold(text: str) -> str:
    """The same length as ``text``: accents dropped ("é" as "e"), curly quotes straight."""
    return "".join(unicodedata.normalize("NFKD", ch)[0] for ch in text).replace("’", "'").replace("‘", "'")


def _spans(term: Term, text: str, folded: str) -> Iterator[tuple[int, int]]:
    if term.kind == Kind.PHONE:
        yield from _phone_spans(term.value, text)
    elif term.kind == Kind.URL:
        yield from _url_spans(term.value, text)
    else:
        for match in _pattern(term).finditer(folded):
            yield match.span()


def _pattern(term: Term) -> re.Pattern[str]:
    value = _fold(term.value)
    if term.kind == Kind.PLATE:
        body = r"[\s-]?".join(re.escape(ch) for ch in value)
        return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)
    if term.kind == Kind.EMAIL:
        return re.compile(rf"(?<![\w.+-]){re.escape(value)}(?![\w-])", re.IGNORECASE)
    if term.kind == Kind.HANDLE:
        return re.compile(rf"(?<![\w.])@?{re.escape(value)}(?!\w)", re.IGNORECASE)
    if term.kind == Kind.REFERENCE:
        return re.compile(rf"(?<![A-Za-z0-9])HV[\s-]?0*{re.escape(value)}(?!\d)", re.IGNORECASE)
    body = r"\s+".join(re.escape(word) for word in value.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _phone_spans(key: str, text: str) -> Iterator[tuple[int, int]]:
    """Phone numbers by their digits, however they are grouped or prefixed."""
    for match in _PHONE_LIKE.finditer(text):
        positions = [match.start() + i for i, ch in enumerate(match.group()) if ch.isdigit()]
        digits = "".join(text[position] for position in positions)
        at = digits.find(key)
        while at != -1:
            end = positions[at + len(key) - 1] + 1
            if end >= len(text) or not text[end].isdigit():
                first = at
                for prefix in _TRUNK_PREFIXES:
                    if digits[:at].endswith(prefix):
                        first = at - len(prefix)
                        break
                start = positions[first]
                if start > match.start() and text[start - 1] == "+":
                    start -= 1
                yield start, end
            at = digits.find(key, at + 1)


def _url_spans(normalized: str, text: str) -> Iterator[tuple[int, int]]:
    """Links compared without scheme, "www.", tracking parameters or trailing
    slash; a longer link on the same page (a thread's second page) counts too."""
    for match in _URL_LIKE.finditer(text):
        candidate = match.group().rstrip(_TRAILING)
        if not candidate:
            continue
        other = normalize_url(candidate)
        if other == normalized or other.startswith((f"{normalized}/", f"{normalized}?")):
            yield match.start(), match.start() + len(candidate)
