"""Small pieces every module's services use the same way: the permission check, the
field error a form can show, re-reading a row under a lock, and required text."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

Row = TypeVar("Row", bound=models.Model)


def require(user, perm: str, obj, message) -> None:
    """`PermissionDenied(message)` unless `user` has `perm` on `obj` (the `rules` check)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def field_error(field: str, message, code: str) -> ValidationError:
    """An error a form shows on `field` (forms copy `error_dict` onto their fields)."""
    return ValidationError({field: ValidationError(message, code=code)})


def lock_row(instance: Row) -> Row:
    """Re-read `instance` under `select_for_update` and refresh its fields in place, so two
    people acting at once decide one after the other (call inside a transaction)."""
    model = type(instance)
    fresh = model._default_manager.select_for_update().get(pk=instance.pk)
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))
    return instance


def required_text(field: str, value: str, *, limit: int, message) -> str:
    """`value` stripped; a field error when it is empty (`message`) or over `limit`."""
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, "empty")
    if len(value) > limit:
        raise field_error(
            field, _("At most %(limit)d characters, please.") % {"limit": limit}, "too_long"
        )
    return value
