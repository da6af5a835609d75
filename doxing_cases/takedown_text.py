"""The text of a takedown request, ready to copy into a platform's form or an
e-mail, in Dutch or English (recommendations 6 and 20).

It tells the platform only what it needs: the link, what *kind* of personal
data it shows (never the data itself), why that is unlawful, the legal route,
what we ask, and who asks: the organisation. The employee's name, address
and phone never go in, so the request cannot spread them further.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from doxing_cases.models import TakedownRequest
from people.models import Organisation

Route = TakedownRequest.Route


def _route_paragraph(route: str) -> str:
    if route == Route.NTD:
        return _(
            "We send you this notice as the host of the content (notice-and-takedown). "
            "Because the content is criminal under Dutch law, we ask you to remove it or "
            "make it inaccessible without delay."
        )
    if route == Route.DSA:
        return _(
            "This is a notice of illegal content under Article 16 of the Digital Services Act "
            "(Regulation (EU) 2022/2065). It gives the exact location of the content (the web "
            "address above), the reasons why we consider it illegal, and our name and contact "
            "details. We confirm in good faith that the information in this notice is accurate "
            "and complete."
        )
    if route == Route.PROCOM:
        return _(
            "We send this request within ProCoM (Project Online Content Moderatie), the Dutch "
            "public–private framework for acting on harmful online content."
        )
    return _("We ask you, as the party that can remove this content, to do so.")


def draft(takedown: TakedownRequest, *, organisation: Organisation | None, lang: str) -> str:
    """The request text in ``lang`` ("nl" or "en"), from the translation catalogue."""
    with translation.override(lang):
        item = takedown.exposed_item
        kind = str(item.get_kind_display()).lower() if item is not None else _("personal data")
        sender = organisation.name if organisation else _("[name of the organisation]")
        paragraphs = [
            _("Subject: request to remove personal data published to intimidate (doxing)"),
            _("Dear Sir or Madam,"),
            _("We ask you to remove the content at this web address:") + "\n" + takedown.url,
            _(
                "It shows personal data (%(kind)s) of an employee of our organisation who works "
                "in public service. It was published to intimidate them in their work. This is "
                "called doxing. In the Netherlands, doxing has been a criminal offence since "
                "1 January 2024 (article 285d of the Dutch Criminal Code, Wetboek van Strafrecht)."
            )
            % {"kind": kind},
            _route_paragraph(takedown.route),
            _(
                "Please remove this content and confirm to us when it is removed. If you decide "
                "not to remove it, please tell us why."
            ),
            _(
                "To protect the employee, this request contains no further personal data. "
                "Please write to us, not to the employee."
            ),
            _("Our reference: %(reference)s") % {"reference": f"{takedown.case.reference}-{takedown.pk}"},
            "\n".join(_signature(sender, organisation)),
        ]
        return "\n\n".join(paragraphs) + "\n"


def _signature(sender: str, organisation: Organisation | None) -> list[str]:
    lines = [_("Kind regards,"), "", sender]
    if organisation is not None and organisation.address.strip():
        lines += [line.strip() for line in organisation.address.strip().splitlines() if line.strip()]
    if organisation is not None and organisation.support_phone.strip():
        lines.append(_("Phone: %(phone)s") % {"phone": organisation.support_phone.strip()})
    return lines
