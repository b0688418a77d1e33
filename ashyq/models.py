"""Model building blocks shared by every app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models


class AppendOnlyError(PermissionDenied):
    """An audit record was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} records are never changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} records are never deleted.")


class AppendOnlyModel(models.Model):
    """A record of something that happened: written once, never updated, never deleted
    (audit events, obligation events, moderation actions). The admin shows them read-only."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} records are never deleted.")
