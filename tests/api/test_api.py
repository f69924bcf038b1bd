"""The read-only API: OSDI shapes, public and owner views, keys of other organisations, revocation."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from app.api import osdi
from app.api.keys import revoke_key
from app.models import ApiKey, Group, Signature
from app.sealing.boxes import open_sealed
from app.sealing.keys import read_key_file
from tests.api.helpers import make_org, resource_paths
from tests.builders import make_appeal


def _get(client, path: str, key: str | None = None):
    headers = {"OSDI-API-Token": key} if key else {}
    return client.get(path, headers=headers)


@pytest.fixture
def orgs(db):
    return make_org("A"), make_org("B")


SHAPES = {
    "/api/v1": osdi.EntryPoint, "/api/v1/petitions": osdi.Collection,
    "/api/v1/petitions/a-appeal": osdi.Petition, "/api/v1/petitions/a-appeal/signatures": osdi.Collection,
    "/api/v1/petitions/a-appeal/signatures/{shown}": osdi.Signature,
    "/api/v1/statements": osdi.Collection, "/api/v1/statements/A-statement": osdi.Petition,
    "/api/v1/statements/A-statement/signatures": osdi.Collection,
}


@pytest.mark.parametrize("as_owner", [False, True])
def test_every_resource_validates_against_its_osdi_shape(client, orgs, as_owner, db):
    key = orgs[0].key if as_owner else None
    shown = db.session.scalar(select(Signature.id).where(Signature.name == "A Shown Signer"))
    for template, shape in SHAPES.items():
        path = template.format(shown=shown)
        response = _get(client, path, key)
        assert response.status_code == 200, path
        assert response.mimetype == "application/hal+json"
        data = response.get_json()
        shape.model_validate(data)  # extra fields are refused: nothing undocumented leaks
        assert {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}",
                "templated": True} in data["_links"]["curies"], path


def test_petition_carries_public_count_targets_and_hal_links(client, orgs):
    data = _get(client, "/api/v1/petitions").get_json()
    assert data["total_records"] == 2
    petition = next(p for p in data["_embedded"]["osdi:petitions"] if p["title"])
    assert petition["total_signatures"] == 2
    assert petition["_links"]["osdi:signatures"]["href"].endswith("/signatures")
    assert [t["name"] for t in petition["target"]] == ["Minister of Information"]


def test_public_signatures_show_only_who_chose_to_be_shown_without_emails(client, orgs):
    data = _get(client, "/api/v1/petitions/a-appeal/signatures").get_json()
    people = [s["_embedded"]["osdi:person"] for s in data["_embedded"]["osdi:signatures"]]
    assert people == [{"appeal_desk:display_name": "A Shown Signer",
                       "postal_addresses": [{"country": "KZ"}]}]


def test_owner_key_reads_all_confirmed_signatures_sealed_to_its_organisation_key(client, orgs, db):
    response = _get(client, "/api/v1/petitions/a-appeal/signatures", orgs[0].key)
    for private in orgs[0].sealed_strings:
        assert private not in response.get_data(as_text=True)  # no signer's detail in clear
    group = db.session.scalar(select(Group).where(Group.slug == orgs[0].slug))
    private_key = read_key_file(orgs[0].org_key.encode(), group)
    emails = sorted(open_sealed(base64.b64decode(s["appeal_desk:sealed"]), private_key).email
                    for s in response.get_json()["_embedded"]["osdi:signatures"])
    assert emails == ["a-hidden@signer.example", "a-shown@signer.example"]  # never the pending one


def test_key_of_organisation_a_reads_nothing_private_of_organisation_b(client, orgs):
    a, b = orgs
    seen_by_owner = ""
    for path in resource_paths(b):
        as_a = _get(client, path, a.key)
        anonymous = _get(client, path)
        assert as_a.status_code == anonymous.status_code, path
        assert as_a.get_data() == anonymous.get_data(), path  # A's key adds nothing on B's data
        for private in b.private_strings:
            assert private not in as_a.get_data(as_text=True), (path, private)
        seen_by_owner += _get(client, path, b.key).get_data(as_text=True)
    # The same resources do hold B's private data for B's own key: the check above is real.
    for private in b.private_strings[:-1]:  # the pending signer is never listed to anyone
        # Signers' details reach even the owner only sealed (app/sealing).
        assert (private in seen_by_owner) == (private not in b.sealed_strings), private


def test_revoked_or_unknown_key_is_refused_on_every_resource(client, orgs, db):
    a, _b = orgs
    key_id = db.session.scalar(select(ApiKey.id).join(Group).where(Group.slug == a.slug))
    group_id = db.session.scalar(select(Group.id).where(Group.slug == a.slug))
    assert revoke_key(group_id, key_id)
    for key in (a.key, "adk_not-a-real-key", "garbage"):
        for path in resource_paths(a):
            response = _get(client, path, key)
            assert response.status_code == 401, (key, path)
            assert response.get_json()["error"] == "The API key is unknown or revoked."
    bearer = client.get("/api/v1/petitions", headers={"Authorization": f"Bearer {a.key}"})
    assert bearer.status_code == 401


def test_keys_are_stored_as_digests_only(orgs, db):
    stored = db.session.scalars(select(ApiKey)).all()
    for key in stored:
        assert orgs[0].key.encode() not in key.digest and len(key.digest) == 32
        assert key.prefix == orgs[0].key[:10] or key.prefix == orgs[1].key[:10]


def test_drafts_and_unknown_resources_answer_json_404(client, db):
    make_appeal(slug="secret-draft", state="draft")
    for path in ("/api/v1/petitions/secret-draft", "/api/v1/petitions/secret-draft/signatures",
                 "/api/v1/statements/nothing", "/api/v1/petitions/x/signatures/9"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.get_json() == {"error": "There is no resource at this address.", "status": 404}
    assert _get(client, "/api/v1/petitions").get_json()["total_records"] == 0


def test_collections_page_with_next_and_prev_links(client, orgs):
    first = _get(client, "/api/v1/petitions?per_page=1").get_json()
    assert first["total_pages"] == 2 and "prev" not in first["_links"]
    second = client.get(first["_links"]["next"]["href"].split("127.0.0.1:5000", 1)[1]).get_json()
    assert second["page"] == 2 and "next" not in second["_links"]
    titles = {p["identifiers"][0] for p in first["_embedded"]["osdi:petitions"]
              + second["_embedded"]["osdi:petitions"]}
    assert titles == {"appeal_desk:a-appeal", "appeal_desk:b-appeal"}
    assert json.loads(json.dumps(first)) == first


def test_petitions_carry_each_partners_own_count(client, orgs, db):
    from app.models import Appeal
    from tests.partners.helpers import make_partner

    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == "a-appeal"))
    partner = make_partner(appeal, name="PEN Kazakhstan")
    partner.confirmed_count = 7
    db.session.commit()
    listed = _get(client, "/api/v1/petitions").get_json()["_embedded"]["osdi:petitions"]
    by_slug = {p["identifiers"][0]: p["appeal_desk:coalition"] for p in listed}
    assert by_slug == {"appeal_desk:a-appeal": [{"name": "PEN Kazakhstan", "total_signatures": 7}],
                       "appeal_desk:b-appeal": []}
    one = _get(client, "/api/v1/petitions/a-appeal").get_json()
    assert one["appeal_desk:coalition"] == [{"name": "PEN Kazakhstan", "total_signatures": 7}]


def test_addresses_no_route_matches_answer_json_too(client, db):
    # docs/api.md: "Errors are JSON too"; a mistyped address or method is an error a tool makes.
    for path in ("/api/v1/petition", "/api/v1/petitions/x/y/z", "/api/v1/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json() == {"error": "There is no resource at this address.", "status": 404}
    response = client.post("/api/v1/petitions")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405
    assert "<html" in client.get("/no-such-page").get_data(as_text=True)  # pages stay pages
