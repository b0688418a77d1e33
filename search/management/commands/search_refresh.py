"""`manage.py search_refresh`: re-index what the clock changed (a draft's discussion
closed, a petition's collection ended). Run it every few minutes from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search.services import index_refresh


class Command(BaseCommand):
    help = "Re-index search entries whose derived status is due to change."

    def handle(self, *args, **options) -> None:
        count = index_refresh()
        self.stdout.write(f"Re-indexed {count} objects.")
