"""Fill an empty site with the demo publication; safe to run again (it never duplicates).

Each installed app brings its own demo: a `demo` module with

    def load_demo(*, stdout, update: bool, dry_run: bool, renditions: bool) -> None

that adds the app's demo rows unless they exist (overwriting them only with `update`), skips
files when `dry_run` (the command rolls the rows back), and writes a line or two about what it did.
The apps load in INSTALLED_APPS order, so an app's demo may use the rows of the apps before it."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

DEMO_MODULE = "demo"


def demo_loaders() -> list:
    """Every installed app's `demo.load_demo`, in INSTALLED_APPS order."""
    loaders = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, DEMO_MODULE):
            module = import_module(f"{app_config.name}.{DEMO_MODULE}")
            if callable(getattr(module, "load_demo", None)):
                loaders.append(module.load_demo)
    return loaders


class Command(BaseCommand):
    help = (
        "Load the demo publication: categories, menu, pages, authors, accounts, about forty "
        "articles and each other app's demo (the support sidebar, donations). Safe to run again: "
        "it adds what is missing and leaves existing rows (and any edits made in the admin) "
        "alone, unless --update is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite demo rows that already exist with the shipped text.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, then roll back."
        )
        parser.add_argument(
            "--no-renditions",
            action="store_true",
            help="Skip the resized copies of the demo pictures (faster; pages fall back to the file).",
        )

    def handle(
        self,
        *args,
        update: bool = False,
        dry_run: bool = False,
        no_renditions: bool = False,
        **options,
    ) -> None:
        with transaction.atomic():
            for load_demo in demo_loaders():
                load_demo(
                    stdout=self.stdout,
                    update=update,
                    dry_run=dry_run,
                    renditions=not no_renditions,
                )
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run, nothing saved."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo content ready."))
