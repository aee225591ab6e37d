"""Admin actions "Email the focal points of the selected delegations" and
"Email the selected participants": the message form, the recipients, the
permission, the background bulk send and its progress page."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.enums import OrganisationKind, ParticipantStatus
from delegations.models import Delegation, Organisation
from hanoi_event.enums import EmailStatus
from hanoi_event.mail import BULK
from hanoi_event.models import BulkSend, OutboundEmail
from tests.conftest import staff_two_factor_pass
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DELEGATIONS_URL = reverse("admin:delegations_delegation_changelist")
PARTICIPANTS_URL = reverse("admin:delegations_participant_changelist")
# Session, user, two-factor records, current event, counts and the selected
# rows: a fixed number for any selection (measured: 10 for 10 and for 200).
STEP_ONE_MAX_QUERIES = 12


def step_one(client, url, action, objects, **extra):
    """The changelist's POST: records ticked, action chosen, "Run"."""
    return client.post(
        url,
        {
            "action": action,
            "_selected_action": [str(o.pk) for o in objects],
            "index": "0",
            "select_across": "0",
            **extra,
        },
    )


def step_two(client, url, first_response, subject, text_body):
    """The form page posted back as the browser would, with the hidden
    fields it rendered."""
    context = first_response.context
    return client.post(
        url,
        {
            "action": context["action_name"],
            "_selected_action": context["selected_ids"],
            "index": "0",
            "select_across": context["select_across"],
            "apply": "1",
            "send_token": context["form"]["send_token"].value(),
            "subject": subject,
            "text_body": text_body,
        },
    )


@pytest.fixture
def event():
    return EventFactory(is_current=True)


@pytest.fixture
def delegations(event):
    """Three delegations with focal points (one speaks French as a member of
    its delegation) and one without a focal point."""
    with_fp = [
        DelegationFactory(
            event=event, focal_point=UserFactory(email=f"fp{n}@example.org")
        )
        for n in range(3)
    ]
    ParticipantFactory(
        delegation=with_fp[1], email="FP1@example.org", preferred_language="fr"
    )
    without_fp = DelegationFactory(event=event, focal_point=None)
    return [*with_fp, without_fp]


def test_step_one_shows_the_form_with_recipient_and_skipped_counts(
    admin_client, delegations
):
    response = step_one(
        admin_client, DELEGATIONS_URL, "email_focal_points", delegations
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == (
        "admin/hanoi_event/bulk_email_form.html"
    )
    assert response.context["address_count"] == 3
    assert response.context["skipped_count"] == 1
    html = response.content.decode()
    assert ">Email the focal points of the selected delegations</h1>" in html
    assert "This message will be sent to 3 addresses." in html
    assert "1 selected record is skipped (no address to send to, or withdrawn)." in html
    assert 'name="subject"' in html and 'name="text_body"' in html
    assert '<input type="hidden" name="action" value="email_focal_points">' in html
    for delegation in delegations:
        assert (
            f'<input type="hidden" name="_selected_action" value="{delegation.pk}">'
            in html
        )
    assert BulkSend.objects.count() == 0


def test_invalid_form_shows_field_error_and_queues_nothing(
    admin_client, delegations, django_capture_on_commit_callbacks
):
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", delegations)

    with django_capture_on_commit_callbacks(execute=True):
        response = step_two(admin_client, DELEGATIONS_URL, first, "   ", "Hello")

    assert response.status_code == 200
    assert response.context["form"].errors == {"subject": ["This field is required."]}
    assert "This field is required." in response.content.decode()
    assert BulkSend.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_valid_form_starts_one_bulk_send_and_redirects_to_its_progress(
    admin_client, admin_user, delegations, django_capture_on_commit_callbacks
):
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", delegations)

    with django_capture_on_commit_callbacks(execute=True):
        response = step_two(
            admin_client,
            DELEGATIONS_URL,
            first,
            "Shuttle times",
            "The shuttle leaves at 08:00.",
        )

    bulk = BulkSend.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:hanoi_event_bulksend_change", args=[bulk.pk])
    assert (bulk.subject, bulk.text_body, bulk.total, bulk.created_by) == (
        "Shuttle times",
        "The shuttle leaves at 08:00.",
        3,
        admin_user,
    )
    rows = OutboundEmail.objects.filter(bulk_send=bulk)
    assert {(r.to_email, r.language, r.about, r.kind, r.status) for r in rows} == {
        ("fp0@example.org", "en", delegations[0], BULK, EmailStatus.SENT),
        ("fp1@example.org", "fr", delegations[1], BULK, EmailStatus.SENT),
        ("fp2@example.org", "en", delegations[2], BULK, EmailStatus.SENT),
    }
    assert OutboundEmail.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "fp0@example.org",
        "fp1@example.org",
        "fp2@example.org",
    ]
    assert {m.body for m in mail.outbox} == {"The shuttle leaves at 08:00."}

    progress = admin_client.get(response.url)
    assert progress.status_code == 200
    assert [str(m) for m in progress.context["messages"]] == [
        "Sending to 3 recipients in the background."
    ]
    assert progress.context["progress"] == {
        "status": "queued",
        "total": 3,
        "sent": 3,
        "failed": 0,
        "waiting": 0,
    }


def test_the_same_form_sent_twice_starts_one_bulk_send(
    admin_client, delegations, django_capture_on_commit_callbacks
):
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", delegations)

    with django_capture_on_commit_callbacks(execute=True):
        one = step_two(admin_client, DELEGATIONS_URL, first, "Hi", "Text")
        two = step_two(admin_client, DELEGATIONS_URL, first, "Hi", "Text")

    bulk = BulkSend.objects.get()
    assert (
        one.url
        == two.url
        == reverse("admin:hanoi_event_bulksend_change", args=[bulk.pk])
    )
    assert OutboundEmail.objects.count() == 3
    assert len(mail.outbox) == 3


def test_delegations_without_focal_point_only_are_refused(admin_client, event):
    lonely = [DelegationFactory(event=event, focal_point=None) for _ in range(2)]
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", lonely)
    assert (first.context["address_count"], first.context["skipped_count"]) == (0, 2)

    response = step_two(admin_client, DELEGATIONS_URL, first, "Hi", "Text")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "None of the selected records has an address to send to."
    ]
    assert BulkSend.objects.count() == 0


def test_participants_email_skips_withdrawn_and_uses_preferred_language(
    admin_client, event, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(event=event)
    approved = ParticipantFactory(
        delegation=delegation,
        email="approved@example.org",
        status=ParticipantStatus.APPROVED,
        preferred_language="es",
    )
    submitted = ParticipantFactory(delegation=delegation, email="submitted@example.org")
    withdrawn = ParticipantFactory(
        delegation=delegation,
        email="withdrawn@example.org",
        status=ParticipantStatus.WITHDRAWN,
    )
    ParticipantFactory(delegation=delegation, email="not-selected@example.org")
    selected = [approved, submitted, withdrawn]

    first = step_one(admin_client, PARTICIPANTS_URL, "email_participants", selected)
    assert (first.context["address_count"], first.context["skipped_count"]) == (2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = step_two(admin_client, PARTICIPANTS_URL, first, "Badges", "Text")

    bulk = BulkSend.objects.get()
    assert response.url == reverse("admin:hanoi_event_bulksend_change", args=[bulk.pk])
    assert bulk.total == 2
    assert {(r.to_email, r.language, r.about) for r in OutboundEmail.objects.all()} == {
        ("approved@example.org", "es", approved),
        ("submitted@example.org", "en", submitted),
    }


def test_select_across_emails_every_filtered_record(
    admin_client, event, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(event=event)
    approved = [
        ParticipantFactory(
            delegation=delegation,
            email=f"ok{n}@example.org",
            status=ParticipantStatus.APPROVED,
        )
        for n in range(3)
    ]
    ParticipantFactory(delegation=delegation, email="pending@example.org")
    url = f"{PARTICIPANTS_URL}?status__exact=approved"

    # Only one row ticked on the page, but "select all" across the filter.
    first = step_one(
        admin_client, url, "email_participants", approved[:1], select_across="1"
    )
    assert first.context["address_count"] == 3
    assert 'name="select_across" value="1"' in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        step_two(admin_client, url, first, "Approved", "Text")

    assert set(OutboundEmail.objects.values_list("to_email", flat=True)) == {
        "ok0@example.org",
        "ok1@example.org",
        "ok2@example.org",
    }


@pytest.fixture
def staff_without_bulk_permission(client, db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_delegation", "change_delegation"]
        )
    )
    staff_two_factor_pass(client, user)
    return user


def action_names(response) -> list[str]:
    return [
        name
        for name, _label in response.context["action_form"].fields["action"].choices
    ]


def test_staff_without_add_bulksend_cannot_email(
    client,
    staff_without_bulk_permission,
    delegations,
    django_capture_on_commit_callbacks,
):
    changelist = client.get(DELEGATIONS_URL)
    assert changelist.status_code == 200
    assert "invite_focal_points" in action_names(changelist)
    assert "email_focal_points" not in action_names(changelist)

    with django_capture_on_commit_callbacks(execute=True):
        forged = client.post(
            DELEGATIONS_URL,
            {
                "action": "email_focal_points",
                "_selected_action": [str(d.pk) for d in delegations],
                "index": "0",
                "select_across": "0",
                "apply": "1",
                "send_token": "forged",
                "subject": "Forged",
                "text_body": "Text",
            },
        )

    assert forged.status_code == 302
    assert forged.url == DELEGATIONS_URL
    assert BulkSend.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_the_add_bulksend_permission_offers_the_action(
    client, staff_without_bulk_permission
):
    staff_without_bulk_permission.user_permissions.add(
        Permission.objects.get(codename="add_bulksend")
    )

    changelist = client.get(DELEGATIONS_URL)

    assert "email_focal_points" in action_names(changelist)


def test_the_action_refuses_a_user_without_permission_when_called_directly(
    rf, staff_without_bulk_permission, delegations
):
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    from delegations.bulk_email import email_focal_points

    request = rf.post(DELEGATIONS_URL)
    request.user = staff_without_bulk_permission
    with pytest.raises(PermissionDenied):
        email_focal_points(
            admin.site._registry[Delegation], request, Delegation.objects.all()
        )


def _delegations_with_focal_points(event, start: int, count: int) -> list[Delegation]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"fp{n:04d}", email=f"fp{n:04d}@example.org")
        for n in range(start, start + count)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bulk Organisation {n:04d}", kind=OrganisationKind.NGO)
        for n in range(start, start + count)
    )
    return Delegation.objects.bulk_create(
        Delegation(event=event, organisation=o, focal_point=u)
        for o, u in zip(organisations, users, strict=True)
    )


def test_step_one_queries_do_not_grow_with_the_selection(admin_client, event):
    small = _delegations_with_focal_points(event, 0, 10)
    large = _delegations_with_focal_points(event, 10, 200)
    counts = {}
    for label, selection in [("10", small), ("200", large)]:
        with CaptureQueriesContext(connection) as ctx:
            response = step_one(
                admin_client, DELEGATIONS_URL, "email_focal_points", selection
            )
        assert response.context["address_count"] == len(selection)
        counts[label] = len(ctx.captured_queries)

    assert counts["10"] == counts["200"]
    assert counts["200"] <= STEP_ONE_MAX_QUERIES


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 360])
def test_organizer_emails_focal_points_from_the_changelist_in_the_browser(
    live_server, page, tmp_path, width
):
    from playwright.sync_api import expect

    from tests.browser import admin_login

    organizer = UserFactory(
        username="organizer",
        email="organizer@example.org",
        is_staff=True,
        is_superuser=True,
    )
    event = EventFactory(is_current=True)
    for n in range(2):
        DelegationFactory(
            event=event, focal_point=UserFactory(email=f"dao{n}@example.org")
        )
    DelegationFactory(event=event, focal_point=None)

    admin_login(page, live_server, organizer, "correct horse battery staple")
    page.goto(f"{live_server.url}{DELEGATIONS_URL}")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("email_focal_points")
    page.locator("button[name=index]").click()
    page.set_viewport_size({"width": width, "height": 800})

    expect(page.locator("#bulk-email-summary")).to_contain_text(
        "This message will be sent to 2 addresses."
    )
    expect(page.locator("#bulk-email-summary")).to_contain_text(
        "1 selected record is skipped"
    )
    page.get_by_label("Subject").fill("Accreditation deadline")
    page.get_by_label("Message").fill(
        "Dear focal point of {{ organisation_name }},\nplease submit by Friday."
    )
    page.get_by_role("button", name="Preview").click()
    first = Delegation.objects.filter(focal_point__isnull=False).order_by("pk")[0]
    expect(page.locator("#bulk-email-preview-text")).to_have_text(
        f"Dear focal point of {first.organisation.name},\nplease submit by Friday."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / "bulk-email-form.png"), full_page=True)
    page.get_by_role("button", name="Send").click()

    page.wait_for_url("**/admin/hanoi_event/bulksend/*/change/")
    expect(page.locator('#bulk-progress [data-field="sent"]')).to_have_text("2")
    expect(page.locator('#bulk-progress [data-field="total"]')).to_have_text("2")
    page.screenshot(path=str(tmp_path / "bulk-progress.png"), full_page=True)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dao0@example.org",
        "dao1@example.org",
    ]


def _step_two_preview(client, url, first_response, subject, text_body):
    context = first_response.context
    return client.post(
        url,
        {
            "action": context["action_name"],
            "_selected_action": context["selected_ids"],
            "index": "0",
            "select_across": context["select_across"],
            "apply": "1",
            "preview": "1",
            "send_token": context["form"]["send_token"].value(),
            "subject": subject,
            "text_body": text_body,
        },
    )


def test_placeholders_are_filled_in_for_each_recipient(
    admin_client, event, django_capture_on_commit_callbacks
):
    from tests.factories import StateFactory

    delegation = DelegationFactory(
        event=event,
        organisation=StateFactory(name="Argentina", iso2="AR", iso3="ARG"),
        focal_point=UserFactory(email="dao@ar.example"),
    )
    ParticipantFactory(
        delegation=delegation,
        email="dao@ar.example",
        given_names="Ana",
        family_name="Pérez",
    )
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", [delegation])

    with django_capture_on_commit_callbacks(execute=True):
        step_two(
            admin_client,
            DELEGATIONS_URL,
            first,
            "{{ organisation_name }}: the list",
            "Dear {{ recipient_name }},\nthe delegation of {{ organisation_name }}"
            " is expected at {{ event_venue }}.",
        )

    row = OutboundEmail.objects.get(kind=BULK)
    assert row.subject == "Argentina: the list"
    assert row.text_body == (
        f"Dear Ana PÉREZ,\nthe delegation of Argentina is expected at {event.venue}."
    )


def test_preview_shows_the_message_as_the_first_recipient_reads_it_and_sends_nothing(
    admin_client, delegations
):
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", delegations)

    response = _step_two_preview(
        admin_client,
        DELEGATIONS_URL,
        first,
        "Hello {{ organisation_name }}",
        "Line one\nLine two for {{ recipient_email }}",
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    first_recipient = response.context["listed_recipients"][0][0]
    assert preview["subject"] == f"Hello {delegations[0].organisation.name}"
    assert preview["text"] == f"Line one\nLine two for {first_recipient}"
    html = response.content.decode()
    assert "Who gets it" in html
    for n in range(3):
        assert f"fp{n}@example.org" in html
    assert BulkSend.objects.count() == 0


def test_unknown_placeholders_and_template_tags_are_refused(admin_client, delegations):
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", delegations)

    response = step_two(
        admin_client, DELEGATIONS_URL, first, "Hi {{ passport_number }}", "{% now %}"
    )

    assert response.context["form"].errors == {
        "subject": ["Unknown placeholder: {{ passport_number }}."],
        "text_body": [
            "Only placeholders such as {{ recipient_name }} may be used here."
        ],
    }
    assert BulkSend.objects.count() == 0


def test_one_recipient_is_one_recipient_and_the_message_keeps_its_lines(
    admin_client, event, django_capture_on_commit_callbacks
):
    delegation = DelegationFactory(
        event=event, focal_point=UserFactory(email="only@example.org")
    )
    first = step_one(admin_client, DELEGATIONS_URL, "email_focal_points", [delegation])
    with django_capture_on_commit_callbacks(execute=True):
        response = step_two(
            admin_client, DELEGATIONS_URL, first, "S", "First line\nSecond line"
        )
    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert "Sending to 1 recipient in the background." in html
    assert "First line\nSecond line</pre>" in html
