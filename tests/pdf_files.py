"""Small real PDFs for upload tests (the portal parses every PDF it takes)."""

import io

from pypdf import PdfWriter


def pdf_bytes(*, pages: int = 1, password: str | None = None) -> bytes:
    """A PDF of ``pages`` blank A4 pages, encrypted with ``password`` if given."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
