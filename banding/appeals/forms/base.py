"""What every form of the workspace shares: Bootstrap classes, Indonesian required-field
messages, datetime-local inputs and service errors placed on the fields."""

from __future__ import annotations

from typing import Any

from django import forms

from banding.errors import ServiceError, said

_DEFAULT_REQUIRED = str(forms.Field.default_error_messages["required"])


class BootstrapForm(forms.Form):
    """Widgets get Bootstrap classes; "This field is required" says which field, in Indonesian."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Classes and messages for the fields; again by a form that adds fields of its own."""
        for name, field in self.fields.items():
            if str(field.error_messages.get("required")) == _DEFAULT_REQUIRED:
                label = field.label or name.replace("_", " ").capitalize()
                field.error_messages["required"] = f"{label} wajib diisi."
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
