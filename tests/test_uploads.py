"""banding.appeals.uploads: files are accepted by what they contain, not by their name."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from banding.appeals.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    check_upload,
    files_removed_on_error,
    human_size,
)
from banding.errors import Invalid

MB = 1024 * 1024
NOT_ACCEPTED = "tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX."

PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# A JFIF header followed by the end-of-image marker.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def png_bytes() -> bytes:
    """A real 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/></Relationships>'
)


def content_types(part: str, content_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        f'"application/xml"/><Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )


def docx_bytes() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": content_types(
                "word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            "_rels/.rels": RELS.format(target="word/document.xml"),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Surat '
                "banding</w:t></w:r></w:p></w:body></w:document>"
            ),
        }
    )


def xlsx_bytes() -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return zipped(
        {
            "[Content_Types].xml": content_types(
                "xl/workbook.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            ),
            "_rels/.rels": RELS.format(target="xl/workbook.xml"),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="http://'
                'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                'name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": RELS.format(target="worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>Kadar air</t></is></c></row>'
                "</sheetData></worksheet>"
            ),
        }
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's word on the type is deliberately wrong: it must not matter.
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("surat.pdf", PDF_BYTES, PDF),
        ("foto.jpg", JPEG_BYTES, JPEG),
        ("foto.png", png_bytes(), PNG),
        ("lampiran.docx", docx_bytes(), DOCX),
        ("data.xlsx", xlsx_bytes(), XLSX),
    ],
)
def test_accepted_kinds_are_recognised_by_their_content(name, content, content_type):
    file = upload(name, content)

    checked = check_upload(file)

    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.upload is file
    # Left at the start, so storing it afterwards writes the whole file.
    assert file.read() == content


def test_the_name_does_not_decide_the_kind():
    assert check_upload(upload("foto.pdf", png_bytes())).content_type == PNG
    assert check_upload(upload("laporan", docx_bytes())).content_type == DOCX


def test_a_large_upload_kept_on_disk_is_checked_the_same_way():
    content = xlsx_bytes()
    file = TemporaryUploadedFile("data.xlsx", "text/plain", len(content), None)
    file.write(content)
    file.seek(0)

    checked = check_upload(file)

    assert (checked.content_type, checked.size) == (XLSX, len(content))
    assert file.read() == content
    file.close()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("catatan.pdf", b"Ini catatan biasa, bukan PDF.\n"),
        ("halaman.pdf", b"<!DOCTYPE html><html><body>%PDF-1.4</body></html>"),
        ("arsip.docx", zipped({"readme.txt": "bukan dokumen Word"})),
        # An Office package of another kind (PowerPoint) is neither DOCX nor XLSX.
        (
            "slide.docx",
            zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
        ),
        # Word's part without the package's content types is not a DOCX.
        ("setengah.docx", zipped({"word/document.xml": "<w:document/>"})),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x00" * 64),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("gif.png", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    with pytest.raises(Invalid) as info:
        check_upload(upload(name, content))

    assert info.value.code == "upload_type"
    assert info.value.message == f"Berkas {name} {NOT_ACCEPTED}"


def test_an_empty_file_is_refused():
    with pytest.raises(Invalid) as info:
        check_upload(upload("kosong.pdf", b""))

    assert (info.value.code, info.value.message) == ("upload_empty", "Berkas kosong.pdf kosong.")


def test_the_default_limit_is_20_mb(settings):
    assert settings.BANDING_UPLOAD_MAX_BYTES == 20 * MB


def test_a_file_above_the_limit_is_refused(settings):
    settings.BANDING_UPLOAD_MAX_BYTES = 1024
    content = PDF_BYTES + b"0" * (2048 - len(PDF_BYTES))

    with pytest.raises(Invalid) as info:
        check_upload(upload("besar.pdf", content))

    assert info.value.code == "upload_too_large"
    assert info.value.message == "Berkas besar.pdf berukuran 2 KB, melebihi batas 1 KB."


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.BANDING_UPLOAD_MAX_BYTES = 1024
    content = PDF_BYTES + b"0" * (1024 - len(PDF_BYTES))

    assert check_upload(upload("pas.pdf", content)).size == 1024


def test_a_file_just_above_the_default_limit_does_not_read_as_equal_to_it():
    content = PDF_BYTES + b"0" * (20 * MB + 1 - len(PDF_BYTES))

    with pytest.raises(Invalid) as info:
        check_upload(upload("besar.pdf", content))

    assert info.value.message == "Berkas besar.pdf berukuran 20,1 MB, melebihi batas 20 MB."


def test_the_size_check_comes_before_reading_the_content(settings):
    settings.BANDING_UPLOAD_MAX_BYTES = 10

    with pytest.raises(Invalid) as info:
        check_upload(upload("catatan.txt", b"bukan berkas yang diterima"))

    assert info.value.code == "upload_too_large"


@pytest.mark.parametrize(
    ("size", "up", "text"),
    [
        (20 * MB, False, "20 MB"),
        (MB + MB // 2, False, "1,5 MB"),
        (MB + 1, False, "1 MB"),
        (MB + 1, True, "1,1 MB"),
        (512 * 1024, False, "512 KB"),
        (1536, False, "1,5 KB"),
        (900, False, "900 byte"),
    ],
)
def test_sizes_are_written_the_indonesian_way(size, up, text):
    assert human_size(size, up=up) == text


def test_files_written_by_a_failed_action_are_removed():
    with pytest.raises(RuntimeError), files_removed_on_error() as written:
        written.append(default_storage.save("appeals/uji/a", ContentFile(b"a")))
        written.append(default_storage.save("appeals/uji/b", ContentFile(b"b")))
        raise RuntimeError("gagal")

    assert not default_storage.exists("appeals/uji/a")
    assert not default_storage.exists("appeals/uji/b")


def test_files_written_by_a_successful_action_stay():
    with files_removed_on_error() as written:
        written.append(default_storage.save("appeals/uji/c", ContentFile(b"c")))

    assert default_storage.exists("appeals/uji/c")


def test_a_macro_enabled_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"'
            ' PartName="/word/document.xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00")
    upload = SimpleUploadedFile("laporan.docx", buffer.getvalue())
    with pytest.raises(Invalid) as info:
        check_upload(upload)
    assert info.value.code == "upload_type"
