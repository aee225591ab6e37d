"""The admin walk (issue 8): every admin URL of every registered model, as
each staff role, a superuser, staff with no group and a signed-in user who
is not staff; with and without a passed TOTP step.

Nothing here names a model: the walk reads ``admin.site._registry``, makes
one record of every model ``tests.factories`` can make, and derives what
each user should get from the model admin's own permission methods. An admin
that a later issue adds is walked as it is registered.

What must hold:

- every registered ModelAdmin derives from ``SafeModelAdmin`` (and every
  inline it shows from a safe inline);
- staff whose session has not passed TOTP are sent to the TOTP step from
  every admin URL (never a page);
- with TOTP: a page answers 200 when the user has the permission it needs
  (view or change for lists, records and history; add; delete) and 403 when
  not; a write (POST to add, change, delete or revert) without the
  permission is 403; a malformed id is a 404; the autocomplete answers 200
  or 403 by the view permission on the model it searches; other URLs an
  admin adds never fail and show nothing to staff without any permission;
- a signed-in user who is not staff is sent to the login from every admin
  URL;
- nothing answers 500.

Speed: every request is sent and its view runs, but a page is rendered
only the first time the walk meets it with the same permissions of the user
on its model (a second role with the same permissions gets the same page).
The admin index, which shows each user's own menu, is rendered for every
user; the stock pages that show no field of the record (delete
confirmation, history list, app index) are checked by status only (the
record's own page, rendered, shows its fields).
"""

from __future__ import annotations

import inspect
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import factory
import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.contrib.auth.models import Group
from django.template.response import SimpleTemplateResponse
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, reverse
from simple_history.admin import SimpleHistoryAdmin

from hanoi_event.admin_safety import (
    SafeStackedInline,
    SafeTabularInline,
    unsafe_model_admins,
)
from hanoi_event.roles import ROLES, roles_sync
from tests import factories
from tests.conftest import staff_two_factor_pass

pytestmark = pytest.mark.django_db

SUPERUSER = "superuser"
NO_GROUP = "staff without a group"
NOT_STAFF = "signed in, not staff"
USERS = [SUPERUSER, NO_GROUP, *ROLES, NOT_STAFF]
STANDARD_VIEWS = {"changelist", "add", "change", "delete", "history", "simple_history"}
OBJECT_ID_PARAMS = {"object_id", "pk", "id"}
BAD_ID = "not-an-id"
LOGIN_URL = "/admin/login/"
TOTP_STEP_URL = "/accounts/2fa/reauthenticate/"


@dataclass
class Page:
    """One request of the walk and what it must answer with a passed TOTP
    step: ``expected`` an exact status, or None for "not a 500" (and, for
    staff without any permission, not a 200)."""

    label: str
    url: str
    method: str = "GET"
    expected: int | None = None
    # What the page shows depends on: the user's permissions on its model
    # (empty: render it every time; NOT_RENDERED: never).
    shape: tuple = field(default=())


NOT_RENDERED = ("not rendered",)
# Pages rendered so far, by (method, url, shape): see the module's docstring.
_RENDERED: set[tuple] = set()


@contextmanager
def _rendering(page: Page):
    key = (page.method, page.url, page.shape)
    if page.shape != NOT_RENDERED and (not page.shape or key not in _RENDERED):
        _RENDERED.add(key)
        yield
        return
    original = SimpleTemplateResponse.rendered_content
    SimpleTemplateResponse.rendered_content = property(lambda self: "")
    try:
        yield
    finally:
        SimpleTemplateResponse.rendered_content = original


def _model_factories() -> dict:
    """The first factory in tests.factories for each model."""
    found = {}
    for _name, value in inspect.getmembers(factories, inspect.isclass):
        if issubclass(value, factory.django.DjangoModelFactory) and not (
            value._meta.abstract
        ):
            model = value._meta.get_model_class()
            found.setdefault(model, value)
    return found


@pytest.fixture
def world(settings, tmp_path):
    """One record of every model a factory can make (the others are walked
    on their first record, if migrations or other factories made one)."""
    settings.MEDIA_ROOT = tmp_path
    # Sessions in the cache: one query less in each of the walk's requests.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    roles_sync()
    made = {}
    for model, model_factory in _model_factories().items():
        made[model] = model_factory()
    participant = made.get(factories.ParticipantFactory._meta.get_model_class())
    if participant is not None:
        # A second version, so the history shows a change.
        participant.hotel = "Melia Hanoi"
        participant.save()
    return made


def _make_user(name: str):
    if name == SUPERUSER:
        return factories.VerifiedUserFactory(is_staff=True, is_superuser=True)
    if name == NOT_STAFF:
        return factories.VerifiedUserFactory()
    user = factories.VerifiedUserFactory(is_staff=True)
    if name != NO_GROUP:
        user.groups.add(Group.objects.get(name=name))
    return user


def _password_only_client(user) -> Client:
    """A session that signed in with the password and has TOTP set up, but
    has not passed the TOTP step."""
    client = Client()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    return request


def _status(allowed: bool) -> int:
    return 200 if allowed else 403


def _url(name: str, *args) -> str | None:
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None


def _record(model_admin, request):
    """The walk's record of this admin: the first one the admin lists."""
    return (
        model_admin.get_queryset(request).order_by("pk").first()
        if model_admin.has_view_or_change_permission(request)
        else model_admin.model._default_manager.order_by("pk").first()
    )


def _pages(model, model_admin, request, *, bad_ids: bool) -> list[Page]:
    """Every URL of ``model_admin`` to walk, with the status ``request.user``
    must get (a passed TOTP step assumed). ``bad_ids``: also the object URLs
    with a malformed id (404 before any permission is asked: walked once, as
    the superuser)."""
    opts = model._meta
    info = f"{opts.app_label}_{opts.model_name}"
    pages = []

    may_view = model_admin.has_view_or_change_permission(request)
    # A page differs between users by what they may do with the records
    # (read only or edit) and by the fields hidden from them.
    shape = (
        may_view,
        model_admin.has_change_permission(request),
        tuple(sorted(model_admin.hidden_fields(request))),
    )

    def add(label, url, method="GET", expected=None, *, render=True):
        if url is not None:
            pages.append(
                Page(
                    f"{opts.label} {label}",
                    url,
                    method,
                    expected,
                    shape if render else NOT_RENDERED,
                )
            )

    add("changelist", _url(f"{info}_changelist"), expected=_status(may_view))
    may_add = model_admin.has_add_permission(request)
    # (Django refuses a POST to the add and delete pages by the same check
    # as a GET; a record's page and its history versions are shown with the
    # view permission but saved only with the change permission: those
    # writes are walked too.)
    add("add", _url(f"{info}_add"), expected=_status(may_add))

    obj = _record(model_admin, request)
    if obj is not None:
        may_see = model_admin.has_view_or_change_permission(request, obj)
        may_change = model_admin.has_change_permission(request, obj)
        add("change", _url(f"{info}_change", obj.pk), expected=_status(may_see))
        if may_see and not may_change:
            add("change (POST)", _url(f"{info}_change", obj.pk), "POST", 403)
        may_delete = model_admin.has_delete_permission(request, obj)
        add(
            "delete",
            _url(f"{info}_delete", obj.pk),
            expected=_status(may_delete),
            render=False,
        )
        history_permission = getattr(
            model_admin,
            "has_view_history_or_change_history_permission",
            model_admin.has_view_or_change_permission,
        )
        may_see_history = history_permission(request, obj)
        add(
            "history",
            _url(f"{info}_history", obj.pk),
            expected=_status(may_see_history),
            render=False,
        )
        if isinstance(model_admin, SimpleHistoryAdmin):
            manager = getattr(model, opts.simple_history_manager_attribute)
            version = manager.filter(pk=obj.pk).order_by("history_id").first()
            if version is not None:
                url = _url(f"{info}_simple_history", obj.pk, version.history_id)
                add("history version", url, expected=_status(may_see_history))
                if may_see_history and not may_change:
                    add("history version (revert)", url, "POST", 403)
                if bad_ids:
                    add(
                        "history version (bad id)",
                        _url(f"{info}_simple_history", obj.pk, BAD_ID),
                        expected=404,
                    )
    if bad_ids:
        for view in ("change", "history", "delete"):
            add(f"{view} (bad id)", _url(f"{info}_{view}", BAD_ID), expected=404)

    # URLs the admin adds: those that take the record's id or nothing.
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        if pattern.name.startswith(f"{info}_") and (
            pattern.name[len(info) + 1 :] in STANDARD_VIEWS
        ):
            continue
        params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        if not params:
            add(f"{pattern.name}", _url(pattern.name))
        elif obj is not None and len(params) == 1 and params <= OBJECT_ID_PARAMS:
            add(f"{pattern.name}", _url(pattern.name, obj.pk))
    return pages


def _autocomplete_pages(request) -> list[Page]:
    """The autocomplete of every autocomplete field of every admin: the
    answer follows the view permission on the model it searches."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.get_autocomplete_fields(request):
            remote = model._meta.get_field(field_name).remote_field.model
            remote_admin = admin.site._registry[remote]
            query = (
                f"?app_label={model._meta.app_label}"
                f"&model_name={model._meta.model_name}"
                f"&field_name={field_name}&term=a"
            )
            pages.append(
                Page(
                    f"{model._meta.label} autocomplete {field_name}",
                    reverse("admin:autocomplete") + query,
                    expected=_status(remote_admin.has_view_permission(request)),
                )
            )
    return pages


def _site_pages(request) -> list[Page]:
    pages = [Page("admin index", reverse("admin:index"), expected=200)]
    apps: dict[str, list] = {}
    for model, model_admin in admin.site._registry.items():
        perms = model_admin.get_model_perms(request)
        apps.setdefault(model._meta.app_label, []).append(
            (model._meta.model_name, tuple(sorted(perms.items())))
        )
    for label, models in sorted(apps.items()):
        any_permission = any(value for _name, perms in models for _p, value in perms)
        pages.append(
            Page(
                f"app index {label}",
                reverse("admin:app_list", args=[label]),
                expected=200 if any_permission else 404,
                shape=NOT_RENDERED,
            )
        )
    return pages


def _walk(user) -> list[Page]:
    request = _request_as(user)
    pages = _site_pages(request) + _autocomplete_pages(request)
    for model, model_admin in admin.site._registry.items():
        pages += _pages(model, model_admin, request, bad_ids=user.is_superuser)
    return pages


def _send(client, page: Page):
    with _rendering(page):
        if page.method == "POST":
            return client.post(page.url, {})
        return client.get(page.url)


def test_every_registered_admin_and_inline_is_safe(rf, admin_user):
    assert unsafe_model_admins() == []
    request = rf.get("/admin/")
    request.user = admin_user
    unsafe_inlines = sorted(
        f"{model._meta.label}: {inline.__name__}"
        for model, model_admin in admin.site._registry.items()
        for inline in model_admin.get_inlines(request, None)
        if not issubclass(inline, (SafeTabularInline, SafeStackedInline))
    )
    assert unsafe_inlines == []


@pytest.fixture
def quiet_client(monkeypatch):
    """Requests without the test client's copies of every template context
    (the walk reads statuses only) and without a logged warning for each
    403 and 404 (a 500 is still logged)."""
    monkeypatch.setattr(
        "django.test.client.store_rendered_templates", lambda *a, **k: None
    )
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("who", USERS)
def test_admin_walk(world, quiet_client, who):
    user = _make_user(who)
    pages = _walk(user)
    assert len(pages) > len(admin.site._registry) * 4
    wrong = []

    if user.is_staff:
        # Without the TOTP step: every admin URL sends to it. The gate is in
        # front of the views, so each URL is asked once, with GET: all of
        # them as the superuser; as another user, those that user could open
        # with the TOTP step (the others are refused either way).
        gate = _password_only_client(user)
        gated = [
            page.url
            for page in pages
            if user.is_superuser or page.expected in (200, None)
        ]
        for url in dict.fromkeys(gated):
            page = Page("", url)
            response = _send(gate, page)
            if response.status_code != 302 or not response["Location"].startswith(
                TOTP_STEP_URL
            ):
                wrong.append(
                    (
                        "no TOTP",
                        page.label,
                        page.method,
                        page.url,
                        response.status_code,
                    )
                )

        client = Client()
        staff_two_factor_pass(client, user)
        has_any_permission = bool(user.get_all_permissions()) or user.is_superuser
        for page in pages:
            status = _send(client, page).status_code
            if page.expected is not None:
                ok = status == page.expected
            else:
                ok = status < 500 and (has_any_permission or status != 200)
            if not ok:
                wrong.append(
                    ("TOTP", page.label, page.method, page.url, status, page.expected)
                )
    else:
        client = Client()
        client.force_login(user)
        for page in pages:
            response = _send(client, page)
            if response.status_code != 302 or not response["Location"].startswith(
                LOGIN_URL
            ):
                wrong.append(
                    (
                        "not staff",
                        page.label,
                        page.method,
                        page.url,
                        response.status_code,
                    )
                )

    assert wrong == []
