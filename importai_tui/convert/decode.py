"""Bytes to text: UTF-8 (BOM allowed), UTF-16 with BOM, else cp1252, else latin-1.

Rejects empty, whitespace-only and binary input with ``ConversionError``.
"""

from __future__ import annotations

from importai_tui.convert.errors import ConversionError

# Bytes that never occur in a text file (C0 controls except \t \n \r \f and ESC).
_BINARY_BYTES = bytes([b for b in range(32) if b not in (9, 10, 12, 13, 27)])


def decode_bytes(data: bytes) -> str:
    """Decode one input file's bytes; raise ``ConversionError`` for empty/binary data."""
    if not data or not data.strip():
        raise ConversionError("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ConversionError("binary file (bad UTF-16)") from None
    # A few stray control bytes are sanitised later; many mean a binary file.
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    # More than 1% of the bytes, and either many of them or a tenth of a small file.
    if controls > len(sample) // 100 and (controls > 16 or controls * 10 > len(sample)):
        raise ConversionError("binary file (not text)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if not text.strip():
        raise ConversionError("empty file")
    return text
