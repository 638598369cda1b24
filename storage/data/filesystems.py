"""Where data lives: a URL or path resolved to a ``pyarrow.fs`` filesystem and a path in it.

Tailor reads and writes dataset files through pyarrow's own filesystem layer: local directories
(a plain path or ``file://``) and S3-compatible object stores (``s3://bucket/key`` through
``pyarrow.fs.S3FileSystem``, with ``endpoint_override`` from ``TAILOR_S3_ENDPOINT_URL``).
We use pyarrow.fs rather than fsspec/s3fs on purpose: s3fs depends on aiobotocore, which pins a
botocore older than the one the API contract tests read the AWS models from, and pyarrow's
filesystems are already here, stream without buffering whole files and need no extra dependency.

The filesystem is chosen by the URL's scheme; an unknown scheme is an error listing the known ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pyarrow import fs

#: URL schemes Tailor can read and write ("" is a plain local path).
KNOWN_SCHEMES: tuple[str, ...] = ("file", "s3")


class UnsupportedLocation(ValueError):
    """A location whose scheme Tailor does not know, or that is not a usable URL."""


@dataclass(frozen=True)
class Location:
    """A resolved location.

    Attributes:
        filesystem: The pyarrow filesystem holding it.
        path: The path inside ``filesystem`` (``bucket/key`` for S3, absolute for local).
        scheme: ``file`` or ``s3``.

    """

    filesystem: fs.FileSystem
    path: str
    scheme: str

    def url(self, path: str | None = None) -> str:
        """The URL of ``path`` (default: this location's path) on this filesystem."""
        target = self.path if path is None else path
        return f"s3://{target}" if self.scheme == "s3" else f"file://{target}"


def s3_filesystem(endpoint_url: str = "") -> fs.S3FileSystem:
    """An S3 filesystem, talking to ``endpoint_url`` when given (MinIO, moto, ...).

    Credentials and region come from the usual AWS environment variables and files.

    Args:
        endpoint_url: ``http://host:port`` or ``https://host`` of an S3-compatible store;
            empty for AWS itself.

    """
    if not endpoint_url:
        return fs.S3FileSystem(connect_timeout=5, request_timeout=30)
    parts = urlsplit(endpoint_url if "://" in endpoint_url else f"https://{endpoint_url}")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UnsupportedLocation(
            f"S3 endpoint {endpoint_url!r} must look like http://host:port or https://host"
        )
    return fs.S3FileSystem(
        endpoint_override=parts.netloc,
        scheme=parts.scheme,
        connect_timeout=5,
        request_timeout=30,
    )


def resolve_location(location: str, s3_endpoint_url: str = "") -> Location:
    """Resolve a path or URL to its filesystem.

    Args:
        location: A local path, ``file:///abs/path`` or ``s3://bucket/key``. A trailing ``/`` is
            kept (callers use it to mean "a folder").
        s3_endpoint_url: Endpoint of the S3-compatible store for ``s3://`` URLs (empty: AWS).

    Returns:
        The filesystem and the path in it.

    Raises:
        UnsupportedLocation: the scheme is not one of :data:`KNOWN_SCHEMES`, or the URL has no
            bucket / path.

    """
    if "://" not in location:
        if not location:
            raise UnsupportedLocation("the location is empty")
        return Location(fs.LocalFileSystem(), _absolute(location), "file")
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedLocation(
                f"{location!r}: file:// URLs name a local path (file:///abs/path), "
                f"not host {parts.netloc!r}"
            )
        return Location(fs.LocalFileSystem(), _absolute(unquote(parts.path)), "file")
    if scheme == "s3":
        if not parts.netloc:
            raise UnsupportedLocation(f"{location!r}: an s3:// URL needs a bucket")
        path = f"{parts.netloc}{unquote(parts.path)}"
        return Location(s3_filesystem(s3_endpoint_url), path, "s3")
    known = ", ".join(f"{s}://" for s in KNOWN_SCHEMES)
    raise UnsupportedLocation(
        f"{location!r}: URL scheme {parts.scheme!r} is not supported; use a local path or "
        f"one of {known}"
    )


def _absolute(path: str) -> str:
    absolute = str(Path(path).expanduser().resolve())
    return absolute + "/" if path.endswith("/") and not absolute.endswith("/") else absolute
