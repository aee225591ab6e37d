"""Absolute links, for emails and anything else read outside the site.

One rule: the site's public address ``SITE_URL`` (scheme and host, no
trailing slash) followed by the path. Emails are written by services and
workers that have no request, so links never come from the request's Host
header (which a client chooses) and every link to one page is the same.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``SITE_URL`` + ``path`` (a path that starts with "/")."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    """``absolute_url(reverse(viewname, args=..., kwargs=...))``."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
