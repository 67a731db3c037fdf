"""A ZIP archive written as a stream of chunks, in constant memory.

``zipfile`` writes to any object with ``write``; when the object cannot ``tell``/``seek`` it writes
each member's sizes and CRC in a data descriptor after the member instead of going back to its
header. So the archive can be produced front to back and handed to the client chunk by chunk:
nothing but the current chunk (and zipfile's small central-directory list) is ever held.
"""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

CHUNK = 64 * 1024


class _Sink:
    """Collects what zipfile writes until the generator hands it on. Not seekable on purpose."""

    def __init__(self):
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name, its content as an iterable of byte chunks, and whether
    to deflate it (photos are already compressed: stored as they are)."""

    name: str
    chunks: Iterable[bytes]
    compress: bool = True


def stream_zip(members: Iterable[Member], modified: datetime) -> Iterator[bytes]:
    """Yield the archive of ``members`` (produced lazily, one at a time) in chunks of about 64 KB."""
    sink = _Sink()
    stamp = modified.timetuple()[:6]
    with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if member.compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w", force_zip64=False) as out:
                for chunk in member.chunks:
                    for start in range(0, len(chunk), CHUNK):
                        out.write(chunk[start:start + CHUNK])
                        if sink.size >= CHUNK:
                            yield sink.drain()
            if sink.size:
                yield sink.drain()
    tail = sink.drain()
    if tail:
        yield tail
