"""`manage.py seed_demo`: fill the database with demo agencies, people and content.

Each installed app may ship a `demo` module with `seed(*, stdout) -> list[(email, role)]`;
this command runs them in INSTALLED_APPS order, one transaction per app, so a new module
joins the demo by adding its own `demo.py`. Every `seed` is idempotent: running the command
again changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from accounts.demo import DEMO_PASSWORD

# Every page save logs its tasks and actions at INFO: hundreds of lines that would bury
# the progress and the logins table. Shown again with -v 2.
NOISY_LOGGERS = ("django_tasks", "wagtail")


class Command(BaseCommand):
    help = "Create (or complete) the demo data set. Safe to run again."

    def handle(self, *args, **options) -> None:
        logins: list[tuple[str, str]] = []
        # The output is for developers and in English; the demo content itself is written
        # per language by each module, whatever the active language.
        with translation.override("en"), _quiet(NOISY_LOGGERS, unless=options["verbosity"] > 1):
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                seed = getattr(importlib.import_module(module_name), "seed", None)
                if not callable(seed):
                    continue
                self.stdout.write(self.style.MIGRATE_HEADING(f"{app_config.label}:"))
                with transaction.atomic():
                    logins.extend(seed(stdout=self.stdout))
        self._write_logins(logins)

    def _write_logins(self, logins: list[tuple[str, str]]) -> None:
        if not logins:
            return
        width = max(len(email) for email, _role in logins)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins:"))
        for email, role in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Password for every demo account: {DEMO_PASSWORD}"))


@contextmanager
def _quiet(names: tuple[str, ...], *, unless: bool) -> Iterator[None]:
    loggers = [] if unless else [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
