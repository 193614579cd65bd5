"""Which answers files a batch renders, what each output is called, and which shard takes it.

Inputs are files and folders; a folder is searched recursively for `*.yaml` /
`*.yml` (hidden files and folders skipped, symlinked folders not followed).
Each input is named after its file: `teams/emea/fraud.yaml` given as part of
`teams/` becomes `emea/fraud`, and its outputs `DIR/emea/fraud.<ext>`; a file
given directly keeps only its own name.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import Problem

SUFFIXES = (".yaml", ".yml")
PORTFOLIO_STEM = "portfolio"
MANIFEST_PREFIX = ".reportgen-manifest"


@dataclass(frozen=True)
class Input:
    """One answers file of a batch."""

    path: Path      # where to read it (as the user's argument joins it)
    display: str    # how messages name it
    name: str       # its outputs' path under DIR without the extension, POSIX style: "emea/fraud"

    def output(self, out: Path, fmt: str) -> Path:
        return output_path(out, self.name, fmt)


def output_path(out: Path, name: str, fmt: str) -> Path:
    """`DIR/emea/fraud.md` for the input named "emea/fraud"."""
    *folders, stem = name.split("/")
    return out.joinpath(*folders, f"{stem}.{fmt}")


def discover(arguments: Sequence[Path], exclude: Iterable[Path] = ()) -> list[Input]:
    """Every answers file named by `arguments`, sorted by output name.

    The same file reached twice (a folder and a file in it, or a symlink) counts
    once, under the name of its first argument. `exclude` drops files such as the
    brand file or a model file kept beside the answers.
    """
    excluded = {_identity(p) for p in exclude if p.exists()}
    seen: set[tuple[int, int] | str] = set()
    found: list[Input] = []
    for argument in arguments:
        if argument.is_dir():
            candidates = _walk(argument)
        else:
            candidates = [(argument, argument.name, _identity(argument))]
        for path, relative, identity in candidates:
            if identity in seen or identity in excluded:
                continue
            seen.add(identity)
            stem, suffix = os.path.splitext(relative)
            found.append(Input(path, str(path), stem if suffix.lower() in SUFFIXES else relative))
    found.sort(key=lambda i: (i.name, i.display))
    return found


def _walk(folder: Path) -> list[tuple[Path, str, tuple[int, int]]]:
    """(path, POSIX path relative to `folder`, identity) of the answers files under `folder`."""
    files = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative_root = os.path.relpath(root, folder)
        prefix = "" if relative_root == "." else relative_root.replace(os.sep, "/") + "/"
        for name in sorted(names):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in SUFFIXES:
                continue
            path = os.path.join(root, name)
            try:
                st = os.stat(path)  # one call: a regular file (a symlink to one counts), and its identity
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                files.append((Path(path), prefix + name, (st.st_dev, st.st_ino)))
    return files


def _identity(path: Path) -> tuple[int, int] | str:
    try:
        st = path.stat()
    except OSError:
        return str(path.absolute())
    return (st.st_dev, st.st_ino)


def shard_index(name: str, count: int) -> int:
    """0-based shard of an input name: stable across runs, machines and Python versions.

    Names that differ only in case land in the same shard, so a collision between
    them is found by the shard that renders them.
    """
    digest = hashlib.sha256(name.casefold().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def take_shard(inputs: list[Input], shard: tuple[int, int] | None) -> list[Input]:
    if shard is None:
        return inputs
    k, n = shard
    return [i for i in inputs if shard_index(i.name, n) == k - 1]


def collisions(inputs: list[Input], formats: Sequence[str]) -> dict[str, list[Problem]]:
    """Inputs whose outputs would overwrite another input's or a file the batch itself writes.

    Names are compared without case, since macOS and Windows file systems would
    make `Team.yaml` and `team.yml` write the same file. Returns input display ->
    problems; colliding inputs are an error for every one of them.
    """
    by_key: dict[str, list[Input]] = {}
    for item in inputs:
        by_key.setdefault(item.name.casefold(), []).append(item)
    exts = ",".join(formats)
    problems: dict[str, list[Problem]] = {}
    for group in by_key.values():
        if len(group) > 1:
            for item in group:
                others = ", ".join(o.display for o in group if o is not item)
                problems[item.display] = [Problem(
                    item.display, 1, 1,
                    f"output {item.name}.{{{exts}}} would also be written for {others}; rename one of them "
                    f"(neither is rendered)")]
    for item in inputs:
        key = item.name.casefold()
        if key == PORTFOLIO_STEM or key.startswith(MANIFEST_PREFIX):
            problems.setdefault(item.display, []).append(Problem(
                item.display, 1, 1,
                f"output {item.name}.{{{exts}}} is reserved for the batch's own "
                f"{'portfolio summary' if key == PORTFOLIO_STEM else 'manifest'}; rename the file"))
    return problems


def parse_shard(text: str) -> tuple[int, int]:
    """"K/N" with 1 <= K <= N -> (K, N); ValueError with a readable message otherwise."""
    parts = text.strip().split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"{text!r} is not K/N (for example 2/8)")
    k, n = (int(p) for p in parts)
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"{text!r}: K must be between 1 and N, and N at least 1")
    return k, n
