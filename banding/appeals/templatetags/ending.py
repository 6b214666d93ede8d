"""The staff's forms that end an appeal early, for appeals/includes/ending.html: offered on
an open appeal to the roles that may end it (no query: the user's roles are read once per
request)."""

from __future__ import annotations

from typing import Any

from django import template

from banding.accounts.models import User
from banding.appeals.forms.ending import DuplicateForm, WithdrawalForm
from banding.appeals.models import Appeal
from banding.appeals.services import may_end
from banding.appeals.views.ending import DUPLICATE_PREFIX, WITHDRAW_PREFIX

register = template.Library()


@register.simple_tag
def ending_forms(appeal: Appeal, user: User, bound: Any = None) -> dict | None:
    """The two forms (the one sent again with its errors when `bound`), or None."""
    if not (appeal.is_open and may_end(user)):
        return None
    withdraw = bound if isinstance(bound, WithdrawalForm) else None
    duplicate = bound if isinstance(bound, DuplicateForm) else None
    return {
        "withdraw": withdraw or WithdrawalForm(prefix=WITHDRAW_PREFIX),
        "duplicate": duplicate or DuplicateForm(prefix=DUPLICATE_PREFIX),
        "open": "withdraw" if withdraw else "duplicate" if duplicate else "",
    }
