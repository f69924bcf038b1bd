"""Steps shared by the public page tests."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.conftest import csrf_token

SIGNER = {"name": "Aigerim Sultanova", "email": "aigerim@example.org", "country": "KZ",
          "public_display": "none", "letter_inclusion": "count_only"}


def sign_from(client, path: str, **overrides):
    """Open `path` (an appeal page, maybe with ?ref=) and send its sign form as it is filled."""
    html = client.get(path).get_data(as_text=True)
    hidden = dict(re.findall(r'<input id="ref" name="(ref)" type="hidden" value="([^"]*)"', html))
    data = {**SIGNER, **hidden, "csrf_token": csrf_token(html),
            "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html),
            **overrides}
    return client.post(path.split("?")[0], data=data)


def jpeg_with_gps(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG whose EXIF holds a GPS position, a camera make and a comment."""
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 54.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at the safe house")
    return out.getvalue()


def upload_page(client, slug: str, *, photo: bytes | None = None, file_name: str = "photo.jpg",
                with_csrf: bool = True, **fields):
    page = client.get(f"/coordinator/appeals/{slug}/public-page").get_data(as_text=True)
    data = {"photo_alt": "Amangeldy at home", "photo_credit": "Adil Soz", "pitch": "Sign now.",
            "signature_goal": "1000", **fields}
    if with_csrf:
        data["csrf_token"] = csrf_token(page)
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), file_name)
    return client.post(f"/coordinator/appeals/{slug}/public-page", data=data,
                       content_type="multipart/form-data")
