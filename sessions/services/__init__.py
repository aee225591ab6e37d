"""Writes and workflows of the programme.

- ``reminders``: the day-before agenda.
"""

from .reminders import reminders_send_day_before

__all__ = ["reminders_send_day_before"]
