"""HTTP API tests for /api/v1/recommendations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory

URL = "/api/v1/recommendations"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _base(**fields: Any) -> dict[str, Any]:
    return {"state": "KAZ", "position": "supported", "session": 34, "text": "Do X", **fields}


# --- create / get --------------------------------------------------------------------------


def test_create_echoes_fields_and_sets_etag(api: ApiFactory) -> None:
    body = {
        "state": "kaz",
        "position": "supported",
        "session": 34,
        "document_symbol": "A/HRC/40/9",
        "paragraph": "145.12",
        "text": "Establish a national preventive mechanism in line with OPCAT",
        "language": "en",
        "recommending_states": ["DNK", "fra"],
        "themes": ["torture", "nhri"],
        "groups": ["persons-deprived-of-liberty"],
        "sdgs": ["sdg-16"],
        "implementation_status": "in_progress",
        "source": "upr_info",
        "external_id": "upr-info-123",
    }
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["state"] == "KAZ"
    assert data["position"] == "supported"
    assert data["session"] == 34
    assert data["cycle"] == 3
    assert data["document_symbol"] == "A/HRC/40/9"
    assert data["paragraph"] == "145.12"
    assert data["text"] == body["text"]
    assert data["language"] == "en"
    assert data["recommending_states"] == ["DNK", "FRA"]
    assert sorted(data["themes"]) == ["nhri", "torture"]
    assert data["groups"] == ["persons-deprived-of-liberty"]
    assert data["sdgs"] == ["sdg-16"]
    assert data["implementation_status"] == "in_progress"
    assert data["source"] == "upr_info"
    assert data["external_id"] == "upr-info-123"
    assert data["version"] == 1
    assert response.headers["ETag"] == f'"{data["version"]}"'


def test_create_defaults(api: ApiFactory) -> None:
    response = api.client.post(URL, json=_base(), headers=api.staff)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["language"] == "en"
    assert data["source"] == "manual"
    assert data["implementation_status"] == "unknown"
    assert data["recommending_states"] == []
    assert data["sdgs"] == []
    assert data["external_id"] is None
    # themes and groups not given are the tagger's suggestions, not yet reviewed
    assert [t["code"] for t in data["theme_tags"]] == data["themes"]
    assert all(t["source"] == "machine" and t["model_version"] for t in data["theme_tags"])
    assert all(t["confirmed_at"] is None for t in data["theme_tags"] + data["group_tags"])
    assert data["tags_reviewed_at"] is None


def test_get_returns_record_with_etag(api: ApiFactory, client: TestClient) -> None:
    rec = api.recommendation(state="FRA", position="noted")
    response = client.get(f"{URL}/{rec['id']}")
    assert response.status_code == 200
    assert response.json() == rec
    assert response.headers["ETag"] == '"1"'


def test_get_unknown_is_404(client: TestClient) -> None:
    assert client.get(f"{URL}/424242").status_code == 404


def test_cycle_is_derived_from_session(api: ApiFactory) -> None:
    cases = [(1, 1), (12, 1), (13, 2), (26, 2), (27, 3), (34, 3), (40, 3), (41, 4), (54, 4)]
    for session, cycle in cases:
        rec = api.recommendation(session=session)
        assert (rec["session"], rec["cycle"]) == (session, cycle)
        stored = api.client.get(f"{URL}/{rec['id']}").json()
        assert stored["cycle"] == cycle


def test_cycle_without_session(api: ApiFactory) -> None:
    response = api.client.post(URL, json=_base(session=None, cycle=2), headers=api.staff)
    assert response.status_code == 201, response.text
    assert (response.json()["cycle"], response.json()["session"]) == (2, None)


def test_explicit_null_cycle_with_session_still_derives_cycle(api: ApiFactory) -> None:
    response = api.client.post(URL, json=_base(session=34, cycle=None), headers=api.staff)
    assert response.status_code == 201, response.text
    assert response.json()["cycle"] == 3


def test_session_beyond_cycle_ten_is_422_not_409(api: ApiFactory) -> None:
    # The schema accepts sessions up to 200, but session 150 derives cycle 12, which the
    # database's cycle_range check refuses: that must be a validation error, not a "duplicate".
    response = api.client.post(URL, json=_base(session=150), headers=api.staff)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] in {"session", "cycle"}


def test_neither_session_nor_cycle_is_422(api: ApiFactory) -> None:
    body = _base()
    del body["session"]
    response = api.client.post(URL, json=body, headers=api.staff)
    assert response.status_code == 422


def test_duplicate_source_external_id_is_409(api: ApiFactory, client: TestClient) -> None:
    api.recommendation(source="upr_info", external_id="E-1")
    duplicate = api.client.post(
        URL, json=_base(source="upr_info", external_id="E-1"), headers=api.staff
    )
    assert duplicate.status_code == 409
    # the same external id from another source, and recommendations without one, are fine
    api.recommendation(source="uhri", external_id="E-1")
    api.recommendation()
    api.recommendation()
    assert client.get(URL, params={"source": "upr_info"}).json()["total"] == 1
    assert client.get(URL).json()["total"] == 4


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("state", "XXX"),
        ("recommending_states", ["DNK", "QQQ"]),
        ("themes", ["torture", "not-a-theme"]),
        ("groups", ["martians"]),
        ("sdgs", ["sdg-99"]),
        ("language", "xx"),
    ],
)
def test_unknown_codes_are_422_naming_field(
    api: ApiFactory, client: TestClient, field: str, value: Any
) -> None:
    response = api.client.post(URL, json=_base(**{field: value}), headers=api.staff)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert client.get(URL).json()["total"] == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("position", "maybe"),
        ("session", 0),
        ("session", 201),
        ("cycle", 11),
        ("state", "KZ"),
        ("text", "  "),
        ("implementation_status", "done"),
        ("source", "rumour"),
        ("colour", "red"),
    ],
)
def test_invalid_values_are_422(api: ApiFactory, field: str, value: Any) -> None:
    response = api.client.post(URL, json=_base(**{field: value}), headers=api.staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_unknown_codes_on_update_are_422(api: ApiFactory) -> None:
    rec = api.recommendation()
    for field, value in (
        ("themes", ["nope"]),
        ("language", "xx"),
        ("recommending_states", ["QQQ"]),
    ):
        response = api.client.patch(
            f"{URL}/{rec['id']}", json={field: value, "version": 1}, headers=api.staff
        )
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field
    assert api.client.get(f"{URL}/{rec['id']}").json() == rec


def test_state_cannot_be_changed_by_patch(api: ApiFactory) -> None:
    rec = api.recommendation()
    response = api.client.patch(
        f"{URL}/{rec['id']}", json={"state": "FRA", "version": 1}, headers=api.staff
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


# --- list, pagination, filters -------------------------------------------------------------


def test_list_paginates_in_id_order(api: ApiFactory, client: TestClient) -> None:
    ids = [api.recommendation()["id"] for _ in range(5)]
    page = client.get(URL, params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [r["id"] for r in page["items"]] == ids[1:3]
    assert _ids(client.get(URL, params={"limit": 3, "offset": 3})) == ids[3:]
    everything = client.get(URL).json()
    assert [r["id"] for r in everything["items"]] == ids
    assert (everything["limit"], everything["offset"]) == (50, 0)
    assert client.get(URL, params={"limit": 0}).status_code == 422
    assert client.get(URL, params={"limit": 201}).status_code == 422


def test_filter_state(api: ApiFactory, client: TestClient) -> None:
    kaz = api.recommendation(state="KAZ")
    api.recommendation(state="FRA")
    response = client.get(URL, params={"state": "kaz"})
    assert _ids(response) == [kaz["id"]]
    assert response.json()["total"] == 1


def test_filter_cycle_and_session(api: ApiFactory, client: TestClient) -> None:
    s34 = api.recommendation(session=34)
    s30 = api.recommendation(session=30)
    s41 = api.recommendation(session=41)
    assert _ids(client.get(URL, params={"cycle": 3})) == [s34["id"], s30["id"]]
    assert _ids(client.get(URL, params={"cycle": 4})) == [s41["id"]]
    assert _ids(client.get(URL, params={"session": 34})) == [s34["id"]]
    assert _ids(client.get(URL, params={"cycle": 3, "session": 30})) == [s30["id"]]
    assert client.get(URL, params={"cycle": 11}).status_code == 422


def test_filter_position(api: ApiFactory, client: TestClient) -> None:
    supported = api.recommendation(position="supported")
    noted = api.recommendation(position="noted")
    assert _ids(client.get(URL, params={"position": "supported"})) == [supported["id"]]
    assert _ids(client.get(URL, params={"position": "noted"})) == [noted["id"]]
    assert client.get(URL, params={"position": "maybe"}).status_code == 422


def test_filter_theme(api: ApiFactory, client: TestClient) -> None:
    both = api.recommendation(themes=["torture", "nhri"])
    api.recommendation(themes=["torture"])
    api.recommendation(themes=[], text="Ensure free and compulsory primary education for all")
    assert _ids(client.get(URL, params={"theme": "nhri"})) == [both["id"]]
    assert client.get(URL, params={"theme": "torture"}).json()["total"] == 2


def test_filter_group(api: ApiFactory, client: TestClient) -> None:
    children = api.recommendation(groups=["children", "women-girls"])
    api.recommendation(groups=["women-girls"])
    api.recommendation()
    assert _ids(client.get(URL, params={"group": "children"})) == [children["id"]]
    assert client.get(URL, params={"group": "women-girls"}).json()["total"] == 2


def test_filter_sdg(api: ApiFactory, client: TestClient) -> None:
    sdg5 = api.recommendation(sdgs=["sdg-5"])
    api.recommendation(sdgs=["sdg-16"])
    api.recommendation()
    assert _ids(client.get(URL, params={"sdg": "sdg-5"})) == [sdg5["id"]]


def test_filter_recommending_state(api: ApiFactory, client: TestClient) -> None:
    by_fra = api.recommendation(recommending_states=["FRA", "DNK"])
    api.recommendation(recommending_states=["DNK"])
    api.recommendation(recommending_states=[])
    assert _ids(client.get(URL, params={"recommending_state": "fra"})) == [by_fra["id"]]
    assert client.get(URL, params={"recommending_state": "DNK"}).json()["total"] == 2


def test_filter_implementation_status(api: ApiFactory, client: TestClient) -> None:
    done = api.recommendation(implementation_status="fully_implemented")
    api.recommendation(implementation_status="in_progress")
    api.recommendation()
    assert _ids(client.get(URL, params={"implementation_status": "fully_implemented"})) == [
        done["id"]
    ]
    assert client.get(URL, params={"implementation_status": "unknown"}).json()["total"] == 1


def test_filter_source(api: ApiFactory, client: TestClient) -> None:
    uhri = api.recommendation(source="uhri", external_id="U-1")
    api.recommendation(source="upr_info", external_id="U-1")
    api.recommendation()
    assert _ids(client.get(URL, params={"source": "uhri"})) == [uhri["id"]]
    assert client.get(URL, params={"source": "manual"}).json()["total"] == 1


@pytest.mark.dialects
def test_filter_q_text_contains_case_insensitively(api: ApiFactory, client: TestClient) -> None:
    hit = api.recommendation(text="Ratify the Optional Protocol to the Convention against Torture")
    api.recommendation(text="Adopt a national action plan on human rights")
    assert _ids(client.get(URL, params={"q": "optional PROTOCOL"})) == [hit["id"]]
    assert _ids(client.get(URL, params={"q": "no such words"})) == []


@pytest.mark.dialects
def test_filters_combine_with_pagination(api: ApiFactory, client: TestClient) -> None:
    wanted = [api.recommendation(state="UZB", themes=["nhri"])["id"] for _ in range(3)]
    api.recommendation(state="UZB", themes=["torture"])
    api.recommendation(state="KGZ", themes=["nhri"])
    page = client.get(URL, params={"state": "UZB", "theme": "nhri", "limit": 2, "offset": 1})
    assert page.json()["total"] == 3
    assert _ids(page) == wanted[1:]


# --- update --------------------------------------------------------------------------------


def test_patch_with_if_match(api: ApiFactory) -> None:
    rec = api.recommendation()
    response = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"position": "noted", "implementation_status": "partially_implemented"},
        headers={**api.staff, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["position"] == "noted"
    assert data["implementation_status"] == "partially_implemented"
    assert data["text"] == rec["text"]
    assert data["themes"] == rec["themes"]
    assert data["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert api.client.get(f"{URL}/{rec['id']}").json()["position"] == "noted"


def test_patch_with_weak_or_wildcard_if_match(api: ApiFactory) -> None:
    rec = api.recommendation()
    weak = api.client.patch(
        f"{URL}/{rec['id']}", json={"paragraph": "1.1"}, headers={**api.staff, "If-Match": 'W/"1"'}
    )
    assert weak.status_code == 200, weak.text
    star = api.client.patch(
        f"{URL}/{rec['id']}", json={"paragraph": "1.2"}, headers={**api.staff, "If-Match": "*"}
    )
    assert star.status_code == 200, star.text
    assert star.json()["paragraph"] == "1.2"
    assert star.json()["version"] == 3


def test_patch_with_body_version_and_session_rederives_cycle(api: ApiFactory) -> None:
    rec = api.recommendation(session=34)
    response = api.client.patch(
        f"{URL}/{rec['id']}", json={"session": 41, "version": 1}, headers=api.staff
    )
    assert response.status_code == 200, response.text
    assert (response.json()["session"], response.json()["cycle"]) == (41, 4)
    assert response.headers["ETag"] == '"2"'


def test_patch_link_lists_replaces_them_and_bumps_version(api: ApiFactory) -> None:
    rec = api.recommendation(themes=["torture"], recommending_states=["DNK"])
    response = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"themes": ["nhri"], "recommending_states": ["FRA", "KGZ"], "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["themes"] == ["nhri"]
    assert data["recommending_states"] == ["FRA", "KGZ"]
    # a changed record must get a new version, or the ETag no longer identifies its content
    assert data["version"] == 2
    assert response.headers["ETag"] == '"2"'


def test_patch_null_list_clears_it(api: ApiFactory) -> None:
    rec = api.recommendation(themes=["torture"], sdgs=["sdg-16"])
    response = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"themes": None, "sdgs": None, "text": "Ensure free primary education for all"},
        headers={**api.staff, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["sdgs"] == []
    assert response.json()["text"] == "Ensure free primary education for all"
    # themes left empty are the tagger's, for the new text
    assert "torture" not in response.json()["themes"]
    assert "right-to-education" in response.json()["themes"]
    assert {t["source"] for t in response.json()["theme_tags"]} == {"machine"}


def test_stale_if_match_is_412(api: ApiFactory) -> None:
    rec = api.recommendation()
    api.client.patch(f"{URL}/{rec['id']}", json={"paragraph": "1", "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{rec['id']}", json={"paragraph": "2"}, headers={**api.staff, "If-Match": '"1"'}
    )
    assert response.status_code == 412
    assert api.client.get(f"{URL}/{rec['id']}").json()["paragraph"] == "1"


def test_stale_body_version_is_409(api: ApiFactory) -> None:
    rec = api.recommendation()
    api.client.patch(f"{URL}/{rec['id']}", json={"paragraph": "1", "version": 1}, headers=api.staff)
    response = api.client.patch(
        f"{URL}/{rec['id']}", json={"paragraph": "2", "version": 1}, headers=api.staff
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"
    assert api.client.get(f"{URL}/{rec['id']}").json()["paragraph"] == "1"


def test_missing_version_is_428(api: ApiFactory) -> None:
    rec = api.recommendation()
    response = api.client.patch(f"{URL}/{rec['id']}", json={"paragraph": "9"}, headers=api.staff)
    assert response.status_code == 428
    assert api.client.get(f"{URL}/{rec['id']}").json()["paragraph"] is None


def test_patch_unknown_is_404(api: ApiFactory) -> None:
    assert (
        api.client.patch(f"{URL}/999999", json={"version": 1}, headers=api.staff).status_code == 404
    )


# --- permissions & delete ------------------------------------------------------------------


def test_only_staff_write(api: ApiFactory, client: TestClient) -> None:
    rec = api.recommendation()
    org = api.organization()
    for headers in (api.state("KAZ"), api.provider(org["id"])):
        assert client.post(URL, json=_base(), headers=headers).status_code == 403
        patch = client.patch(f"{URL}/{rec['id']}", json={"version": 1}, headers=headers)
        assert patch.status_code == 403
        assert client.delete(f"{URL}/{rec['id']}", headers=headers).status_code == 403
    assert client.post(URL, json=_base()).status_code == 401
    assert client.patch(f"{URL}/{rec['id']}", json={"version": 1}).status_code == 401
    assert client.delete(f"{URL}/{rec['id']}").status_code == 401
    assert client.get(URL).json()["total"] == 1
    admin = client.post(URL, json=_base(), headers=api.headers("admin"))
    assert admin.status_code == 201


def test_anonymous_may_read(api: ApiFactory, client: TestClient) -> None:
    rec = api.recommendation(position="noted")
    assert client.get(f"{URL}/{rec['id']}").status_code == 200
    assert _ids(client.get(URL)) == [rec["id"]]


def test_delete_then_404(api: ApiFactory, client: TestClient) -> None:
    rec = api.recommendation(themes=["torture", "nhri"], groups=["children"])
    keep = api.recommendation()
    response = client.delete(f"{URL}/{rec['id']}", headers=api.staff)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{URL}/{rec['id']}").status_code == 404
    assert client.delete(f"{URL}/{rec['id']}", headers=api.staff).status_code == 404
    assert _ids(client.get(URL)) == [keep["id"]]
