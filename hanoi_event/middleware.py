"""Show times in the current event's time zone (they are stored in UTC)."""

from django.utils import timezone

from .selectors import current_event


class EventTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        event = current_event()
        if event is not None:
            timezone.activate(event.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
