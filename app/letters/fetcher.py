"""The only url_fetcher WeasyPrint gets: bundled letter assets, nothing from disk or network.

Allowed: files under letter_templates/{fonts,css,images}/ with a known extension (reached by a
relative URL against ASSET_BASE_URL), and small `data:` URLs. Everything else (other file://
paths, http(s)://, ftp://, path traversal, symlinks out of the tree, large data: URLs) raises
`AssetRefused`; the fetcher is built with fail_on_errors so WeasyPrint stops with an error
instead of leaving a hole where the image was.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.template_sandbox.environment import TEMPLATE_ROOT

ASSET_DIRS = ("fonts", "css", "images")
ASSET_TYPES = {
    ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
    ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
DATA_URL_MAX_BYTES = int(os.environ.get("LETTER_DATA_URL_MAX_BYTES", 64 * 1024))
ASSET_BASE_URL = TEMPLATE_ROOT.as_uri() + "/"


class AssetRefused(ValueError):
    """A letter asked for something that is not a bundled letter asset."""


def _asset_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise AssetRefused(f"{url} is not a bundled letter asset")
    path = Path(unquote(parts.path))
    root = TEMPLATE_ROOT.resolve()
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        raise AssetRefused(f"{url} is outside letter_templates/") from None
    if not relative.parts or relative.parts[0] not in ASSET_DIRS:
        raise AssetRefused(f"{url} is not in letter_templates/{{{','.join(ASSET_DIRS)}}}/")
    if path.suffix.lower() not in ASSET_TYPES:
        raise AssetRefused(f"{url}: letters may load only fonts, CSS and images")
    if not path.resolve().is_file():
        raise AssetRefused(f"{url}: there is no such letter asset")
    return path.resolve()


def _data_url(url: str) -> tuple[bytes, str]:
    header, _, payload = url[5:].partition(",")
    if len(payload) > DATA_URL_MAX_BYTES * 4 // 3 + 4:
        raise AssetRefused(f"a data: URL larger than {DATA_URL_MAX_BYTES} bytes")
    mime = header.split(";")[0] or "text/plain"
    body = base64.b64decode(payload) if header.endswith(";base64") else unquote_to_bytes(payload)
    if len(body) > DATA_URL_MAX_BYTES:
        raise AssetRefused(f"a data: URL larger than {DATA_URL_MAX_BYTES} bytes")
    return body, mime


class LetterAssetFetcher(URLFetcher):
    """Serves letter_templates/ assets and small data: URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False,
                         fail_on_errors=True)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ANN001
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            body, mime = _data_url(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if scheme != "file":
            raise AssetRefused(f"{url}: letters never load anything from the network")
        path = _asset_path(url)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  {"Content-Type": ASSET_TYPES[path.suffix.lower()]})

    def open(self, url, data=None, timeout=None):  # noqa: ANN001
        """Never used as a urllib opener (that would bypass fetch)."""
        target = getattr(url, "full_url", url)
        return self.fetch(target)


def asset_fetcher() -> LetterAssetFetcher:
    """A fresh fetcher (cheap); pass it to every HTML(), CSS() and write_pdf() call."""
    return LetterAssetFetcher()
