"""Refusing oversize roster uploads while they stream in, before they fill the disk."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the multipart envelope (boundaries, the CSRF token, the form's other fields).
ENVELOPE_BYTES = 16 * 1024


def declared_too_large(request, limit: int) -> bool:
    """The request says up front it is larger than any upload we accept."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + ENVELOPE_BYTES


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts the bytes of every uploaded file and stops the upload past `limit`.

    Put first in `request.upload_handlers`; Django's own handlers still store the
    files (in memory when small, else in a temporary file on disk).
    """

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
