"""This layer's own kinds of email: messages whose text is written elsewhere
(allauth's account mail, an organizer's bulk text), so they have no editable
template. Registered by ``HanoiEventConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from .mail_kinds import MailKind

ACCOUNT = "account"
BULK = "bulk"

MAIL_KINDS = (
    MailKind(ACCOUNT, _("Account (sign-up, password)")),
    MailKind(BULK, _("Message to many (bulk send)")),
)
