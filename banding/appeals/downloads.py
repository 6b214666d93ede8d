"""One way to hand a stored file to the user who may see it: as an attachment, never sniffed
into another type, never cached by a shared cache."""

from typing import IO

from django.http import FileResponse


def private_download(file: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
