from django.core.management.base import BaseCommand, CommandError

from regions.ods import OdsFileError, read_shipped_trusts
from regions.services import (
    REFERENCE_DATA_FILE,
    ReferenceDataError,
    organisations_load_from_ods,
    reference_data_load,
    reference_data_read,
)


class Command(BaseCommand):
    help = (
        "Load region schemes, regions, organisations and Patient Safety Collaboratives from "
        "the reference data file, then every NHS trust from the shipped ODS file. Creates what "
        "is missing and leaves existing rows alone, so admin edits are kept; safe to run on "
        "every deploy."
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
            trusts = organisations_load_from_ods(trusts=read_shipped_trusts())
        except (ReferenceDataError, OdsFileError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary())
        counts = trusts.counts()
        self.stdout.write(
            f"NHS trusts from ODS: {counts['added']} added, {len(trusts.changes)} updated, "
            f"{counts['unchanged']} unchanged, {counts['kept']} values kept as edited here."
        )
