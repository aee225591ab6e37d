"""``manage.py load_demo``: the Hanoi 2025 demo event, ready to log in to."""

from django.core.management.base import BaseCommand

from demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the reference data, the staff roles and the demo event (Hanoi 2025: "
        "rooms, programme, delegations, participants) with a demo organizer "
        "account. Running it again creates and changes nothing."
    )

    def handle(self, *args, **options) -> None:
        result = demo_load()
        event = result.event
        self.stdout.write(f"Demo event: {event.name} ({event.slug})")
        for name, count in result.totals.items():
            self.stdout.write(f"  {name.replace('_', ' ')}: {count}")
        if result.changed_anything:
            created = sum(result.created.values())
            updated = sum(result.updated.values())
            self.stdout.write(f"Created {created} and updated {updated} records.")
        else:
            self.stdout.write("Already up to date: nothing created or changed.")
        self.stdout.write(
            "Staff sign in with a second factor: at the first login the site asks "
            "you to set up an authenticator app (TOTP)."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Log in at {result.admin_url} as {result.organizer_email} "
                f"(username {result.organizer_username}), "
                f"password {result.organizer_password}"
            )
        )
