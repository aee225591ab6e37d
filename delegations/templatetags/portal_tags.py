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
    if widget.attrs.get("autocomplete") == "one-time-code":
        # Authenticator and recovery codes are digits: a phone's number pad.
        attrs["inputmode"] = "numeric"
    return field.as_widget(attrs=attrs)


# Bootstrap colours of the statuses (the words are always shown too).
_STATUS_CLASSES = {
    "nominated": "text-bg-secondary",
    "not_invited": "text-bg-secondary",
    "invited": "text-bg-info",
    "registering": "text-bg-info",
    "submitted": "text-bg-primary",
    "approved": "text-bg-success",
    "accredited": "text-bg-success",
    "rejected": "text-bg-danger",
    "declined": "text-bg-danger",
    "withdrawn": "text-bg-dark",
    "pending": "text-bg-info",
}


@register.filter
def status_badge_class(status: str) -> str:
    """The badge colour of a participant's or delegation's status."""
    return _STATUS_CLASSES.get(status, "text-bg-secondary")
