from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering with the project's own field layout
    (``templates/forms/field.html``): label, help, error, input."""

    field_template_name = "forms/field.html"
