from django.core.management.base import BaseCommand

from hanoi_event.email_templates import TEMPLATED_KINDS, shipped_template
from hanoi_event.models import EmailTemplate


class Command(BaseCommand):
    help = (
        "Load the shipped English email templates (templates/emails/). Adds missing "
        "ones; with --overwrite, replaces the English texts edited in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, overwrite=False, **options):
        created = updated = 0
        for kind in TEMPLATED_KINDS:
            texts = shipped_template(kind.value)
            template, was_created = EmailTemplate.objects.get_or_create(
                kind=kind.value, language="en", defaults=texts
            )
            if was_created:
                created += 1
            elif overwrite:
                for field, value in texts.items():
                    setattr(template, field, value)
                template.full_clean()
                template.save()
                updated += 1
        self.stdout.write(f"{created} template(s) created, {updated} replaced.")
