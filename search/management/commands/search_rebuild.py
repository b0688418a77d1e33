"""`manage.py search_rebuild [--kind KIND ...] [--batch-size N] [--database-only]`

Re-index everything (or some kinds) from the database: the database index always, and
Elasticsearch when configured, into a new index the alias moves to once it is complete
(searches go on meanwhile). Idempotent; safe to run again after an interruption."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import registry
from search.services import index_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the search index (database, and Elasticsearch with no downtime)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            choices=[kind.key for kind in registry.kinds()],
            help="Only this kind (repeatable). Without it, everything, and a new index.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="Leave Elasticsearch alone even when it is configured.",
        )

    def handle(self, *args, kinds=None, batch_size=500, database_only=False, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = index_rebuild(
                kinds=kinds,
                batch_size=batch_size,
                elastic_enabled=False if database_only else None,
                progress=self._progress,
            )
        except Exception as exc:
            raise CommandError(
                f"Rebuild failed: {exc}. The database index is complete up to the kind that "
                "failed; run again (with --database-only if Elasticsearch is down)."
            ) from exc
        total = sum(report.kinds.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents of {len(report.kinds)} kinds; "
                f"removed {report.removed} stale entries."
            )
        )
        if report.elastic_index:
            self.stdout.write(
                f"Elasticsearch: alias now on {report.elastic_index}"
                + (
                    f"; deleted {', '.join(report.deleted_indices)}"
                    if report.deleted_indices
                    else ""
                )
                + f"; {report.caught_up} documents caught up."
            )

    def _progress(self, kind: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        filled = int(share * BAR_WIDTH)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"{kind:<24} [{bar}] {done}/{total} ({share:.0%})")
