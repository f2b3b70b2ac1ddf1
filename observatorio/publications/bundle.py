"""The bundle of a release: its manifest, its checksums and one zip with everything.

* ``manifest.json``: the release (number, date, site, cycles, programs, data hash) and
  every file with its media type, size and SHA-256;
* ``SHA256SUMS``: the same checksums in the format of ``sha256sum`` (``sha256sum -c
  SHA256SUMS`` in the unzipped folder checks every file);
* ``datos.zip``: a folder ``observatorio-v<number>/`` with every file of the release and
  both of the above. Its entries carry the release's date, so the zip depends only on
  the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
ZIP = "datos.zip"


@dataclass
class Rendered:
    """One file of a release, before it is stored."""

    name: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def folder(number: int) -> str:
    """The folder the zip of release *number* unpacks to."""
    return f"observatorio-v{number}"


def manifest(files: list[Rendered], release: dict) -> Rendered:
    entries = [
        {"name": f.name, "media_type": f.media_type, "size": len(f.content), "sha256": f.sha256}
        for f in sorted(files, key=lambda f: f.name)
    ]
    content = json.dumps({**release, "files": entries}, ensure_ascii=False, indent=2)
    return Rendered(MANIFEST, "application/json", content.encode("utf-8") + b"\n")


def checksums(files: list[Rendered]) -> Rendered:
    lines = "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))
    return Rendered(CHECKSUMS, "text/plain", lines.encode("utf-8"))


def archive(number: int, files: list[Rendered], when: dt.datetime) -> Rendered:
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for item in sorted(files, key=lambda f: f.name):
            entry = zipfile.ZipInfo(f"{folder(number)}/{item.name}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, item.content)
    return Rendered(ZIP, "application/zip", out.getvalue())


def files(data: list[Rendered], release: dict, when: dt.datetime) -> list[Rendered]:
    """The manifest, the checksums and the zip of a release whose other files are *data*."""
    listed = [manifest(data, release), checksums(data)]
    return [*listed, archive(release["release"], [*data, *listed], when)]
