"""Themes and groups of persons of a recommendation: the tagger's suggestions (machine, with
score and model version), staff confirmation and correction, and what the tagger may change."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.factories import ApiFactory

pytestmark = pytest.mark.dialects

URL = "/api/v1/recommendations"
DISABILITY = "Ensure inclusive education for children with disabilities in mainstream schools"


def _tags(data: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in data[f"{kind[:-1]}_tags"]}


def test_created_without_themes_or_groups_gets_the_taggers_with_provenance(
    api: ApiFactory,
) -> None:
    data = api.recommendation(text=DISABILITY, themes=[])
    themes, groups = _tags(data, "themes"), _tags(data, "groups")
    assert "right-to-education" in themes
    assert "persons-with-disabilities" in groups
    for tag in [*themes.values(), *groups.values()]:
        assert tag["source"] == "machine"
        assert 0 < tag["score"] <= 1
        assert tag["model_version"].startswith("uhri-tagger-")
        assert tag["confirmed_at"] is None
    assert data["themes"] == sorted(themes)
    assert data["groups"] == sorted(groups)


def test_staff_given_themes_are_the_staffs_and_groups_still_come_from_the_tagger(
    api: ApiFactory,
) -> None:
    data = api.recommendation(text=DISABILITY, themes=["right-to-education"])
    (theme,) = data["theme_tags"]
    assert (theme["source"], theme["score"]) == ("staff", None)
    assert theme["confirmed_at"] is not None
    assert theme["confirmed_by"] is not None
    assert {t["source"] for t in data["group_tags"]} == {"machine"}
    # imported through the API: the source's labels, not confirmed
    imported = api.recommendation(
        themes=["torture"], source="uhri", external_id="uhri-1", groups=["children"]
    )
    assert [(t["source"], t["confirmed_at"]) for t in imported["theme_tags"]] == [("import", None)]


def test_confirm_all_marks_every_tag_confirmed_and_is_audited(api: ApiFactory) -> None:
    rec = api.recommendation(text=DISABILITY, themes=[])
    url = f"{URL}/{rec['id']}/tags/confirm"
    assert api.client.post(url, json={"version": 1}).status_code == 401
    assert api.client.post(url, json={"version": 1}, headers=api.state("KAZ")).status_code == 403
    assert api.client.post(url, json={}, headers=api.staff).status_code == 428
    response = api.client.post(url, json={"version": 1}, headers=api.staff)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["version"] == 2
    assert data["tags_reviewed_at"] is not None
    assert data["themes"] == rec["themes"]
    assert data["groups"] == rec["groups"]
    assert all(t["source"] == "machine" for t in data["theme_tags"]), "the source stays"
    assert all(t["confirmed_at"] for t in data["theme_tags"] + data["group_tags"])
    entries = api.client.get(
        "/api/v1/audit",
        params={"entity_type": "recommendation", "entity_id": str(rec["id"])},
        headers=api.staff,
    ).json()["items"]
    assert entries[0]["action"] == "confirm_tags"
    reviewed = api.client.get(URL, params={"reviewed": True}).json()["items"]
    assert [r["id"] for r in reviewed] == [rec["id"]]
    other = api.recommendation()
    to_review = api.client.get(URL, params={"reviewed": False}).json()["items"]
    assert [r["id"] for r in to_review] == [other["id"]]


def test_a_correction_is_kept_and_the_tagger_never_changes_it_again(api: ApiFactory) -> None:
    rec = api.recommendation(text=DISABILITY, themes=[])
    assert "right-to-education" in rec["themes"]
    response = api.client.put(
        f"{URL}/{rec['id']}/tags",
        json={"themes": ["right-to-education", "nhri"], "groups": [], "version": 1},
        headers=api.staff,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    themes = _tags(data, "themes")
    assert set(themes) == {"right-to-education", "nhri"}
    assert themes["right-to-education"]["source"] == "machine", "kept: confirmed, still machine"
    assert themes["right-to-education"]["confirmed_at"] is not None
    assert (themes["nhri"]["source"], themes["nhri"]["score"]) == ("staff", None)
    assert data["groups"] == []
    assert data["tags_reviewed_at"] is not None
    # a later edit of the text tags nothing again: the correction stands
    again = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"text": "Ratify the Optional Protocol to the Convention against Torture"},
        headers={**api.staff, "If-Match": '"2"'},
    )
    assert again.status_code == 200, again.text
    assert again.json()["themes"] == ["nhri", "right-to-education"]
    assert again.json()["groups"] == []
    unknown = api.client.put(
        f"{URL}/{rec['id']}/tags",
        json={"themes": ["astrology"], "groups": [], "version": 3},
        headers=api.staff,
    )
    assert unknown.status_code == 422


def test_a_new_text_is_tagged_again_while_only_the_tagger_has_spoken(api: ApiFactory) -> None:
    rec = api.recommendation(text=DISABILITY, themes=[])
    response = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"text": "Ratify the Optional Protocol to the Convention against Torture"},
        headers={**api.staff, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert "torture" in response.json()["themes"]
    assert "right-to-education" not in response.json()["themes"]
    # the same set sent back (a client echoing what it read) changes no provenance
    same = api.client.patch(
        f"{URL}/{rec['id']}",
        json={"themes": response.json()["themes"], "version": 2},
        headers=api.staff,
    )
    assert {t["source"] for t in same.json()["theme_tags"]} == {"machine"}
