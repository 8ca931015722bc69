"""Log filters named in the LOGGING setting."""

import logging

from django.core.exceptions import PermissionDenied


class DropPermissionDenied(logging.Filter):
    """Drops Django's "Forbidden (Permission denied)" line and its traceback.

    A refused request is a normal event: the 403 handler writes the security log, whose one line
    names the path and the user, so Django's warning would only repeat it with a traceback.
    """

    def filter(self, record):
        return not (record.exc_info and isinstance(record.exc_info[1], PermissionDenied))
