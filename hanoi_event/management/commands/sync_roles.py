"""``manage.py sync_roles``: the staff role groups with their declared permissions."""

from django.core.management.base import BaseCommand

from hanoi_event.roles import ROLE_PERMISSIONS, roles_sync


class Command(BaseCommand):
    help = (
        "Create or update the staff role groups (Organizer, Accreditation officer, "
        "...) with exactly the permissions declared in hanoi_event/roles.py. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        roles_sync()
        for name, codes in ROLE_PERMISSIONS.items():
            self.stdout.write(f"{name}: {len(set(codes))} permissions")
        self.stdout.write(self.style.SUCCESS(f"{len(ROLE_PERMISSIONS)} roles in sync."))
