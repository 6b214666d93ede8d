"""What every form of the workspace shares: Bootstrap classes, Indonesian required-field
messages, datetime-local inputs, service errors placed on the fields, and the input checks
every field gets (banding.inputs, the API's too): no control character in a text, no date
outside the plausible range."""

from __future__ import annotations

from types import MethodType
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from banding import inputs
from banding.accounts.models import User
from banding.appeals import staging
from banding.appeals.staged import StagedUpload
from banding.errors import Invalid, ServiceError, said

_DEFAULT_REQUIRED = str(forms.Field.default_error_messages["required"])

# Above a form shown again with its fields marked (the portal shows it translated: said()).
INVALID_FORM = N_("Periksa kembali isian yang ditandai.")


# The names, beside a file input's own, of the hidden references to the files kept from the
# submission before and of their remove boxes (templates/includes/kept_files.html).
KEPT = "-tersimpan"
DROP = "-hapus"


class BootstrapForm(forms.Form):
    """Widgets get Bootstrap classes; "This field is required" says which field, in Indonesian.

    Files survive a refusal: a view calls `keep_files(user)` before validating, `stage_files()`
    when it shows the form again with an error and `files_saved()` once the service took them
    (banding.appeals.staging)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()
        self._owner: User | None = None
        self._kept_errors: dict[str, str] = {}

    def _file_fields(self) -> list[tuple[str, forms.FileField]]:
        return [(n, f) for n, f in self.fields.items() if isinstance(f, forms.FileField)]

    def keep_files(self, owner: User) -> None:
        """Before validation: the files kept from the submission before (the owner's own,
        named by the hidden references, less those whose remove box is ticked) join the files
        uploaded now, as uploads. A new file chosen for a single-file input replaces the kept
        one. A reference that resolves to nothing of the owner's is an error on its field."""
        self._owner = owner
        if not self.is_bound:
            return
        files = MultiValueDict({k: list(v) for k, v in self.files.lists()})
        for name, field in self._file_fields():
            key = self.add_prefix(name)
            dropped = set(self._listed(key + DROP))
            wanted = [r for r in self._listed(key + KEPT) if r not in dropped]
            staging.discard(owner=owner, references=dropped)
            try:
                kept = staging.owned(owner=owner, references=wanted)
            except Invalid as error:
                self._kept_errors[name] = error.message
                continue
            new = files.getlist(key)
            if not isinstance(field.widget, MultipleFileInput) and new and kept:
                staging.discard(owner=owner, references=[str(s.public_id) for s in kept])
                kept = []
            files.setlist(key, [staging.reopen(s) for s in kept] + new)
        self.files = files

    def _listed(self, key: str) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        if getlist is not None:
            return list(getlist(key))
        value = self.data.get(key)
        return [] if value is None else list(value) if isinstance(value, list) else [value]

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # BaseForm's, missing from the stubs
        for name, message in self._kept_errors.items():
            self.add_error(name, message)

    def stage_files(self) -> None:
        """The form is shown again after a refusal: keep every file it carried (checked as
        every upload is) for the re-shown form to list. A file the checks refuse is not kept;
        its reason is put on its field."""
        if self._owner is None or not self.is_bound:
            return
        for name, field in self._file_fields():
            kept: list[StagedUpload] = []
            for upload in self.files.getlist(self.add_prefix(name)):
                try:
                    kept.append(staging.stage(owner=self._owner, upload=upload))
                except Invalid as error:
                    if hasattr(self, "cleaned_data") and error.message not in self.errors.get(
                        name, []
                    ):
                        self.add_error(name, error.message)
            field.kept = kept  # type: ignore[attr-defined]
            if kept:
                # A file is attached: the input itself is no longer required in the browser
                # (the widget is this form's own copy).
                field.widget.use_required_attribute = _never

    def files_saved(self) -> None:
        """The service took the files: the kept ones are no longer needed."""
        if self._owner is None or not self.is_bound:
            return
        references = [
            str(upload.staged.public_id)
            for name, _field in self._file_fields()
            for upload in self.files.getlist(self.add_prefix(name))
            if isinstance(upload, staging.Reopened)
        ]
        for name, _field in self._file_fields():
            for upload in self.files.getlist(self.add_prefix(name)):
                upload.close()
        staging.discard(owner=self._owner, references=references)

    def style_fields(self) -> None:
        """Classes and messages for the fields; again by a form that adds fields of its own."""
        for name, field in self.fields.items():
            check_inputs(field)
            if str(field.error_messages.get("required")) == _DEFAULT_REQUIRED:
                label = field.label or name.replace("_", " ").capitalize()
                field.error_messages["required"] = gettext("%(label)s wajib diisi.") % {
                    "label": label
                }
            widget = field.widget
            # CheckboxSelectMultiple is a RadioSelect.
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            if css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def apply_service_error(self, error: ServiceError) -> None:
        """Put a service's field errors on the matching fields; the message itself is shown
        at the top of the form by the view."""
        for name, messages in error.fields.items():
            if name in self.fields:
                shown = messages if isinstance(messages, list) else [messages]
                self.add_error(name, [said(m) for m in shown])


def check_inputs(field: forms.Field) -> None:
    """The field refuses, before reading it, a text with a control character, and, once read,
    a date outside the plausible range: with banding.inputs' messages, on the field. Django's
    own NUL check is replaced by this one. (A file name reaches a form without control
    characters and at most 255 characters long: Django's multipart parser sees to it.)"""
    if field.__dict__.get("_inputs_checked") == id(field):
        return
    field._inputs_checked = id(field)  # type: ignore[attr-defined]
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    field.clean = MethodType(_checked_clean, field)  # type: ignore[method-assign]


def _checked_clean(field: forms.Field, value: Any, *args: Any) -> Any:
    inputs.refuse_control_characters(value)
    cleaned = type(field).clean(field, value, *args)
    inputs.refuse_implausible_date(cleaned)
    return cleaned


def _never(initial: Any) -> bool:
    return False


class DateTimeLocalInput(forms.DateTimeInput):
    """`<input type="datetime-local">`; the value is read in the current time zone
    (Asia/Jakarta), which Django's DateTimeField does on its own."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if self.required and not data:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})
