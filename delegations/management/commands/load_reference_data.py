"""manage.py load_reference_data: the UN Member and observer States and
well-known organisations. Safe to run again."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from delegations.reference_data import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the 193 UN Member States, the 2 observer States and well-known "
        "UN entities and intergovernmental organisations from delegations/data/. "
        "Idempotent: rows already up to date are left alone; rows that differ "
        "from the files are updated; nothing is deleted."
    )

    def handle(self, *args, **options) -> None:
        try:
            result = reference_data_load()
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary))
