"""Template helpers for the portal's forms (Bootstrap classes, ARIA)."""

from django import forms, template

register = template.Library()


@register.filter
def portal_widget(field, readonly=""):
    """Render a bound field's widget with Bootstrap classes, marking errors
    for assistive technology; ``readonly`` (any true value) fixes it."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if readonly:
        attrs["readonly"] = "readonly"
    return field.as_widget(attrs=attrs)
