"""The coordinator's "Public page" form: the photo loses its metadata; bad input is named."""

from __future__ import annotations

import io

from PIL import Image

from app.models import Appeal, AppealPhoto
from app.publicpage.photos import photo_dir
from tests.builders import make_appeal, make_group
from tests.publicpage.helpers import jpeg_with_gps, upload_page


def _stored(db, appeal_id) -> Image.Image:
    photo = db.session.get(AppealPhoto, appeal_id)
    return Image.open(photo_dir() / photo.file_name)


def test_uploaded_photo_loses_its_exif_gps_and_comment_and_is_resized(client, login, db):
    login()
    appeal = make_appeal(slug="batyrbekov")
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(0x8825)  # the test photo does carry a GPS position
    response = upload_page(client, "batyrbekov", photo=jpeg_with_gps())
    assert response.status_code == 303, response.get_data(as_text=True)
    stored = _stored(db, appeal.id)
    assert stored.format == "JPEG" and max(stored.size) == 1200
    assert not stored.getexif().get_ifd(0x8825) and not dict(stored.getexif())
    assert "exif" not in stored.info and "comment" not in stored.info
    db.session.expire_all()
    saved = db.session.get(Appeal, appeal.id)
    assert (saved.pitch, saved.signature_goal) == ("Sign now.", 1000)


def test_photo_is_served_from_this_host_with_caching_headers(client, login, db):
    login()
    appeal = make_appeal(slug="batyrbekov")
    upload_page(client, "batyrbekov", photo=jpeg_with_gps())
    name = db.session.get(AppealPhoto, appeal.id).file_name
    client.post("/logout")
    html = client.get("/a/batyrbekov").get_data(as_text=True)
    assert f'src="/photos/{name}"' in html and 'alt="Amangeldy at home"' in html
    assert "Photo: Adil Soz" in html
    anonymous = client.application.test_client()
    response = anonymous.get(f"/photos/{name}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "max-age=31536000" in cache_control
    again = anonymous.get(f"/photos/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_photo_of_a_draft_appeal_is_not_public(client, login, db):
    login()
    appeal = make_appeal(slug="draft", state="draft")
    upload_page(client, "draft", photo=jpeg_with_gps())
    name = db.session.get(AppealPhoto, appeal.id).file_name
    assert client.get(f"/photos/{name}").status_code == 200  # its coordinator sees it
    with client.application.app_context():  # a fresh `g`: no logged-in user cached in it
        assert client.application.test_client().get(f"/photos/{name}").status_code == 404
    assert client.get("/photos/no-such-file.jpg").status_code == 404


def test_non_image_upload_is_refused_with_a_message_naming_the_field(client, login, db):
    login()
    appeal = make_appeal(slug="batyrbekov")
    files_before = sorted(photo_dir().iterdir())
    response = upload_page(client, "batyrbekov", photo=b"%PDF-1.4 not a photo", file_name="x.jpg",
                           pitch="Kept pitch")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Photo: this file is not a JPEG, PNG or WebP image." in html
    assert 'id="photo-error"' in html and "Kept pitch" in html  # what was typed is kept
    assert db.session.get(AppealPhoto, appeal.id) is None
    assert sorted(photo_dir().iterdir()) == files_before


def test_photo_needs_a_description_and_goal_must_be_positive(client, login, db):
    login()
    make_appeal(slug="batyrbekov")
    response = upload_page(client, "batyrbekov", photo=jpeg_with_gps(), photo_alt="",
                           signature_goal="0")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Describe the photo: screen readers read this text aloud." in html
    assert "Give a whole number of signatures above zero." in html


def test_upload_without_csrf_token_is_refused(client, login, db):
    login()
    appeal = make_appeal(slug="batyrbekov")
    response = upload_page(client, "batyrbekov", photo=jpeg_with_gps(), with_csrf=False)
    assert response.status_code == 400
    assert db.session.get(AppealPhoto, appeal.id) is None


def test_another_groups_coordinator_gets_404(client, login, db):
    ours, theirs = make_group(slug="ours", name="Ours"), make_group(slug="theirs", name="Theirs")
    make_appeal(slug="their-appeal", group=theirs)
    login(group=ours)
    assert client.get("/coordinator/appeals/their-appeal/public-page").status_code == 404
    page = client.get("/coordinator/").get_data(as_text=True)
    from tests.conftest import csrf_token

    response = client.post("/coordinator/appeals/their-appeal/public-page",
                           data={"csrf_token": csrf_token(page), "pitch": "Hijacked"})
    assert response.status_code == 404


def test_public_page_form_is_linked_from_the_coordinator_page(client, login, db):
    login()
    make_appeal(slug="batyrbekov")
    html = client.get("/coordinator/appeals/batyrbekov").get_data(as_text=True)
    assert 'href="/coordinator/appeals/batyrbekov/public-page"' in html
