"""people.forms.SelectWidget writes the same HTML as Django's Select, only faster."""

from __future__ import annotations

import re

import pytest
from django import forms

from people.forms import SelectWidget
from people.models import Team

pytestmark = pytest.mark.django_db


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("chosen", ["", None])
def test_it_renders_what_django_renders(team, other_team, chosen) -> None:
    Team.objects.create(organisation=team.organisation, name='Noord & "Zuid" <b>')

    class Form(forms.Form):
        django = forms.ModelChoiceField(Team.objects.order_by("name"), required=False, empty_label="Any")
        ours = forms.ModelChoiceField(
            Team.objects.order_by("name"), required=False, empty_label="Any", widget=SelectWidget
        )

    value = chosen if chosen is not None else str(other_team.pk)
    form = Form(data={"django": value, "ours": value})
    attrs = {"aria-describedby": "hint"}

    expected = _squash(form["django"].as_widget(attrs=attrs)).replace('name="django"', 'name="ours"')
    assert _squash(form["ours"].as_widget(attrs=attrs)) == expected.replace('id="id_django"', 'id="id_ours"')
    assert form["ours"].widget_type == "select"
    assert "&lt;b&gt;" in form["ours"].as_widget()
