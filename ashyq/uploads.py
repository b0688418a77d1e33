"""Files people attach to what they write: questions, answers, and later petitions and
draft acts. One place decides what may be uploaded, so every module refuses the same
files with the same words.

The type is decided by the file's first bytes, not by its name or the browser's claim:
a renamed executable is not a PDF. Allowed: PDF, DOCX (a ZIP holding
`word/document.xml`), JPEG and PNG. Sizes and the number of files per contribution come
from settings (ASHYQ_ATTACHMENT_MAX_BYTES, ASHYQ_ATTACHMENT_MAX_FILES).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NAME_MAX = 200


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
JPEG = FileKind("image/jpeg", "jpg")
PNG = FileKind("image/png", "png")
ACCEPT = ".pdf,.docx,.jpg,.jpeg,.png"


def private_storage() -> Storage:
    """Where attachments are kept: outside MEDIA_URL, served only through views that check
    who may see the contribution (settings.STORAGES["private"])."""
    return storages["private"]


def _sniff(upload: UploadedFile) -> FileKind | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def clean_name(name: str, kind: FileKind) -> str:
    """The name shown and offered on download: the person's own, without any path, with
    the extension of what the file really is."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '<>:"|?*')[:NAME_MAX]
    return f"{stem or 'file'}.{kind.extension}"


def validate_attachments(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, FileKind]]:
    """Check a contribution's files; raise one ValidationError listing every problem."""
    files = [upload for upload in files if upload]
    limit = settings.ASHYQ_ATTACHMENT_MAX_FILES
    max_bytes = settings.ASHYQ_ATTACHMENT_MAX_BYTES
    if len(files) > limit:
        raise ValidationError(
            _("At most %(limit)d files, please."), code="too_many", params={"limit": limit}
        )
    errors: list[ValidationError] = []
    accepted: list[tuple[UploadedFile, FileKind]] = []
    for upload in files:
        if upload.size == 0:
            errors.append(
                ValidationError(_("%(name)s is empty."), code="empty", params={"name": upload.name})
            )
            continue
        if upload.size > max_bytes:
            errors.append(
                ValidationError(
                    _("%(name)s is larger than %(limit)s."),
                    code="too_large",
                    params={"name": upload.name, "limit": filesizeformat(max_bytes)},
                )
            )
            continue
        kind = _sniff(upload)
        if kind is None:
            errors.append(
                ValidationError(
                    _("%(name)s is not a PDF, DOCX, JPEG or PNG file."),
                    code="file_type",
                    params={"name": upload.name},
                )
            )
            continue
        accepted.append((upload, kind))
    if errors:
        raise ValidationError(errors)
    return accepted


def checked_attachments(
    files: Sequence[UploadedFile], *, already: int = 0
) -> list[tuple[UploadedFile, FileKind]]:
    """`validate_attachments` for a service: the errors go on the form's "attachments"
    field, and `already` stored files count towards the limit."""
    files = [upload for upload in files if upload]
    limit = settings.ASHYQ_ATTACHMENT_MAX_FILES
    if already + len(files) > limit:
        raise ValidationError(
            {
                "attachments": ValidationError(
                    gettext("At most %(limit)d files, please.") % {"limit": limit}, code="too_many"
                )
            }
        )
    try:
        return validate_attachments(files)
    except ValidationError as error:
        raise ValidationError({"attachments": error.error_list}) from error


def _attachments_help_now() -> str:
    return gettext("PDF, DOCX, JPEG or PNG; up to %(count)d files of %(size)s each.") % {
        "count": settings.ASHYQ_ATTACHMENT_MAX_FILES,
        "size": filesizeformat(settings.ASHYQ_ATTACHMENT_MAX_BYTES),
    }


# Form fields are built when their form class is defined; the help text must be
# translated when it is shown, in the visitor's language.
_attachments_help = lazy(_attachments_help_now, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type="file" multiple>`); the cleaned value is a
    list of UploadedFile, checked by `validate_attachments`."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _attachments_help())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        else:
            files = [super().clean(data, initial)] if data else []
        files = [upload for upload in files if upload]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        validate_attachments(files)
        return files
