"""Model fields of our own."""

from django.core import validators
from django.db import models


class LimitedTextField(models.TextField):
    """Free text with a size, given once as `max_length` and read from here by everything else:
    the portal's forms and their hints (portal/forms.py), the admin's form, and model
    validation (`full_clean`, which an import calls). A plain TextField passes `max_length` to
    its form field only, so a row checked by the model alone could be any length.

    The column stays `text`: a longer limit later is then a change to this number alone, with
    no rewrite of the table, and no row written before the limit can fail a migration."""

    def __init__(self, *args, max_length, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(validators.MaxLengthValidator(self.max_length))
