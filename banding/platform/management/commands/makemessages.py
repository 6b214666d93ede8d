"""Django's makemessages, also extracting `N_("...")`: the short name the code gives
`gettext_noop` where a text is marked for the catalog but kept as written (the SOP's words,
model choices, service errors: stored in Indonesian, translated where a customer reads them)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
    # No guessed translations: a new text stays untranslated (and the catalog test says so)
    # rather than borrowing a similar text's English.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
