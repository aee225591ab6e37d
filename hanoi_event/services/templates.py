"""The shipped email templates: each templated kind of the registry gets its
text in every language it ships as an EmailTemplate row that organizers edit
in the admin."""

from __future__ import annotations

from django.db import transaction

from ..mail_kinds import shipped_languages, shipped_template, templated_kinds
from ..models import EmailTemplate


@transaction.atomic
def email_templates_ensure(*, overwrite: bool = False) -> tuple[int, int]:
    """Create the template of every templated kind in every language it ships
    that has none (after every ``migrate``, and ``manage.py
    email_templates_load``). With ``overwrite``, put the shipped text back
    over an edited one. Rows of kinds no app declares any more are left
    alone. Idempotent. Returns (created, replaced)."""
    existing = {(t.kind, t.language): t for t in EmailTemplate.objects.order_by()}
    created = replaced = 0
    for kind in templated_kinds():
        for language in shipped_languages(kind.value):
            texts = shipped_template(kind.value, language)
            template = existing.get((kind.value, language))
            if template is None:
                EmailTemplate.objects.create(
                    kind=kind.value, language=language, **texts
                )
                created += 1
            elif overwrite and any(getattr(template, f) != v for f, v in texts.items()):
                for field, value in texts.items():
                    setattr(template, field, value)
                template.full_clean()
                template.save()
                replaced += 1
    return created, replaced
