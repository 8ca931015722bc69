"""Sending a stored file (a report, an uploaded spreadsheet) to a browser, wherever it is kept.

Files go through Django's default storage: a folder under VAR_DIR on a developer's machine,
an S3-compatible bucket in production (config/env.py, docs/adr/0040). A download is streamed
by the web process, after the view's scope check and its security log entry, so the bucket is
never reachable from a browser and no link outlives the person's session.
"""

from botocore.exceptions import ClientError
from django.http import FileResponse, Http404


class _Body:
    """The bucket's answer as a file FileResponse reads in blocks: the object is never
    gathered in memory, as django-storages' own file object would gather it."""

    def __init__(self, body):
        self.body = body

    def read(self, size=-1):
        return self.body.read(None if size is None or size < 0 else size)

    def close(self):
        self.body.close()


def open_for_download(field_file):
    """The file's bytes as a readable, and their size (None when the store does not say)."""
    storage = field_file.storage
    bucket = getattr(storage, "bucket", None)
    if bucket is None:
        opened = storage.open(field_file.name, "rb")
        return opened, None
    # The portal sets no key prefix (config/env.py), so the file's name is its key.
    answer = bucket.Object(field_file.name).get()
    return _Body(answer["Body"]), answer["ContentLength"]


def download_response(field_file, *, filename):
    """A response that streams the stored file as an attachment named `filename`; a 404 when
    the store no longer has it (removed by hand, or by a lifecycle rule set too short)."""
    try:
        readable, size = open_for_download(field_file)
    except FileNotFoundError:
        raise Http404("The file is no longer kept.") from None
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
            raise
        raise Http404("The file is no longer kept.") from None
    response = FileResponse(readable, as_attachment=True, filename=filename)
    if size is not None:
        response["Content-Length"] = str(size)
    return response
