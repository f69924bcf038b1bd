"""Organisations edited in the browser; the logo re-encoded without metadata, in the letters."""

from __future__ import annotations

import io
import subprocess

from PIL import Image
from sqlalchemy import select

from app.models import Group
from tests.builders import make_group
from tests.conftest import csrf_token
from tests.letters.helpers import appeal_with_posts

GPS_IFD = 0x8825


def photo_with_gps(size=(1200, 800)) -> bytes:
    """A JPEG with an EXIF GPS position, as a phone writes one."""
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 40):  # some detail, so the encoder has work to do
        image.paste((20, 20, 160), (x, 0, x + 20, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 53.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def edit(client, slug, **fields):
    page = client.get(f"/coordinator/organisations/{slug}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "name": "Adil Soz", "website": "https://adilsoz.example",
            "email": "appeals@adilsoz.example", "postal_address": "Abay Ave 1\nAlmaty 050000",
            **fields}
    return client.post(f"/coordinator/organisations/{slug}", data=data,
                       content_type="multipart/form-data")


def test_logo_loses_its_gps_position_and_is_stored_as_a_bounded_png(client, db, login):
    source = photo_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the test photo has one
    group = make_group()
    login()
    response = edit(client, group.slug, logo=(io.BytesIO(source), "holiday.jpg"))
    assert response.status_code == 303, response.text
    db.session.expire_all()
    stored = db.session.get(Group, group.id)
    assert stored.website == "https://adilsoz.example" and stored.email == "appeals@adilsoz.example"
    logo = Image.open(io.BytesIO(stored.logo_png))
    assert logo.format == "PNG" and logo.width <= 600 and logo.height <= 200
    assert not logo.getexif() and "exif" not in logo.info
    assert b"PhoneMaker" not in stored.logo_png and b"Exif" not in stored.logo_png
    served = client.get(f"/coordinator/organisations/{group.slug}/logo.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == stored.logo_png


def test_a_file_that_is_not_a_picture_is_refused_naming_the_field(client, db, login):
    group = make_group()
    login()
    response = edit(client, group.slug, name="A new name",
                    logo=(io.BytesIO(b"%PDF-1.4 not a picture"), "logo.png"))
    assert response.status_code == 400
    assert "Logo: the file is not a picture. Send a PNG, JPEG, GIF or WebP image." in response.text
    assert 'value="A new name"' in response.text  # what was typed is still there
    db.session.expire_all()
    assert db.session.get(Group, group.id).name == "Adil Soz"  # nothing stored


def test_field_errors_are_named_and_nothing_is_stored(client, db, login):
    group = make_group()
    login()
    response = edit(client, group.slug, name="", website="not a url", email="nobody")
    text = response.text
    assert response.status_code == 400
    assert "Enter the organisation&#39;s name." in text
    assert "Enter a web address like https://example.org." in text
    assert "Enter an e-mail address like name@example.org." in text


def test_logo_is_in_the_letter_pdf_and_nothing_is_fetched(client, db, login, tmp_path):
    appeal = appeal_with_posts()
    login()
    logo = Image.new("RGB", (300, 100), (10, 90, 160))
    out = io.BytesIO()
    logo.save(out, format="PNG")
    assert edit(client, appeal.group.slug, logo=(io.BytesIO(out.getvalue()), "logo.png")
                ).status_code == 303
    response = client.get(f"/coordinator/letters/{appeal.slug}/to/kz-minister-information.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.data)
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout
    images = [line.split() for line in listing.splitlines()[2:]]
    assert any(row[3:5] == ["300", "100"] for row in images), listing


def test_another_groups_coordinator_gets_404_and_cannot_create(client, db, login):
    mine, theirs = make_group(), make_group(slug="other", name="Other")
    login(group=mine)
    assert client.get(f"/coordinator/organisations/{theirs.slug}").status_code == 404
    assert client.get(f"/coordinator/organisations/{theirs.slug}/logo.png").status_code == 404
    assert client.get(f"/coordinator/organisations/{mine.slug}").status_code == 200
    assert client.get("/coordinator/organisations/new").status_code == 403
    listing = client.get("/coordinator/organisations/").text
    assert "Adil Soz" in listing and "Other" not in listing


def test_admin_creates_an_organisation_and_slug_errors_are_named(client, db, login):
    make_group()
    login()
    page = client.get("/coordinator/organisations/new").text
    taken = client.post("/coordinator/organisations/new", data={
        "csrf_token": csrf_token(page), "name": "Adil Soz again", "slug": "adil-soz"})
    assert taken.status_code == 400 and "An organisation with this short name exists." in taken.text
    made = client.post("/coordinator/organisations/new", data={
        "csrf_token": csrf_token(page), "name": "PEN Kazakhstan", "slug": "pen-kz"})
    assert made.status_code == 303
    assert db.session.scalar(select(Group.name).where(Group.slug == "pen-kz")) == "PEN Kazakhstan"


def test_saving_without_csrf_is_refused(client, db, login):
    group = make_group()
    login()
    response = client.post(f"/coordinator/organisations/{group.slug}", data={"name": "Hijacked"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Group, group.id).name == "Adil Soz"
