"""What may be attached to a contribution: decided by the file's content, size and count."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from ashyq.uploads import DOCX, JPEG, PDF, PNG, MultipleFileField, clean_name, validate_attachments

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_each_allowed_kind_is_recognised_by_its_content():
    files = [
        upload("a.pdf", PDF_BYTES),
        upload("scan.png", PNG_BYTES),
        upload("photo.jpeg", JPEG_BYTES),
        upload("letter.docx", docx_bytes()),
    ]
    kinds = [kind for _file, kind in validate_attachments(files)]
    assert kinds == [PDF, PNG, JPEG, DOCX]


def test_a_renamed_file_is_refused_whatever_its_name_says():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_attachments([upload("report.pdf", b"MZ\x90\x00 executable")])
        assert error.value.messages == ["report.pdf is not a PDF, DOCX, JPEG or PNG file."]


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.txt", "x")
    with pytest.raises(ValidationError):
        validate_attachments([upload("a.docx", buffer.getvalue())])


@override_settings(ASHYQ_ATTACHMENT_MAX_BYTES=100, ASHYQ_ATTACHMENT_MAX_FILES=2)
def test_size_count_and_empty_files_are_refused_with_every_problem_listed():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_attachments([upload("big.pdf", PDF_BYTES + b"x" * 200), upload("e.pdf", b"")])
        assert error.value.messages == ["big.pdf is larger than 100\xa0bytes.", "e.pdf is empty."]
        with pytest.raises(ValidationError) as error:
            validate_attachments([upload(f"{n}.pdf", PDF_BYTES) for n in range(3)])
        assert error.value.messages == ["At most 2 files, please."]


def test_the_kept_name_has_no_path_and_the_real_extension():
    assert clean_name("C:\\Users\\me\\Скан жалобы.PNG", PNG) == "Скан жалобы.png"
    assert clean_name("../../etc/passwd", PDF) == "passwd.pdf"
    assert clean_name("", JPEG) == "file.jpg"


def test_the_form_field_takes_several_files_and_is_optional():
    field = MultipleFileField()
    assert field.clean([]) == []
    files = field.clean([upload("a.pdf", PDF_BYTES), upload("b.png", PNG_BYTES)])
    assert [f.name for f in files] == ["a.pdf", "b.png"]
    assert "multiple" in field.widget.render("attachments", None)
    with translation.override("en"):
        assert str(field.help_text) == "PDF, DOCX, JPEG or PNG; up to 5 files of 10.0\xa0MB each."
