"""``manage.py sync_roles``: the staff role groups with their declared permissions."""

from django.core.management.base import BaseCommand

from hanoi_event.roles import role_permissions, roles_sync


class Command(BaseCommand):
    help = (
        "Create or update the staff role groups (Organizer, Accreditation officer, "
        "...) with exactly the permissions the apps declare (each app's roles.py). "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        roles_sync()
        declared = role_permissions()
        for name, codes in declared.items():
            self.stdout.write(f"{name}: {len(codes)} permissions")
        self.stdout.write(self.style.SUCCESS(f"{len(declared)} roles in sync."))
