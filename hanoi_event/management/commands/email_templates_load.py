from django.core.management.base import BaseCommand

from hanoi_event.services.templates import email_templates_ensure


class Command(BaseCommand):
    help = (
        "Load the shipped email templates of every kind the apps declare, in every "
        "language shipped. Adds missing ones; with --overwrite, replaces the texts "
        "edited in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, overwrite=False, **options):
        created, replaced = email_templates_ensure(overwrite=overwrite)
        self.stdout.write(f"{created} template(s) created, {replaced} replaced.")
