"""The online self-scan: what to check, and what to do about it.

Only the keys of the follow-ups an employee chooses are stored; what they
found stays with them. Texts are ours, written for Dutch public-service workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FollowUp:
    key: str
    label: Promise
    how: Promise


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    check: Promise
    follow_ups: tuple[FollowUp, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "search",
        _("Search for yourself"),
        _(
            "Search your full name in two search engines, once alone and once with your town or your work "
            "(for example “handhaving” or “brandweer”). Also look at the image results. Use a private window, "
            "so your own history does not colour the results."
        ),
        (
            FollowUp(
                "search_removal",
                _("Ask the search engine to remove results with my personal details"),
                _(
                    "Search engines have a form to remove results that show your home address, phone number or "
                    "photos. Mention that you are a public-service worker and that the results put you at risk."
                ),
            ),
            FollowUp(
                "site_removal",
                _("Ask a website to remove my details"),
                _(
                    "Write to the website and ask it to delete your personal details (right to erasure, GDPR "
                    "article 17). If you would rather not do this yourself, ask your coordinator: a specialist can."
                ),
            ),
        ),
    ),
    Step(
        "social",
        _("Your social-media accounts"),
        _(
            "Open each account as a stranger would see it (most apps have “view as”). Is your profile public? Can "
            "others see your friends or followers, your workplace, the town you live in, photos in uniform, or "
            "photos that show your house, street or car?"
        ),
        (
            FollowUp(
                "social_private",
                _("Make my profiles private and hide my friends list"),
                _("In the privacy settings: profile visible to friends only; friends and followers list hidden."),
            ),
            FollowUp(
                "social_photos",
                _("Remove or hide photos in uniform, of my house, street or car"),
                _("Archive or delete them; ask others to remove photos in which you are tagged."),
            ),
            FollowUp(
                "social_location",
                _("Turn off location sharing and location tags"),
                _("In the app's settings and in your phone's camera settings, so new photos carry no location."),
            ),
        ),
    ),
    Step(
        "home",
        _("Your home and car online"),
        _(
            "Look at your house on online street maps, and search your licence plate. Are there photos online in "
            "which your house number, your car's plate or your children's school can be seen?"
        ),
        (
            FollowUp(
                "streetview_blur",
                _("Ask the map service to blur my house"),
                _("Online street maps have a “report a problem” option to blur a house. This cannot be undone."),
            ),
        ),
    ),
    Step(
        "brokers",
        _("People-search and phone-number sites"),
        _(
            "Some websites and apps collect names, addresses and phone numbers, and show who a number belongs to. "
            "Search your name and your phone number on them."
        ),
        (
            FollowUp(
                "broker_removal",
                _("Have my details removed from people-search and caller-ID sites"),
                _("Most have an opt-out page; otherwise send an erasure request (GDPR article 17)."),
            ),
        ),
    ),
    Step(
        "registers",
        _("Public registers"),
        _(
            "Your address can be found through public registers: the Chamber of Commerce (KvK) if you have or had "
            "a business registered at home, and the vehicle register (RDW). Ask your coordinator whether shielding "
            "your data in the personal records database (BRP) makes sense for you."
        ),
        (
            FollowUp(
                "kvk_shield",
                _("Shield my home address in the KvK register"),
                _(
                    "The KvK can shield the home address of people who are at risk; "
                    "your employer can support the request."
                ),
            ),
            FollowUp(
                "brp_rdw_shield",
                _("Talk with my coordinator about shielding in the BRP and RDW"),
                _("Shielding is a security measure; it is arranged with the organisation's help."),
            ),
        ),
    ),
    Step(
        "relatives",
        _("Your family's accounts"),
        _(
            "Do your partner, children or parents post photos of you in uniform, of your house, or say where you "
            "work? Their accounts can lead people to you."
        ),
        (
            FollowUp(
                "relatives_talk",
                _("Talk with my family about what they post"),
                _("Explain why; help them set their profiles to private and remove what gives your work away."),
            ),
        ),
    ),
    Step(
        "old",
        _("Old accounts and forums"),
        _("Think of accounts you no longer use: old forums, dating apps, sports clubs, school websites."),
        (
            FollowUp(
                "old_delete",
                _("Delete old accounts I no longer use"),
                _("Log in once more and delete the account, or ask the site to do it."),
            ),
        ),
    ),
)

STEP_KEYS = tuple(step.key for step in STEPS)
FOLLOW_UPS: dict[str, FollowUp] = {follow_up.key: follow_up for step in STEPS for follow_up in step.follow_ups}


def step(key: str) -> Step:
    return next(item for item in STEPS if item.key == key)
