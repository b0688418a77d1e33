"""The database index: one row per language of each searchable object.

It is kept whatever the configured backend: it is what the database backend searches,
what the Elasticsearch backend falls back to when the cluster is down, and the record of
what may be shown (an Elasticsearch hit with no row here is dropped, so an update the
cluster missed never shows hidden content).

Matching columns per database (docs/search.md):
- PostgreSQL: `vector`, a weighted tsvector (title A, body B) in the language's text
  search configuration plus the folded text in `simple`, GIN-indexed (migration 0002).
- SQLite: the FTS5 table `search_entry_fts` over `folded_title` and `folded_body`, kept
  in step by triggers (migration 0002); a LIKE scan where FTS5 is missing.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    object_pk = models.CharField(_("object id"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(_("key"), max_length=120)
    group_key = models.CharField(_("result group"), max_length=120)
    parent = models.CharField(_("belongs to"), max_length=120, blank=True)
    title = models.TextField(_("title"), blank=True)
    body = models.TextField(_("text"), blank=True)
    folded_title = models.TextField(blank=True, editable=False)
    folded_body = models.TextField(blank=True, editable=False)
    agency_id = models.PositiveIntegerField(_("agency"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    extra = models.JSONField(_("display data"), default=dict, blank=True)
    checksum = models.CharField(max_length=64, editable=False)
    refresh_at = models.DateTimeField(_("re-index at"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"))
    # PostgreSQL only (NULL elsewhere); its GIN index is created by migration 0002.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_pk", "language"], name="search_entry_one_per_language"
            ),
        ]
        indexes = [
            models.Index(fields=["parent"], name="search_entry_parent"),
            models.Index(fields=["kind", "date"], name="search_entry_kind_date"),
            models.Index(fields=["agency_id"], name="search_entry_agency"),
            models.Index(fields=["refresh_at"], name="search_entry_refresh"),
            models.Index(fields=["indexed_at"], name="search_entry_indexed"),
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.language}]"
