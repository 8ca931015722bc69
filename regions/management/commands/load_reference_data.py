from django.core.management.base import BaseCommand, CommandError

from regions.services import (
    REFERENCE_DATA_FILE,
    ReferenceDataError,
    reference_data_load,
    reference_data_read,
)


class Command(BaseCommand):
    help = (
        "Load region schemes, regions, organisations and Patient Safety Collaboratives from "
        "the reference data file. Creates what is missing and leaves existing rows alone, so "
        "admin edits are kept; safe to run on every deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite the rows the file describes with the file's values.",
        )
        parser.add_argument(
            "--file",
            default=REFERENCE_DATA_FILE,
            help="The JSON file to load (default: the one in the regions app).",
        )

    def handle(self, *args, update, file, **options):
        try:
            result = reference_data_load(data=reference_data_read(file), update=update)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary())
