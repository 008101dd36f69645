"""Bytes in, text out: bounded reading, gzip, binary detection and the encoding policy.

Reading
    A regular file larger than ``max_bytes`` is refused from its size alone, before a
    byte is read.  Every read is bounded to ``max_bytes + 1`` bytes, and so is gzip
    decompression (its *output*), so neither a growing file, a pipe nor a gzip bomb can
    make newsdesk hold more than ``max_bytes`` of one input.  Gzip is recognised by its
    magic bytes (``1f 8b``), whatever the file is called; a ``.gz`` file without them is
    read as it is.

Binary detection
    Input is binary (an ``InputError``, "binary file, not text") when it starts with the
    magic bytes of a common non-text format (PNG, JPEG, PDF, ZIP, ...), or when its first
    8 KiB hold a NUL byte or more than 10% control characters other than tab, newline,
    carriage return, form feed and vertical tab.  UTF-16/32 text is recognised by its BOM
    before this check.

Encoding policy
    1. A UTF-16 or UTF-32 BOM decides; a UTF-8 BOM is removed.
    2. Valid UTF-8 is UTF-8.
    3. HTML only: a ``<meta charset>`` / ``http-equiv`` declaration in the first 4 KiB.
    4. Mostly UTF-8 with a few broken bytes (at least twice as many valid multi-byte
       sequences as broken bytes; legacy text almost never holds valid UTF-8 sequences):
       UTF-8 with U+FFFD for the broken bytes.
    5. Windows-1252 (the superset of Latin-1 that browsers use for "latin-1") when it
       decodes and reads as Western text: fewer than 30% of the letters are non-ASCII and
       no C1 control characters appear.  Charset detectors are unreliable here (they
       guess cp1250 or mac_iceland for short French or Spanish text), so this goes first.
    6. ``charset_normalizer``'s best guess, when it is confident (mess ratio <= 0.1);
       this finds Cyrillic, Greek, CJK legacy encodings and the like.
    7. Otherwise the input is refused: "not UTF-8 and its encoding could not be detected".
    Steps 3-6 log a warning naming the file and the encoding used, and the encoding is
    kept in ``Article.meta["encoding"]``.

Newlines are normalised to ``\\n`` and NUL characters removed.
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import os
import re
import stat
import zlib
from dataclasses import dataclass
from typing import IO

from ..errors import InputError

__all__ = ["Decoded", "read_bounded", "decompress", "is_gzip", "binary_kind", "decode_text", "size_text"]

logger = logging.getLogger("newsdesk.ingest")

GZIP_MAGIC = b"\x1f\x8b"
_SNIFF = 8192
_CONTROL_RATIO = 0.10
_MAX_NON_ASCII_LETTERS = 0.30
_MAX_CHAOS = 0.10
_WESTERN_SAMPLE = 200_000  # characters looked at by the Windows-1252 test

# Magic bytes of formats that are certainly not article text, for a helpful message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Office document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_CONTROL_BYTES = frozenset(range(32)) - _TEXT_CONTROLS | {0x7F}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n?")
_C1 = re.compile("[\x80-\x9f]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding it was read with."""

    text: str
    encoding: str


def size_text(n: int) -> str:
    """``52_400_000`` -> ``"52.4 MB"`` (decimal megabytes, as the limit is written)."""
    return f"{n / 1_000_000:.1f} MB"


def _too_big(source: str, size: int | None, limit: int, what: str = "file is") -> InputError:
    amount = size_text(size) if size is not None else f"more than {size_text(limit)}"
    return InputError(source, f"{what} {amount}, larger than the {size_text(limit)} limit (max_bytes)")


def read_bounded(path: str | os.PathLike[str], source: str, limit: int, idle_timeout: float = 20.0) -> bytes:
    """The bytes of ``path``, refusing files over ``limit`` bytes before reading them.

    A named pipe or a character device (``<(zcat x.jsonl.gz)``, ``/dev/stdin``) is read without ever
    blocking for good: a pipe nobody writes to is refused at once, and one that stays silent for
    ``idle_timeout`` seconds is given up; other special files (block devices, sockets) are refused.
    """
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(source, "is a directory")
        if stat.S_ISREG(st.st_mode):
            if st.st_size > limit:
                raise _too_big(source, st.st_size, limit)
            with open(path, "rb") as fh:
                return read_stream(fh, source, limit)
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
            return _read_special(path, source, limit, idle_timeout, stat.S_ISFIFO(st.st_mode))
        raise InputError(source, f"not a regular file ({_special_kind(st.st_mode)}); not read")
    except InputError:
        raise
    except FileNotFoundError as exc:
        raise InputError(source, "no such file or directory") from exc
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc


def _special_kind(mode: int) -> str:
    return "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "special file"


def _read_special(path: str | os.PathLike[str], source: str, limit: int, idle_timeout: float, fifo: bool) -> bytes:
    """Read a pipe or device opened non-blocking: opening a FIFO that has no writer would block for ever."""
    import select

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:  # a writer is there, nothing written yet
                ready, _, _ = select.select([fd], [], [], idle_timeout)
                if not ready:
                    raise InputError(source, f"nothing to read for {idle_timeout:g} s (a pipe or device that "
                                             "stays silent); given up") from None
                continue
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise _too_big(source, None, limit)
            chunks.append(chunk)
        if fifo and not chunks:
            raise InputError(source, "named pipe (FIFO) with nothing written to it")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_stream(fh: IO[bytes], source: str, limit: int) -> bytes:
    """At most ``limit`` bytes from an open binary stream; more is an error."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise _too_big(source, None, limit)
    return data


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def decompress(data: bytes, source: str, limit: int) -> bytes:
    """Gunzip ``data`` (all members), refusing output over ``limit`` bytes."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(limit + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError(source, f"corrupt or truncated gzip data: {exc}") from exc
    if len(out) > limit:
        raise _too_big(source, None, limit, what="file decompresses to")
    return out


def binary_kind(data: bytes) -> str | None:
    """A description such as ``"PNG image"`` when ``data`` is not text, else ``None``."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    head = data[:_SNIFF]
    if b"\x00" in head:
        return "binary data"
    if head:
        controls = sum(1 for b in head if b in _CONTROL_BYTES)
        if controls / len(head) > _CONTROL_RATIO:
            return "binary data"
    return None


def decode_text(data: bytes, source: str, *, html: bool = False) -> Decoded:
    """Decode ``data`` following the module's encoding policy; newlines become ``\\n``."""
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(source, f"binary file ({kind}), not text")
    data = data.removeprefix(codecs.BOM_UTF8)  # a UTF-8 BOM says little when the rest is not UTF-8
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_normalise(data[len(bom) :].decode(encoding)), encoding)
            except UnicodeDecodeError as exc:
                raise InputError(source, f"invalid {encoding} after its byte order mark: {exc.reason}") from exc
    try:
        return Decoded(_normalise(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    decoded = _decode_legacy(data, html)
    if decoded is None:
        raise InputError(source, "not UTF-8 and its encoding could not be detected")
    logger.warning("%s: not valid UTF-8; decoded as %s", source, decoded.encoding)
    return decoded


def _decode_legacy(data: bytes, html: bool) -> Decoded | None:
    if html:
        declared = _declared_charset(data)
        if declared is not None:
            try:
                return Decoded(_normalise(data.decode(declared)), declared)
            except UnicodeDecodeError:
                pass
    valid, broken = _utf8_census(data)
    if valid >= 2 * broken:
        return Decoded(_normalise(data.decode("utf-8", errors="replace")), "utf-8 (with replacements)")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_western(text):
        return Decoded(_normalise(text), "cp1252")
    from charset_normalizer import from_bytes  # a dependency of trafilatura; imported when needed

    best = from_bytes(data).best()
    if best is not None and best.chaos <= _MAX_CHAOS and best.encoding:
        try:
            return Decoded(_normalise(data.decode(best.encoding)), best.encoding)
        except (LookupError, UnicodeDecodeError):
            return None
    return None


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _utf8_census(data: bytes) -> tuple[int, int]:
    """(valid multi-byte UTF-8 sequences, invalid bytes) in ``data``."""
    text = data.decode("utf-8", errors="replace")
    replacements = text.count("\ufffd")
    broken = replacements - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - replacements, max(broken, 0)


def _looks_western(text: str) -> bool:
    if _C1.search(text):
        return False
    letters = [ch for ch in text[:_WESTERN_SAMPLE] if ch.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for ch in letters if ord(ch) > 127)
    return non_ascii / len(letters) < _MAX_NON_ASCII_LETTERS


def _normalise(text: str) -> str:
    text = _NEWLINES.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text.removeprefix("\ufeff")
