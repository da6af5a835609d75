"""The error summary names each field before its error, without a colon after a question."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class Form(forms.Form):
    danger = forms.ChoiceField(label="Is someone in danger now?", choices=[("yes", "Yes"), ("no", "No")])
    phone = forms.CharField(label="Phone number")


def test_a_question_gets_no_colon_and_a_name_does() -> None:
    with translation.override("en"):
        form = Form(data={})
        form.is_valid()
        html = render_to_string("forms/_errors.html", {"form": form})

    assert "Is someone in danger now? This field is required." in html
    assert "Phone number: This field is required." in html
    assert "?:" not in html
