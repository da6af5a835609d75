"""The briefing risk check (recommendation 2): before a deployment, five
questions decide how likely it is that staff are doxed afterwards, and what to
discuss in the briefing.

The rule, in words (the result page shows the reasons that applied):

- **High** when staff were doxed or threatened around similar events before
  (what happened once tends to happen again), or when two or more questions
  are answered "yes" (signals add up: attention, cameras and recognisable staff
  together is how images with names end up online).
- **Medium** when one question is answered "yes", or two or more "don't
  know": not knowing is a reason to find out, and to prepare as if it were yes.
- **Low** otherwise: no "yes", at most one "don't know".

The advice follows the "yes" answers (each names what helps against that
signal), asks to find out what is unknown, and always ends with reporting in
Handvat afterwards and peer support.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people import access
from people.history import records_actor
from people.models import Team, User
from prevention.models import Deployment

Answer = Deployment.Answer
Risk = Deployment.Risk

#: The questionnaire, in the order it is asked.
QUESTIONS: tuple[str, ...] = (
    "public_attention",
    "filming_expected",
    "earlier_incidents",
    "social_unrest",
    "staff_recognisable",
)

#: Each question as a short signal, for the reasons on the result page.
SIGNALS: dict[str, Promise] = {
    "public_attention": gettext_lazy("public or media attention"),
    "filming_expected": gettext_lazy("staff filmed or photographed"),
    "earlier_incidents": gettext_lazy("earlier doxing or threats around similar events"),
    "social_unrest": gettext_lazy("social unrest or a heated debate"),
    "staff_recognisable": gettext_lazy("staff recognisable by name, face or vehicle"),
}


@dataclass(frozen=True)
class Advice:
    key: str
    text: Promise

    def __str__(self) -> str:
        return str(self.text)


ADVICE: dict[str, Promise] = {
    "press": gettext_lazy(
        "Have a communication advisor present or on call. Agree that only they talk to the press; "
        "staff do not respond themselves, on the spot or online."
    ),
    "own_social_media": gettext_lazy(
        "Before the event, everyone checks their own social media: who can see their profile, photos, "
        "friends and check-ins, and whether anything shows where they live or who their family is."
    ),
    "cameras": gettext_lazy(
        "Agree not to react to cameras: carry on calmly, do not pose, argue or reach for the phone."
    ),
    "tell_when_filmed": gettext_lazy(
        "Agree whom to tell when someone films or photographs you up close (the person in charge of the "
        "deployment), so the time and place are noted while they are fresh."
    ),
    "share_earlier": gettext_lazy(
        "Tell the team, without names, what happened around earlier, similar events, so everyone knows "
        "what to look out for."
    ),
    "watch_online": gettext_lazy(
        "Ask a specialist to keep an eye online during and just after the event, so images or personal "
        "details are found early."
    ),
    "peer_support_ready": gettext_lazy(
        "Arrange peer support for after the deployment in advance, and name who offers it."
    ),
    "expert_in_briefing": gettext_lazy(
        "Invite someone who knows the debate or the unrest, such as a communication advisor, to the briefing."
    ),
    "name_tags": gettext_lazy(
        "Cover or take off name tags and personal badges where the rules allow; use a service number instead."
    ),
    "vehicles": gettext_lazy(
        "Park private cars out of sight of the public and cameras, and travel in service vehicles where possible."
    ),
    "find_out": gettext_lazy(
        "Find out before the briefing what is not known yet, or prepare as if the answer were yes."
    ),
    "report_afterwards": gettext_lazy(
        "After the deployment, report in Handvat anything that crossed a line: being filmed up close, threats, "
        "personal details online. Also when you are not sure it counts."
    ),
    "peer_support": gettext_lazy("Tell everyone that peer support is there afterwards, and whom to call."),
}

#: What to discuss for each "yes", in the order of the questions.
ADVICE_IF_YES: dict[str, tuple[str, ...]] = {
    "public_attention": ("press", "own_social_media"),
    "filming_expected": ("cameras", "tell_when_filmed"),
    "earlier_incidents": ("share_earlier", "watch_online", "peer_support_ready"),
    "social_unrest": ("expert_in_briefing", "own_social_media"),
    "staff_recognisable": ("name_tags", "vehicles", "own_social_media"),
}
#: Discussed at every briefing, whatever the answers.
ADVICE_ALWAYS: tuple[str, ...] = ("report_afterwards", "peer_support")


def _with(answers: Mapping[str, str], value: str) -> list[str]:
    return [question for question in QUESTIONS if answers.get(question) == value]


def _signals(questions: list[str]) -> str:
    return ", ".join(str(SIGNALS[question]) for question in questions)


def _risk(answers: Mapping[str, str]) -> Risk:
    yes, unknown = _with(answers, Answer.YES), _with(answers, Answer.UNKNOWN)
    if answers.get("earlier_incidents") == Answer.YES or len(yes) >= 2:
        return Risk.HIGH
    if len(yes) == 1 or len(unknown) >= 2:
        return Risk.MEDIUM
    return Risk.LOW


def _advice(answers: Mapping[str, str]) -> list[Advice]:
    keys: list[str] = []
    for question in _with(answers, Answer.YES):
        keys += ADVICE_IF_YES[question]
    if _with(answers, Answer.UNKNOWN):
        keys.append("find_out")
    keys += ADVICE_ALWAYS
    return [Advice(key, ADVICE[key]) for key in dict.fromkeys(keys)]


def assess(answers: Mapping[str, str]) -> tuple[Risk, list[Advice]]:
    """The risk level and the advice for the briefing, from the answers
    (question name → "yes" / "no" / "unknown"). Pure: no database, no clock."""
    return _risk(answers), _advice(answers)


def explain(answers: Mapping[str, str]) -> list[str]:
    """Why the rule gave the level it gave, in the order the rule looks, for the result page."""
    yes, unknown = _with(answers, Answer.YES), _with(answers, Answer.UNKNOWN)
    reasons: list[str] = []
    if answers.get("earlier_incidents") == Answer.YES:
        reasons.append(
            _("Staff were doxed or threatened around similar events before. That alone makes the risk high.")
        )
    if len(yes) >= 2:
        reasons.append(
            _("%(count)s signals are present: %(signals)s. Two or more together make the risk high.")
            % {"count": len(yes), "signals": _signals(yes)}
        )
    elif len(yes) == 1 and "earlier_incidents" not in yes:
        reasons.append(
            _("One signal is present: %(signal)s. One signal makes the risk medium.") % {"signal": _signals(yes)}
        )
    if len(unknown) >= 2:
        reasons.append(
            _("Not known yet: %(signals)s. Two or more unknowns make the risk at least medium.")
            % {"signals": _signals(unknown)}
        )
    elif unknown:
        reasons.append(_("Not known yet: %(signals)s.") % {"signals": _signals(unknown)})
    if not yes and len(unknown) < 2:
        reasons.append(_("No signal is present and at most one answer is not known, so the risk is low."))
    return reasons


def answers_of(deployment: Deployment) -> dict[str, str]:
    return {question: getattr(deployment, question) for question in QUESTIONS}


# --- Changes ---------------------------------------------------------------------------


def _require_team(actor: User, team: Team | None) -> None:
    if team is None or not access.briefing_teams(actor).filter(pk=team.pk).exists():
        raise PermissionDenied


@transaction.atomic
@records_actor
def deployment_check(
    *,
    actor: User,
    title: str,
    held_on: dt.date,
    team: Team,
    location: str = "",
    **answers: Any,
) -> Deployment:
    """Record a deployment and its risk check. Only for a team whose briefings
    the actor prepares, and only before the deployment (or on the day)."""
    _require_team(actor, team)
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        raise TypeError(f"unknown questions: {sorted(unknown)}")
    if held_on is not None and held_on < timezone.localdate():
        raise ValidationError({"held_on": _("This date has passed. The check is for a deployment still to come.")})
    risk, _advice_list = assess(answers)
    deployment = Deployment(
        title=title, held_on=held_on, team=team, location=location, risk=risk, created_by=actor, **answers
    )
    deployment.full_clean()
    deployment.save()
    return deployment


@transaction.atomic
@records_actor
def deployment_mark_discussed(*, actor: User, deployment: Deployment) -> Deployment:
    """The risk and the advice were discussed in the briefing. Marking twice changes nothing."""
    _require_team(actor, deployment.team)
    deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
    if not deployment.discussed_in_briefing:
        deployment.discussed_in_briefing = True
        deployment.save(update_fields=["discussed_in_briefing"])
    return deployment
