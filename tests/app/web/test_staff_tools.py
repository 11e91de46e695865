"""The staff tools on the web (issues #13 and #15): the review queue as a filterable, sortable
table with bulk propose and reject, a match's page with the request and the offer side by side
and the "why not" of the pair, manual pairing, the annual report, imports with their progress
and report, the audit history of a record, users and API tokens, proactive matching and the gaps
page with content. Through the real application with a signed-in browser session."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import ApiFactory, auth
from tests.support.imports import upr_info_slice
from tests.support.pairs import npm_offer, npm_request, run_matching
from tests.support.web import PASSWORD, MakeUser, csrf_from, main_of, sign_in

ATTACK = '<script>alert("x")</script>'


def _staff(web: TestClient, make_user: MakeUser, role: str = "staff") -> str:
    email = make_user(role)
    assert sign_in(web, email).status_code == 303
    return email


_request = npm_request
_offer = npm_offer
_run = run_matching


def _match(api: ApiFactory, match_id: int) -> Any:
    return api.client.get(f"/api/v1/matches/{match_id}", headers=api.staff).json()


def _matches_of(api: ApiFactory, request_id: int) -> list[Any]:
    response = api.client.get(f"/api/v1/requests/{request_id}/matches", headers=api.staff)
    return list(response.json()["items"])


def _queue_ids(html: str) -> list[int]:
    """Match ids of the queue's table rows, in order."""
    return [int(i) for i in re.findall(r'name="match" value="(\d+):\d+"', html)]


def _world(api: ApiFactory) -> dict[str, Any]:
    """Three requests (Kazakhstan on torture, Senegal on education, Kyrgyzstan on torture) and
    offers for each, matched: a queue with suggestions of different States, themes and
    providers."""
    kaz = _request(api)
    sen = _request(
        api,
        "SEN",
        title="Teacher training on human rights education",
        description="Training of teachers in human rights education",
        themes=["right-to-education"],
        languages=["fr"],
    )
    kgz = _request(api, "KGZ", title="Torture prevention in Kyrgyzstan")
    provider_a = api.organization(name="Provider A")
    provider_b = api.organization(name="Provider B")
    offers = {
        "kaz": _offer(api, organization_id=provider_a["id"]),
        "sen": _offer(
            api,
            organization_id=provider_b["id"],
            title="Human rights education for teachers",
            description="Teacher training in human rights education, in French",
            countries=["SEN"],
            themes=["right-to-education"],
            languages=["fr"],
        ),
        "kgz": _offer(api, organization_id=provider_b["id"], countries=["KGZ"]),
    }
    _run(api)
    found = {
        key: _matches_of(api, request["id"])[0]
        for key, request in (("kaz", kaz), ("sen", sen), ("kgz", kgz))
    }
    return {
        "requests": {"kaz": kaz, "sen": sen, "kgz": kgz},
        "offers": offers,
        "providers": (provider_a, provider_b),
        "matches": found,
    }


# --- the review queue (filters on dates and sub-selects, savepoints: both databases) -----------
@pytest.mark.dialects
def test_queue_is_a_compact_table_with_filters_and_sorting(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = _world(api)
    ids = {key: m["id"] for key, m in world["matches"].items()}
    _staff(web, make_user)
    page = web.get("/staff/matches")
    assert page.status_code == 200
    html = main_of(page.text)
    assert '<table class="queue">' in html
    assert sorted(_queue_ids(html)) == sorted(ids.values())
    # one row per match, and a second one that opens to show the parts of the score
    assert html.count('<tbody class="queue-item">') == 3
    assert html.count("<details>") == 3
    assert f"Why: the parts of the score of match {ids['kaz']}" in html
    assert f'<label for="pick-{ids["kaz"]}" class="visually-hidden">Tick match {ids["kaz"]}' in html
    # best score first, unless asked otherwise
    scores = [m["score"] for m in world["matches"].values()]
    pairs = list(zip(scores, ids.values(), strict=True))
    assert _queue_ids(html) == [i for _s, i in sorted(pairs, key=lambda p: (-p[0], p[1]))]
    lowest = _queue_ids(web.get("/staff/matches?sort=score_asc").text)
    assert lowest == [i for _s, i in sorted(pairs)]
    by_state = _queue_ids(web.get("/staff/matches?sort=state").text)
    assert by_state == [ids["kaz"], ids["kgz"], ids["sen"]]  # KAZ, KGZ, SEN
    assert 'aria-sort="ascending"' in web.get("/staff/matches?sort=score_asc").text

    def shown(query: str) -> set[int]:
        return set(_queue_ids(web.get(f"/staff/matches?{query}").text))

    assert shown("state=SEN") == {ids["sen"]}
    assert shown("theme=torture") == {ids["kaz"], ids["kgz"]}
    assert shown(f"provider={world['providers'][1]['id']}") == {ids["sen"], ids["kgz"]}
    top = max(scores)
    assert shown(f"min_score={top}") == {
        i for i, s in zip(ids.values(), scores, strict=True) if s >= top
    }
    assert shown("max_score=0.01") == set()
    assert shown("age=week") == set(ids.values())
    assert shown("age=older") == set()
    assert shown("state=SEN&theme=torture") == set()
    # nonsense is ignored rather than answered with an error page
    assert shown("min_score=abc&sort=nonsense&age=forever&state=12") == set(ids.values())
    # the State's name, in the filter's options and in the table
    assert '<option value="KGZ">Kyrgyzstan</option>' in html
    assert "Kyrgyzstan" in html


@pytest.mark.dialects
def test_bulk_propose_reports_each_match(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = _world(api)
    kaz, sen, kgz = (world["matches"][k] for k in ("kaz", "sen", "kgz"))
    _staff(web, make_user)
    queue = web.get("/staff/matches")
    token = csrf_from(queue.text)
    # another reviewer changes one match after the table was shown
    api.client.patch(
        f"/api/v1/matches/{kgz['id']}",
        json={"reason": "checked", "version": kgz["version"]},
        headers=api.staff,
    ).raise_for_status()
    response = web.post(
        "/staff/matches/bulk",
        data={
            "csrf_token": token,
            "action": "propose",
            "match": [f"{m['id']}:{m['version']}" for m in (kaz, sen, kgz)],
            "next": "/staff/matches?sort=score",
        },
    )
    assert response.status_code == 200
    html = main_of(response.text)
    assert "Proposed: 2 of 3 ticked matches." in html
    assert html.count('<span class="badge ok">Proposed</span>') == 2
    assert "Refused" in html
    assert "is stale" in html  # why, in the service's words
    assert 'href="/staff/matches?sort=score"' in html
    assert [_match(api, m["id"])["status"] for m in (kaz, sen, kgz)] == [
        "proposed",
        "proposed",
        "suggested",
    ]


def test_bulk_reject_needs_one_reason_and_keeps_the_ticks(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = _world(api)
    kaz, sen = world["matches"]["kaz"], world["matches"]["sen"]
    _staff(web, make_user)
    token = csrf_from(web.get("/staff/matches").text)
    picked = [f"{m['id']}:{m['version']}" for m in (kaz, sen)]
    missing = web.post(
        "/staff/matches/bulk",
        data={"csrf_token": token, "action": "reject", "reason": " ", "match": picked},
    )
    assert missing.status_code == 422
    html = main_of(missing.text)
    assert (
        '<p id="reason-error" class="field-error">Give the reason for rejecting these matches.'
        in html
    )
    assert 'aria-invalid="true" aria-describedby="reason-error"' in html
    assert f'value="{kaz["id"]}:{kaz["version"]}" checked' in html
    assert 'id="bulk-reject" name="action" value="reject" checked' in html
    nothing = web.post("/staff/matches/bulk", data={"csrf_token": token, "action": "propose"})
    assert nothing.status_code == 422
    assert "Tick at least one match in the table." in nothing.text
    assert (
        "Choose what to do"
        in web.post("/staff/matches/bulk", data={"csrf_token": token, "match": picked}).text
    )
    assert [_match(api, m["id"])["status"] for m in (kaz, sen)] == ["suggested", "suggested"]

    done = web.post(
        "/staff/matches/bulk",
        data={
            "csrf_token": token,
            "action": "reject",
            "reason": "Already covered by the country team",
            "match": picked,
        },
    )
    assert done.status_code == 200
    assert "Rejected: 2 of 2 ticked matches." in done.text
    for m in (kaz, sen):
        after = _match(api, m["id"])
        assert (after["status"], after["reason"]) == (
            "rejected",
            "Already covered by the country team",
        )
    forged = web.post(
        "/staff/matches/bulk", data={"csrf_token": "forged", "action": "propose", "match": picked}
    )
    assert forged.status_code == 403


# --- one match: side by side, and why ---------------------------------------------------------
def test_match_page_shows_request_and_offer_side_by_side_and_why(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    world = _world(api)
    match = world["matches"]["kaz"]
    request, offer = world["requests"]["kaz"], world["offers"]["kaz"]
    _staff(web, make_user)
    html = main_of(web.get(f"/staff/matches/{match['id']}").text)
    sides = html.split('<div class="side-by-side">', 1)[1]
    request_side, offer_side = sides.split('aria-labelledby="side-offer"', 1)
    for text in (request["title"], request["description"]):
        assert text in request_side
    for text in (offer["title"], offer["description"]):
        assert text in offer_side
    assert "Kazakhstan" in request_side
    assert "Provider A" in offer_side
    assert "1 of 1" in offer_side  # places left of the offer's capacity
    # the why: every constraint passes, the score's parts and the verdict
    assert "A run would suggest this pair: it is number 1" in html
    assert html.count('<span class="badge ok">Passes</span>') == 7
    assert "The offer names Kazakhstan." in html
    assert "In common: Prohibition of torture" in html
    assert "Suggestions start at 0.45." in html
    assert f'href="/staff/audit?entity_type=match&amp;entity_id={match["id"]}"' in html
    assert "Propose to both parties" in html


# --- manual pairing ---------------------------------------------------------------------------
def test_manual_pairing_shows_why_not_and_proposes(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request = _request(api)
    elsewhere = _offer(api, countries=["SEN"], title="Torture prevention in Senegal")
    _staff(web, make_user)
    page = web.get("/staff/pairing")
    assert page.status_code == 200
    html = main_of(page.text)
    assert f'id="request-{request["id"]}"' in html  # open requests without a search
    assert f'id="offer-{elsewhere["id"]}"' in html

    # the live search answers with one side's choices only
    partial = web.get(
        "/staff/pairing",
        params={"offer_q": "Senegal"},
        headers={"HX-Request": "true", "HX-Target": "offer-choices"},
    )
    assert partial.text.lstrip().startswith('<div id="offer-choices"')
    assert elsewhere["title"] in partial.text
    assert "<html" not in partial.text
    assert (
        "No offer found."
        in web.get(
            "/staff/pairing",
            params={"offer_q": "zzz-nothing"},
            headers={"HX-Request": "true", "HX-Target": "offer-choices"},
        ).text
    )

    why = main_of(
        web.get(
            "/staff/pairing", params={"request_id": request["id"], "offer_id": elsewhere["id"]}
        ).text
    )
    assert "A run would not suggest this pair: it fails 1 hard constraint." in why
    assert "The offer does not cover Kazakhstan. It covers: Senegal." in why
    assert why.count('<span class="badge warn">Fails</span>') == 1
    assert "you may still propose it" in why

    token = csrf_from(page.text)
    proposed = web.post(
        "/staff/pairing",
        data={"csrf_token": token, "request_id": request["id"], "offer_id": elsewhere["id"]},
        follow_redirects=False,
    )
    assert proposed.status_code == 303
    (match,) = _matches_of(api, request["id"])
    assert proposed.headers["location"] == f"/staff/matches/{match['id']}"
    assert (match["status"], match["offer_id"]) == ("proposed", elsewhere["id"])
    assert f"Match {match['id']} was proposed" in web.get(proposed.headers["location"]).text


def test_manual_pairing_refused_by_the_review_rules_creates_nothing(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    draft = _request(api, status="draft")
    offer = _offer(api)
    _staff(web, make_user)
    token = csrf_from(web.get("/staff/pairing").text)
    refused = web.post(
        "/staff/pairing",
        data={"csrf_token": token, "request_id": draft["id"], "offer_id": offer["id"]},
    )
    assert refused.status_code == 409
    assert "The pair could not be proposed." in refused.text
    assert "not open" in refused.text
    assert "A run matches open requests only; this request is: Draft." in refused.text
    assert _matches_of(api, draft["id"]) == []
    unchosen = web.post("/staff/pairing", data={"csrf_token": token, "request_id": draft["id"]})
    assert unchosen.status_code == 422
    missing = web.get("/staff/pairing", params={"request_id": 999999})
    assert missing.status_code == 200
    assert "There is no request with this number." in missing.text


def test_why_not_says_when_a_close_text_stands_in_for_guessed_themes(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    text = {"title": "Training troops on protecting civilians", "description": "For the army"}
    request = _request(api, themes=[], **text)
    offer = _offer(api, themes=["climate-change"], **text)
    _staff(web, make_user)
    pair = {"request_id": request["id"], "offer_id": offer["id"]}
    why = main_of(web.get("/staff/pairing", params=pair).text)
    # the guessed themes (whichever the tagger finds), then why the pair still shares a subject
    assert re.search(r"No theme in common\. Requested: [^<]+\. The request's themes are only", why)
    assert "its text, close in meaning to the offer's, counts as a subject in common" in why
    # and how far each guessed theme is trusted
    trusted = r"How far each is trusted \(a theme the State confirms counts 1\): [^<]+ 0\.75"
    assert re.search(trusted, why)


def test_request_and_offer_pages_lead_staff_to_why_not_and_history(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request = _request(api, consent_to_publish=True)
    offer = _offer(api)
    public = main_of(web.get(f"/requests/{request['id']}").text)
    assert "For OHCHR staff" not in public
    _staff(web, make_user)
    html = main_of(web.get(f"/requests/{request['id']}").text)
    assert "For OHCHR staff" in html
    assert f'<input type="hidden" name="request_id" value="{request["id"]}">' in html
    assert f"entity_type=assistance_request&amp;entity_id={request['id']}" in html
    offer_page = main_of(web.get(f"/offers/{offer['id']}").text)
    assert f'<input type="hidden" name="offer_id" value="{offer["id"]}">' in offer_page
    why = main_of(
        web.get("/staff/pairing", params={"request_id": request["id"], "offer_q": "Detention"}).text
    )
    assert f'id="offer-{offer["id"]}"' in why
    assert f'id="request-{request["id"]}" name="request_id" value="{request["id"]}" checked' in why


# --- the annual report --------------------------------------------------------------------------
def test_annual_report_page_downloads_the_file(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    api.activity("KAZ", consent_to_publish=True)
    _staff(web, make_user)
    page = web.get("/staff/reports")
    assert page.status_code == 200
    assert f'<option value="{date.today().year}" selected>' in page.text
    assert 'name="format" value="pdf" checked' in page.text
    year = date.today().year
    csv = web.get("/staff/reports/annual", params={"year": year, "format": "csv"})
    assert csv.status_code == 200
    assert csv.headers["content-type"] == "application/zip"
    assert (
        csv.headers["content-disposition"] == f'attachment; filename="annual-report-{year}-csv.zip"'
    )
    assert "README.txt" in zipfile.ZipFile(io.BytesIO(csv.content)).namelist()
    html = web.get("/staff/reports/annual", params={"year": year, "format": "html"})
    assert html.headers["content-disposition"].startswith("attachment;")
    # the report's language: the page's by default, or the one chosen
    assert '<option value="en" lang="en" selected>English</option>' in page.text
    arabic = web.get(
        "/staff/reports/annual", params={"year": year, "format": "html", "language": "ar"}
    )
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "كازاخستان" in arabic.text
    odd = web.get("/staff/reports/annual", params={"year": year, "format": "pdf", "language": "xx"})
    assert odd.status_code == 422
    assert "Choose a language from the list." in odd.text
    bad = web.get("/staff/reports/annual", params={"year": "1900", "format": "doc"})
    assert bad.status_code == 422
    assert (
        '<span id="year-error" class="field-error">Choose a year from the list.</span>' in bad.text
    )
    assert "Choose a format from the list." in bad.text


# --- imports ------------------------------------------------------------------------------------
def _wait_for_run(web: TestClient, path: str) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        fragment = web.get(path, headers={"HX-Request": "true", "HX-Target": "run"}).text
        if "hx-trigger" not in fragment:
            return fragment
        assert 'hx-trigger="every 2s"' in fragment
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


@pytest.mark.dialects
def test_import_upload_progress_and_report(
    web: TestClient, make_user: MakeUser, tmp_path: Path
) -> None:
    bad_row = {
        "state_under_review": "Atlantis",
        "recommendation": "Protect the rights of mermaids",
        "response": "Accepted",
        "session": "5",
        "cycle": "1",
    }
    path = upr_info_slice(tmp_path / "slice.csv", 30, extra=[bad_row])
    _staff(web, make_user)
    page = web.get("/staff/imports")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    token = csrf_from(page.text)
    response = web.post(
        "/staff/imports/upr-info",
        data={"csrf_token": token},
        files={"file": ("slice.csv", path.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    run_path = response.headers["location"]
    assert re.fullmatch(r"/staff/imports/\d+", run_path)
    fragment = _wait_for_run(web, run_path)
    assert fragment.lstrip().startswith('<div id="run">')
    assert "The import is complete." in fragment
    counts = dict(re.findall(r'<th scope="row">(\w+)</th><td class="number">(\d+)</td>', fragment))
    assert counts["Inserted"] == "30"
    assert counts["Rejected"] == "1"
    assert "1 rejected row and why" in fragment
    assert re.search(
        r'<td class="number">\d+</td>\s*<td lang="en">unknown state under review', fragment
    )
    assert "Atlantis" in fragment
    whole = web.get(run_path).text
    assert "slice.csv" in whole
    assert "hx-get" not in whole  # finished: nothing polls any more
    listing = main_of(web.get("/staff/imports").text)
    assert f'href="{run_path}"' in listing
    assert "UPR Info database" in listing


def test_import_refusals_are_said_next_to_the_fields(
    web: TestClient, make_user: MakeUser, api: ApiFactory, tmp_path: Path
) -> None:
    _staff(web, make_user)
    token = csrf_from(web.get("/staff/imports").text)
    wrong = web.post(
        "/staff/imports/uhri",
        data={"csrf_token": token},
        files={"file": ("export.pdf", b"%PDF", "application/pdf")},
    )
    assert wrong.status_code == 422
    assert '<span id="uhri-file-error" class="field-error">' in wrong.text
    assert 'aria-describedby="uhri-file-error"' in wrong.text
    report = web.post(
        "/staff/imports/report-text",
        data={"csrf_token": token, "state": "XXX", "session": "500", "document_symbol": ""},
        files={"file": ("report.txt", b"145.1 Ratify OPCAT (Chile);", "text/plain")},
    )
    assert report.status_code == 422
    for name in ("state", "session", "document_symbol"):
        assert f'id="report-text-{name}-error"' in report.text, name
    truncated = tmp_path / "cut.csv"
    truncated.write_bytes(upr_info_slice(tmp_path / "whole.csv", 5).read_bytes()[:-40] + b'"open')
    cut = web.post(
        "/staff/imports/upr-info",
        data={"csrf_token": token},
        files={"file": ("cut.csv", truncated.read_bytes(), "text/csv")},
    )
    assert cut.status_code == 422
    assert "The file was refused as a whole; nothing was imported." in cut.text
    assert "truncated" in cut.text
    assert api.client.get("/api/v1/recommendations").json()["total"] == 0
    assert web.get("/staff/imports/999999").status_code == 404
    assert web.post("/staff/imports/nonsense", data={"csrf_token": token}).status_code == 404


# --- the audit history ------------------------------------------------------------------------
def test_audit_history_of_a_record_with_differences(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    request = _request(api, title=f"First title {ATTACK}")
    api.client.patch(
        f"/api/v1/requests/{request['id']}",
        json={"title": "Second title", "version": request["version"]},
        headers=api.staff,
    ).raise_for_status()
    _staff(web, make_user)
    page = web.get(
        "/staff/audit", params={"entity_type": "assistance_request", "entity_id": request["id"]}
    )
    assert page.status_code == 200
    html = main_of(page.text)
    assert f"History of changes: Request {request['id']}" in html
    assert f'href="/requests/{request["id"]}"' in html
    assert "Entries found: 2" in html
    changed = html.split("Changed:", 1)[1].split("</li>", 1)[0]
    assert "<code>title</code>" in changed
    assert "<del>First title &lt;script&gt;" in changed
    assert "<ins>Second title</ins>" in changed
    assert "<code>description</code>" not in changed  # only what changed
    assert ATTACK not in page.text
    everything = main_of(web.get("/staff/audit").text)
    assert "Created:" in everything
    assert web.get("/staff/audit?entity_type=nonsense&entity_id=x").status_code == 200


# --- users and tokens ---------------------------------------------------------------------------
def test_staff_create_and_disable_a_focal_points_account(
    web: TestClient, make_user: MakeUser, api: ApiFactory, client: TestClient
) -> None:
    _staff(web, make_user)
    page = web.get("/staff/users")
    assert page.status_code == 200
    token = csrf_from(page.text)
    roles = re.findall(r'<select id="user-role" name="role"[^>]*>(.*?)</select>', page.text, re.S)[
        0
    ]
    assert "State focal point" in roles
    assert "Provider" in roles
    assert "OHCHR staff" not in roles  # for administrators
    assert "Administrator" not in roles

    bad = web.post(
        "/staff/users",
        data={"csrf_token": token, "name": "", "role": "admin", "password": "short"},
    )
    assert bad.status_code == 422
    for field in ("name", "role", "email"):
        assert f'id="user-{field}-error"' in bad.text, field

    made = web.post(
        "/staff/users",
        data={
            "csrf_token": token,
            "name": "Aigerim Focal",
            "role": "state",
            "state": "KAZ",
            "email": "aigerim@example.org",
            "password": PASSWORD,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    user_path = made.headers["location"]
    assert "The account of Aigerim Focal was created." in web.get(user_path).text
    taken = web.post(
        "/staff/users",
        data={"csrf_token": token, "name": "Again", "role": "state", "state": "KAZ",
              "email": "aigerim@example.org"},
    )  # fmt: skip
    assert taken.status_code == 422
    assert "Give a valid email address that no other account uses." in taken.text

    # the new focal point signs in, and has a token made for her by staff
    focal = TestClient(client.app, base_url="https://testserver")
    assert sign_in(focal, "aigerim@example.org").status_code == 303
    created = web.post(f"{user_path}/tokens", data={"csrf_token": token, "days": "30"})
    secret = re.search(r'id="new-token" class="token" readonly value="(uprtc_[^"]+)"', created.text)
    assert secret, "the new token is shown"
    assert created.headers["cache-control"] == "no-store"
    assert secret.group(1) not in web.get(user_path).text  # shown once
    me = client.get("/api/v1/me", headers=auth(secret.group(1)))
    assert (me.status_code, me.json()["state"]) == (200, "KAZ")

    # disabled: her session ends and her token stops at once
    disabled = web.post(f"{user_path}/active", data={"csrf_token": token, "active": "0"})
    assert "is disabled" in disabled.text
    assert focal.get("/state", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers=auth(secret.group(1))).status_code == 401
    web.post(f"{user_path}/active", data={"csrf_token": token, "active": "1"})
    assert client.get("/api/v1/me", headers=auth(secret.group(1))).status_code == 200
    # revoked
    token_id = re.search(r"/tokens/(\d+)/revoke", web.get(user_path).text)
    assert token_id
    web.post(f"{user_path}/tokens/{token_id.group(1)}/revoke", data={"csrf_token": token})
    assert client.get("/api/v1/me", headers=auth(secret.group(1))).status_code == 401
    history = main_of(
        web.get(f"/staff/audit?entity_type=user&entity_id={user_path.rsplit('/', 1)[1]}").text
    )
    for action in ("Created:", "Disabled:", "Enabled:"):
        assert action in history, action
    assert "password" not in history
    tokens_history = main_of(web.get("/staff/audit?entity_type=api_token").text)
    assert "Revoked:" in tokens_history
    assert secret.group(1) not in tokens_history


def test_only_administrators_manage_staff_accounts(web: TestClient, make_user: MakeUser) -> None:
    admin_email = make_user("admin", name="The Administrator")
    _staff(web, make_user)
    token = csrf_from(web.get("/staff/users").text)
    listing = web.get("/staff/users?role=admin").text
    admin_id = re.search(r'href="/staff/users/(\d+)">The Administrator<', listing)
    assert admin_id
    path = f"/staff/users/{admin_id.group(1)}"
    assert "Only administrators manage the accounts of staff" in web.get(path).text
    assert web.post(f"{path}/active", data={"csrf_token": token, "active": "0"}).status_code == 403
    assert web.post(f"{path}/tokens", data={"csrf_token": token}).status_code == 403
    assert web.get("/staff/users/999999").status_code == 404

    admin = TestClient(web.app, base_url="https://testserver")
    assert sign_in(admin, admin_email).status_code == 303
    admin_page = admin.get("/staff/users").text
    roles = re.findall(r'<select id="user-role" name="role"[^>]*>(.*?)</select>', admin_page, re.S)[
        0
    ]
    assert "Administrator" in roles
    own = admin.post(f"{path}/active", data={"csrf_token": csrf_from(admin_page), "active": "0"})
    assert own.status_code == 403  # nobody disables their own account


def test_any_signed_in_user_manages_their_own_tokens(
    web: TestClient, make_user: MakeUser, api: ApiFactory, client: TestClient
) -> None:
    assert web.get("/account/tokens", follow_redirects=False).status_code == 303
    email = make_user("provider", organization_id=api.organization()["id"])
    assert sign_in(web, email).status_code == 303
    page = web.get("/account/tokens")
    assert page.status_code == 200
    assert "No API token yet." in page.text
    assert 'href="/account/tokens"' in page.text  # in the account navigation
    token = csrf_from(page.text)
    created = web.post("/account/tokens", data={"csrf_token": token, "days": "90"})
    secret = re.search(r'value="(uprtc_[^"]+)"', created.text)
    assert secret
    assert client.get("/api/v1/me", headers=auth(secret.group(1))).json()["role"] == "provider"
    token_id = re.search(r"/account/tokens/(\d+)/revoke", created.text)
    assert token_id
    # another user's token (the staff token made the organization, just before) is "not
    # found", and stays valid
    other_id = int(token_id.group(1)) - 1
    refused = web.post(f"/account/tokens/{other_id}/revoke", data={"csrf_token": token})
    assert refused.status_code == 404
    assert client.get("/api/v1/me", headers=api.staff).json()["role"] == "staff"
    revoked = web.post(
        f"/account/tokens/{token_id.group(1)}/revoke",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert client.get("/api/v1/me", headers=auth(secret.group(1))).status_code == 401
    assert '<span class="badge warn">Revoked</span>' in web.get("/account/tokens").text
    assert web.post("/account/tokens", data={"csrf_token": "forged"}).status_code == 403


# --- proactive matching, gaps, navigation -------------------------------------------------------
def test_proactive_page_lists_recommendations_and_offers(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    rec = api.recommendation("KAZ", text="Establish a national preventive mechanism (OPCAT)")
    offer = _offer(api)
    _staff(web, make_user)
    html = main_of(web.get("/staff/proactive").text)
    assert f'href="/recommendations/{rec["id"]}"' in html
    assert "Establish a national preventive mechanism (OPCAT)" in html
    assert f'href="/offers/{offer["id"]}"' in html
    assert "Prohibition of torture" in html
    assert (
        f'href="/offers/{offer["id"]}"' in web.get("/staff/proactive?state=KAZ&theme=torture").text
    )
    assert "No supported recommendation" in web.get("/staff/proactive?state=SEN").text


def test_gaps_page_shows_what_the_examples_are(
    web: TestClient, make_user: MakeUser, api: ApiFactory
) -> None:
    rec = api.recommendation("SEN", text="Adopt a law against torture in all places of detention")
    request = api.request("SEN", status="open", themes=["right-to-education"], title="Teachers")
    _staff(web, make_user)
    html = main_of(web.get("/staff/gaps").text)
    assert f'<a href="/recommendations/{rec["id"]}">Adopt a law against torture' in html
    assert f'<a href="/requests/{request["id"]}">Teachers</a>' in html
    assert "(Senegal" in html
    assert f"Recommendation {rec['id']}</a>" not in html


def test_staff_navigation_reaches_every_tool(web: TestClient, make_user: MakeUser) -> None:
    _staff(web, make_user)
    nav = web.get("/staff/matches").text.split('aria-label="Staff area"', 1)[1].split("</nav>")[0]
    for path, text in [
        ("/staff", "Dashboard"),
        ("/staff/matches", "Review queue"),
        ("/staff/pairing", "Manual pairing"),
        ("/staff/proactive", "Proactive matching"),
        ("/staff/reports", "Annual report"),
        ("/staff/imports", "Imports"),
        ("/staff/audit", "Audit log"),
        ("/staff/users", "Users"),
    ]:
        assert f'href="{path}"' in nav, text
        assert text in nav
        assert web.get(path).status_code == 200, path
    # only the page shown is current (the dashboard is not current on every staff page)
    assert nav.count('aria-current="page"') == 1
    assert '<a href="/staff/matches" aria-current="page">' in nav


@pytest.mark.parametrize(
    "path",
    [
        "/staff/pairing",
        "/staff/proactive",
        "/staff/reports",
        "/staff/imports",
        "/staff/audit",
        "/staff/users",
    ],
)
def test_new_staff_pages_are_for_staff_only(
    web: TestClient, make_user: MakeUser, api: ApiFactory, path: str
) -> None:
    assert web.get(path, follow_redirects=False).headers["location"].startswith("/login?next=")
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    assert web.get(path).status_code == 403
