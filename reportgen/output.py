"""Writing outputs without ever leaving a partial file behind."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


def slugify(text: str, default: str = "report") -> str:
    """A file-name-safe, lowercase name: "Fraud Detection (EU)" -> "fraud-detection-eu"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or default


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then rename over `path`.

    A reader (or a killed process) sees either the old file or the new one, never half.
    `durable=False` skips the fsync (a kill still never leaves half a file; a power cut
    might): a batch writes thousands of files and flushes them once at the end.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def is_stale(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except FileNotFoundError:
        return True


def output_paths(out: Path, formats: tuple[str, ...], stem: str) -> dict[str, Path]:
    """Where each format goes: `out` itself when it names a file of that format
    (`-o ROADMAP.md`), its stem with the other extensions beside it, else
    `out/<stem>.<ext>` with `out` a folder."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix in formats or (suffix and suffix in ("md", "html", "pdf", "json")):
        return {fmt: out if fmt == suffix else out.with_suffix(f".{fmt}") for fmt in formats}
    return {fmt: out / f"{stem}.{fmt}" for fmt in formats}
