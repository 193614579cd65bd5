"""Where HTML and PDF renders may read files from, and nowhere else.

A render reads local files only from a few *roots*: the package's assets, the
user's `--templates` folder and the brand file's folder. A reference is refused
when it leaves its root, whether by `..`, by an absolute path or by a symlink
whose target lies outside. Refusals raise `RenderError`, so a needed resource is
never silently dropped. No WeasyPrint import here: HTML renders use this too.
"""

from __future__ import annotations

import base64
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..errors import RenderError
from ..types import Brand

ASSETS = Path(__file__).parent / "assets"
MAX_RESOURCE_BYTES = 20 * 1024 * 1024

MIME_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def roots_for(templates: Path | None, brand: Brand) -> tuple[Path, ...]:
    """The folders a render may read: assets, then --templates, then the brand folder."""
    roots = [ASSETS.resolve()]
    if templates is not None:
        roots.append(Path(templates).resolve())
    if brand.folder:
        roots.append(Path(brand.folder).resolve())
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return tuple(unique)


def describe(url: str, limit: int = 120) -> str:
    """A URL shortened for an error message (data: URIs can be megabytes)."""
    if url.startswith("data:"):
        return url.split(",", 1)[0] + ",…"
    return url if len(url) <= limit else url[:limit] + "…"


def local_path(url: str, roots: tuple[Path, ...]) -> Path:
    """The file a `file:` URL names, when it lies inside one of `roots`; else RenderError."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise RenderError(f"refused to fetch {describe(url)}: only files from the package's assets, "
                          f"the --templates folder and the brand folder may be used (and data: URIs)")
    if parts.netloc not in ("", "localhost"):
        raise RenderError(f"refused to fetch {describe(url)}: remote file hosts are not allowed")
    raw = unquote(parts.path)
    if ".." in PurePosixPath(raw).parts:
        raise RenderError(f"refused to fetch {describe(url)}: '..' is not allowed in resource paths")
    path = Path(url2pathname(parts.path))
    return contained(path, roots, url)


def contained(path: Path, roots: tuple[Path, ...], shown: str | None = None) -> Path:
    """`path` with symlinks resolved, when it is a regular file inside one of `roots`."""
    shown = describe(shown or str(path))
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise RenderError(f"resource {shown} does not exist") from None
    if not any(real.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise RenderError(f"refused to read {shown}: outside the allowed folders ({allowed})")
    if not real.is_file():
        raise RenderError(f"resource {shown} is not a file")
    if real.stat().st_size > MAX_RESOURCE_BYTES:
        raise RenderError(f"resource {shown} is larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MB")
    return real


def read_resource(path: Path, roots: tuple[Path, ...]) -> tuple[bytes, str]:
    """Bytes and MIME type of an allowed local file."""
    real = contained(path, roots)
    try:
        return real.read_bytes(), MIME_TYPES.get(real.suffix.lower(), "application/octet-stream")
    except OSError as exc:
        raise RenderError(f"cannot read {path}: {exc.strerror}") from None


def data_uri(path: Path, roots: tuple[Path, ...]) -> str:
    """An allowed local file as a base64 `data:` URI, to inline it in a self-contained HTML file."""
    content, mime = read_resource(path, roots)
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def find_asset(name: str, templates: Path | None, brand: Brand) -> Path:
    """A template's `asset("NAME")`: NAME looked up in --templates, then the assets folder."""
    if not name or Path(name).is_absolute() or ".." in PurePosixPath(name).parts:
        raise RenderError(f"asset({name!r}): give a file name relative to the templates or assets folder")
    for folder in ([Path(templates)] if templates else []) + [ASSETS]:
        candidate = folder / name
        if candidate.exists():
            return candidate
    raise RenderError(f"asset({name!r}): no such file in the templates folder or the built-in assets")
