"""The batch manifest: what each output was rendered from, so unchanged outputs are skipped.

`DIR/.reportgen-manifest.json` (one per shard: `.reportgen-manifest.2-of-8.json`,
so shards may share a folder) maps each input's name to the hashes of everything
its outputs depend on and to each output's size and modification time:

- the answers file's bytes and the model file's bytes,
- reportgen itself: its version and every file of the installed package
  (code, built-in templates, assets, built-in models),
- the `--templates` folder's files (md, html, pdf), the brand file and its logo
  (md, html, pdf), and the options that shape an output (`--target`, `--strict`,
  `--model`, and `--paper` for html and pdf).

An output is up to date when its key matches and the file on disk still has the
recorded size and time; anything else re-renders it (a deleted, edited or
truncated output included).

Each input is recorded as soon as its outputs are in place, by appending one line
to `DIR/.reportgen-manifest.journal`; the end of the run folds the journal into
the manifest (written atomically). A batch killed at any moment, even by
SIGKILL, keeps every input it finished, and the next run renders only the rest.
Outputs are not fsynced one by one (thousands of fsyncs would cost more than the
renders): a power cut could leave an output empty or short, which the size check
catches on the next run; the manifest itself is fsynced.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..output import atomic_write
from ..types import Brand
from .inputs import MANIFEST_PREFIX

MANIFEST_VERSION = 1
PACKAGE = Path(__file__).resolve().parent.parent


def manifest_path(out: Path, shard: tuple[int, int] | None) -> Path:
    if shard is None:
        return out / f"{MANIFEST_PREFIX}.json"
    return out / f"{MANIFEST_PREFIX}.{shard[0]}-of-{shard[1]}.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def tree_digest(folder: Path, *, skip_code_caches: bool = False) -> str:
    """One hash over every file under `folder`: relative names and contents."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (skip_code_caches and d == "__pycache__"))
        for name in sorted(files):
            if skip_code_caches and name.endswith((".pyc", ".pyo")):
                continue
            path = Path(root, name)
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update((sha256_file(path) or "unreadable").encode("ascii") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """The run-wide part of every output's key, computed once per batch."""

    code: str          # reportgen version + package files
    templates: str     # the --templates folder, "" when none
    brand: str         # brand file + logo, "" when none
    options: dict[str, Any]
    paper: str

    @classmethod
    def of(cls, *, templates: Path | None, brand_path: Path | None, brand: Brand, paper: str,
           target: int | None, strict: bool, model: str | None) -> "Fingerprint":
        code = sha256_bytes(f"{__version__}\0{tree_digest(PACKAGE, skip_code_caches=True)}".encode())
        brand_hash = ""
        if brand_path is not None:
            brand_hash = sha256_bytes(
                f"{sha256_file(brand_path)}\0{sha256_file(Path(brand.logo_path)) if brand.logo_path else ''}".encode())
        return cls(code, tree_digest(templates) if templates else "", brand_hash,
                   {"target": target, "strict": strict, "model": model}, paper)

    def key(self, fmt: str, answers: str, model: str) -> str:
        """The hash of everything output `fmt` of one input depends on."""
        parts: dict[str, Any] = {"format": fmt, "answers": answers, "model": model, "code": self.code,
                                 **self.options}
        if fmt != "json":
            parts.update(templates=self.templates, brand=self.brand)
        if fmt in ("html", "pdf"):
            parts["paper"] = self.paper
        return sha256_bytes(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS))


class Manifest:
    """Entries by input name, on disk as a JSON snapshot plus an append-only journal.

    Each finished input is appended to the journal at once (one line, one write), so a
    batch killed at any moment keeps everything it finished; `save()` folds the journal
    into a new snapshot (written atomically) at the end of the run.
    """

    def __init__(self, path: Path, entries: dict[str, dict[str, Any]] | None = None):
        self.path = path
        self.journal_path = path.with_suffix(".journal")
        self.entries: dict[str, dict[str, Any]] = entries or {}
        self.dirty = False
        self._journal: Any = None

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        """The manifest on disk; an unreadable or foreign one is treated as empty (a cache, not a source)."""
        manifest = cls(path)
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, ValueError):
            data = None
        if (isinstance(data, dict) and data.get("manifest_version") == MANIFEST_VERSION
                and isinstance(data.get("entries"), dict)):
            manifest.entries = {k: v for k, v in data["entries"].items() if isinstance(v, dict)}
        try:
            lines = manifest.journal_path.read_bytes().splitlines()
        except OSError:
            lines = []
        for line in lines:  # a line cut short by a kill is skipped
            try:
                item = orjson.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("entry"), dict):
                manifest.entries[item["name"]] = item["entry"]
                manifest.dirty = True
        return manifest

    def record(self, name: str, entry: dict[str, Any]) -> None:
        self.entries[name] = entry
        self.dirty = True
        if self._journal is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.journal_path, "ab", buffering=0)
        self._journal.write(orjson.dumps({"name": name, "entry": entry}) + b"\n")

    def save(self) -> None:
        data = {"manifest_version": MANIFEST_VERSION, "generator": {"name": "reportgen", "version": __version__},
                "entries": self.entries}
        atomic_write(self.path, orjson.dumps(data))
        self.close()
        try:
            os.unlink(self.journal_path)
        except FileNotFoundError:
            pass
        self.dirty = False

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def file_state(path: Path) -> list[int] | None:
    """[size, mtime_ns] of an output, or None when it is missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def remove_leftover_temp_files(folder: Path, names: set[str]) -> int:
    """Delete temp files a killed run left beside the outputs named `names` in `folder`.

    `atomic_write` writes `.<name>.XXXXXXXX.tmp` and renames it; a kill between
    the two leaves the temp file. Only temp files of this batch's own outputs are
    touched, so shards sharing a folder never remove each other's files in flight.
    """
    removed = 0
    try:
        entries = os.scandir(folder)
    except OSError:
        return 0
    with entries:
        for entry in entries:
            match = _TEMP.match(entry.name)
            if match and match.group("name") in names and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed
