"""Helpers of the protocol tests."""

import io

from pypdf import PdfWriter


def pdf_upload(name: str = "full-powers.pdf", pages: int = 1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")
