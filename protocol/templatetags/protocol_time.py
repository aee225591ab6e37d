from django import template

register = template.Library()


@register.filter
def duration(value) -> str:
    """Seconds as m:ss (or h:mm:ss); a negative value keeps its sign."""
    try:
        seconds = round(float(value() if callable(value) else value))
    except (TypeError, ValueError):
        return ""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
