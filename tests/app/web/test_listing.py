"""Every list page sorts by its columns, jumps to a page and exports what it shows (the same
filters and order, as CSV and XLSX), through the pages as a browser asks for them."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from app.auth.service import hash_token
from app.web import notifications, tokens
from app.web.staff import coordination
from tests.support.factories import ApiFactory, auth
from tests.support.web import MakeUser, csrf_from, main_of, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _titles(html: str) -> list[str]:
    return re.findall(r"<h3><a href=\"[^\"]+\">([^<]+)</a></h3>", main_of(html))


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark: spreadsheets read accents
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx(content: bytes) -> tuple[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None
    return sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.dialects
def test_public_requests_sort_page_and_export_without_unpublished(
    web: TestClient, api: ApiFactory
) -> None:
    for title, state in (("Bravo", "KAZ"), ("Alpha", "FRA"), ("Charlie", "ARM")):
        api.request(
            state,
            title=title,
            status="open",
            consent_to_publish=True,
            period_start="2027-01-01",
        )
    api.request("KAZ", title="Secret request", status="open")  # no consent: never public

    page = web.get("/requests?sort=title")
    assert page.status_code == 200
    assert _titles(page.text) == ["Alpha", "Bravo", "Charlie"]
    html = main_of(page.text)
    assert 'aria-current="true"' in html
    assert "sort=-title" in html
    assert _titles(web.get("/requests?sort=-title").text) == ["Charlie", "Bravo", "Alpha"]
    # By the State's name in the page's language: Armenia, France, Kazakhstan.
    assert _titles(web.get("/requests?sort=state").text) == ["Charlie", "Alpha", "Bravo"]
    assert _titles(web.get("/requests?sort=nonsense").text) == ["Bravo", "Alpha", "Charlie"]

    exported = web.get("/requests?sort=-title&export=csv&q=a")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = _csv(exported.content)
    assert rows[0][:4] == ["Title", "State", "Status", "Published"]
    assert [r[0] for r in rows[1:]] == ["Charlie", "Bravo", "Alpha"]  # filter and order kept
    assert rows[1][1:4] == ["Armenia", "Open", "Published"]

    exported = web.get("/requests?export=xlsx")
    assert exported.headers["content-type"] == XLSX
    title, values = _xlsx(exported.content)
    assert title == "Requests for assistance"
    assert [v[0] for v in values[1:]] == ["Bravo", "Alpha", "Charlie"]
    assert values[1][values[0].index("From")] is not None
    assert "Secret request" not in {v[0] for v in values}
    assert "Secret request" not in web.get("/requests?export=csv").text


@pytest.mark.dialects
def test_a_state_exports_its_own_unpublished_request_but_the_public_does_not(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    api.request("KAZ", title="Our own draft")
    assert "Our own draft" not in web.get("/requests?export=csv").text
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    assert "Our own draft" in web.get("/requests?export=csv").text


def test_the_page_jump_form_keeps_filters_and_order(web: TestClient, api: ApiFactory) -> None:
    for number in range(45):
        api.recommendation("KAZ", text=f"Recommendation number {number:02d}", session=30)
    page = web.get("/recommendations?state=KAZ&sort=-session")
    html = main_of(page.text)
    form = html.split('class="page-jump"', 1)[1].split("</form>", 1)[0]
    assert 'name="state" value="KAZ"' in form
    assert 'name="sort" value="-session"' in form
    assert 'name="page" type="number" min="1" max="3"' in form
    third = web.get("/recommendations?state=KAZ&sort=-session&page=3")
    assert "Page 3 of 3" in third.text
    assert "Page 3 of 3" in web.get("/recommendations?state=KAZ&page=99").text  # the last one
    texts = re.findall(r"Recommendation number (\d\d)", main_of(third.text))
    assert texts == ["04", "03", "02", "01", "00"]  # ties: the newest first, as the order


def test_offers_and_activities_sort_and_export(web: TestClient, api: ApiFactory) -> None:
    org = api.organization(name="Zeta Institute")["id"]
    api.offer(org, title="Second offer", status="active", period_start="2027-03-01")
    api.offer(api.organization(name="Alpha Foundation")["id"], title="First offer", status="active")
    api.offer(org, title="Draft offer", status="draft")  # a draft is not public
    assert _titles(web.get("/offers?sort=provider").text) == ["First offer", "Second offer"]
    assert _titles(web.get("/offers?sort=-provider").text) == ["Second offer", "First offer"]
    _title, values = _xlsx(web.get("/offers?sort=title&export=xlsx").content)
    header = values[0]
    assert [v[0] for v in values[1:]] == ["First offer", "Second offer"]
    start = values[2][header.index("From")]
    assert start is not None
    assert start.date() == date(2027, 3, 1)

    api.activity("KAZ", title="Workshop B", consent_to_publish=True)
    api.activity("KAZ", title="Workshop A", consent_to_publish=True)
    api.activity("KAZ", title="Hidden workshop")
    assert _titles(web.get("/activities?sort=title").text) == ["Workshop A", "Workshop B"]
    rows = _csv(web.get("/activities?sort=title&export=csv").content)
    assert [r[0] for r in rows[1:]] == ["Workshop A", "Workshop B"]


def test_an_export_cell_never_runs_as_a_formula(web: TestClient, api: ApiFactory) -> None:
    api.request("KAZ", title="=HYPERLINK(1)", status="open", consent_to_publish=True)
    rows = _csv(web.get("/requests?export=csv").content)
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_states_own_requests_sort_and_export(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    api.request("KAZ", title="Beta draft")
    api.request("KAZ", title="Alpha open", status="open")
    api.request("FRA", title="Not ours", status="open", consent_to_publish=True)
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    home = main_of(web.get("/state").text)
    assert home.index("Alpha open") < home.index("Beta draft")  # the newest change first
    assert 'aria-sort="descending"' in home
    home = main_of(web.get("/state?sort=title").text)
    assert 'aria-sort="ascending"' in home
    assert home.index("Alpha open") < home.index("Beta draft")
    rows = _csv(web.get("/state?sort=-title&export=csv").content)
    assert [r[0] for r in rows[1:]] == ["Beta draft", "Alpha open"]


def test_the_providers_own_offers_export(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    org = api.organization(name="Helpers")["id"]
    api.offer(org, title="Our draft", status="draft")
    api.offer(api.organization(name="Others")["id"], title="Their offer", status="active")
    assert sign_in(web, make_user("provider", organization_id=org)).status_code == 303
    _title, values = _xlsx(web.get("/provider?export=xlsx").content)
    assert [v[0] for v in values[1:]] == ["Our draft"]


def test_staff_lists_sort_and_export(web: TestClient, api: ApiFactory, make_user: MakeUser) -> None:
    staff = make_user("staff", email="reviewer@example.org")
    make_user("state", state="KAZ", email="aigerim@example.org")
    request = api.request("KAZ", title="Prison monitoring", status="open")
    offer = api.offer(api.organization(name="Monitors")["id"], title="Visits", status="active")
    api.match(request["id"], offer["id"], score=0.7)
    assert sign_in(web, staff).status_code == 303

    users = main_of(web.get("/staff/users?sort=-email").text)
    assert users.index("reviewer@example.org") < users.index("aigerim@example.org")
    assert 'aria-sort="descending"' in users
    rows = _csv(web.get("/staff/users?sort=email&export=csv").content)
    emails = [r[1] for r in rows[1:]]
    assert emails.index("aigerim@example.org") < emails.index("reviewer@example.org")

    queue = web.get("/staff/matches?export=xlsx")
    assert queue.headers["content-type"] == XLSX
    title, values = _xlsx(queue.content)
    assert title == "Review queue"
    assert values[1][1:5] == ("Kazakhstan", "Prison monitoring", "Monitors", "Visits")

    audit = web.get("/staff/audit?entity_type=assistance_request&sort=at")
    assert 'aria-current="true"' in main_of(audit.text)
    rows = _csv(web.get("/staff/audit?entity_type=assistance_request&export=csv").content)
    assert rows[0][:4] == ["When", "Who", "What", "Kind of record"]
    assert {r[3] for r in rows[1:]} == {"Request"}

    assert web.get("/staff/imports?sort=-started").status_code == 200
    assert _csv(web.get("/staff/imports?export=csv").content)[0][0] == "Import"
    assert web.get("/staff/outbox?sort=to").status_code == 200
    assert _csv(web.get("/staff/outbox?status=sent&export=csv").content)[0][0] == "Subject"


def test_a_public_export_is_refused_nothing_it_would_not_show_on_the_page(
    web: TestClient, api: ApiFactory
) -> None:
    """Staff lists stay closed to the public, exports included."""
    page = web.get("/staff/users?export=csv", follow_redirects=False)
    assert page.status_code in (303, 401, 403)
    assert "text/csv" not in page.headers.get("content-type", "")


# --- lists a person has of their own, and the gaps ----------------------------------------------
def _propose(api: ApiFactory, state: str, title: str, offer_id: int) -> None:
    """A request of `state` proposed to a provider: its State's users are told."""
    request = api.request(state, title=title, status="open", themes=["torture"])
    match = api.match(request["id"], offer_id)
    url = f"/api/v1/matches/{match['id']}"
    version = api.client.get(url, headers=api.staff).json()["version"]
    proposed = api.client.post(f"{url}/propose", json={"version": version}, headers=api.staff)
    assert proposed.status_code == 200, proposed.text


def _subjects(html: str) -> list[str]:
    return re.findall(r"Proposed partnership: (\w+)</a>", main_of(html))


@pytest.mark.dialects
def test_notifications_sort_page_filter_and_export_only_ones_own(
    web: TestClient, api: ApiFactory, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    kaz = make_user("state", state="KAZ")
    make_user("state", state="FRA")
    offer = api.offer(
        api.organization()["id"], countries=["KAZ", "FRA"], status="active", capacity=10
    )
    for title in ("Alpha", "Bravo", "Charlie"):
        _propose(api, "KAZ", title, offer["id"])
    _propose(api, "FRA", "Foreign", offer["id"])  # told to France's users only
    assert sign_in(web, kaz).status_code == 303

    page = web.get("/notifications")
    assert _subjects(page.text) == ["Charlie", "Bravo", "Alpha"]  # unread, the newest first
    bravo = re.search(r'action="/notifications/(\d+)/read">(?:(?!</li>).)*?: Proposed '
                      r"partnership: Bravo", page.text, re.S)  # fmt: skip
    assert bravo
    web.post(f"/notifications/{bravo.group(1)}/read", data={"csrf_token": csrf_from(page.text)})
    assert _subjects(web.get("/notifications").text) == ["Charlie", "Alpha", "Bravo"]

    received = web.get("/notifications?sort=received")
    assert _subjects(received.text) == ["Alpha", "Bravo", "Charlie"]
    assert "sort=-received" in main_of(received.text)
    assert _subjects(web.get("/notifications?sort=-received").text) == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    assert _subjects(web.get("/notifications?sort=-unread").text)[0] == "Bravo"  # read first
    assert _subjects(web.get("/notifications?show=unread").text) == ["Charlie", "Alpha"]
    assert _subjects(web.get("/notifications?show=read").text) == ["Bravo"]

    monkeypatch.setattr(notifications.NOTIFICATIONS, "page_size", 2)
    first = web.get("/notifications?sort=received")
    form = main_of(first.text).split('class="page-jump"', 1)[1].split("</form>", 1)[0]
    assert 'name="sort" value="received"' in form
    assert 'max="2"' in form
    assert _subjects(web.get("/notifications?sort=received&page=2").text) == ["Charlie"]
    assert _subjects(web.get("/notifications?sort=received&page=9").text) == ["Charlie"]
    monkeypatch.undo()

    rows = _csv(web.get("/notifications?show=unread&sort=received&export=csv").content)
    assert rows[0] == ["Subject", "Received", "Unread", "Read on", "Message", "Page"]
    assert [r[0] for r in rows[1:]] == [
        "Proposed partnership: Alpha",
        "Proposed partnership: Charlie",
    ]
    assert {r[2] for r in rows[1:]} == {"Unread"}
    assert all(r[5].startswith("/state/requests/") for r in rows[1:])

    exported = web.get("/notifications?sort=-received&export=xlsx")
    assert exported.headers["content-type"] == XLSX
    title, values = _xlsx(exported.content)
    assert title == "Notifications"
    assert [v[0] for v in values[1:]] == [
        "Proposed partnership: Charlie",
        "Proposed partnership: Bravo",
        "Proposed partnership: Alpha",
    ]
    header = values[0]
    assert values[2][header.index("Unread")] == "Read"
    assert values[2][header.index("Read on")] is not None  # a date, as a date
    assert values[1][header.index("Read on")] is None
    assert "Foreign" not in str(values)
    assert "Foreign" not in web.get("/notifications?export=csv").text

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    anonymous = web.get("/notifications?export=csv", follow_redirects=False)
    assert anonymous.status_code == 303
    assert "text/csv" not in anonymous.headers.get("content-type", "")


def _token_prefixes(html: str) -> list[str]:
    # A prefix is "uprtc_" and four URL-safe characters (letters, digits, - and _).
    return re.findall(r"<th scope=\"row\"><code>(uprtc_[\w-]{4})…</code></th>", main_of(html))


@pytest.mark.dialects
def test_api_tokens_sort_page_and_export_without_secrets(
    web: TestClient,
    api: ApiFactory,
    make_user: MakeUser,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other_secret = api.token("provider", organization_id=api.organization()["id"])
    email = make_user("provider", organization_id=api.organization()["id"], name="Token Owner")
    assert sign_in(web, email).status_code == 303
    secrets = {}
    for days in ("365", "30", "90"):
        made = web.post(
            "/account/tokens", data={"csrf_token": csrf_from(web.get("/").text), "days": days}
        )
        secret = re.search(r'value="(uprtc_[^"]+)"', made.text)
        assert secret
        secrets[days] = secret.group(1)
    prefix = {days: secret[:10] for days, secret in secrets.items()}
    page = web.get("/account/tokens")
    assert _token_prefixes(page.text) == [prefix["90"], prefix["30"], prefix["365"]]  # newest
    assert 'aria-sort="descending"' in main_of(page.text)
    revoke = re.search(r"/account/tokens/(\d+)/revoke", page.text)  # the newest: 90 days
    assert revoke
    web.post(revoke.group(0), data={"csrf_token": csrf_from(page.text)})

    by_expiry = web.get("/account/tokens?sort=expires")
    assert _token_prefixes(by_expiry.text) == [prefix["30"], prefix["90"], prefix["365"]]
    assert 'aria-sort="ascending"' in main_of(by_expiry.text)
    assert _token_prefixes(web.get("/account/tokens?sort=-expires").text) == [
        prefix["365"],
        prefix["90"],
        prefix["30"],
    ]
    by_state = _token_prefixes(web.get("/account/tokens?sort=-state").text)
    assert by_state[0] == prefix["90"]  # revoked, after the active ones in ascending order

    monkeypatch.setattr(tokens.TOKENS, "page_size", 2)
    first = main_of(web.get("/account/tokens?sort=expires").text)
    form = first.split('class="page-jump"', 1)[1].split("</form>", 1)[0]
    assert 'name="sort" value="expires"' in form
    assert _token_prefixes(web.get("/account/tokens?sort=expires&page=2").text) == [prefix["365"]]
    monkeypatch.undo()

    exported = web.get("/account/tokens?sort=expires&export=csv")
    rows = _csv(exported.content)
    assert rows[0] == ["Token", "Created", "Expires", "Last used", "State"]
    assert [r[0] for r in rows[1:]] == [f"{prefix[d]}…" for d in ("30", "90", "365")]
    assert [r[4] for r in rows[1:]] == ["Active", "Revoked", "Active"]
    text = exported.content.decode("utf-8-sig")
    for secret in [*secrets.values(), other_secret]:
        assert secret not in text
        assert hash_token(secret) not in text
    assert other_secret[:10] not in text  # another user's token is never listed

    title, values = _xlsx(web.get("/account/tokens?sort=-expires&export=xlsx").content)
    assert title == "API tokens"
    assert [v[0] for v in values[1:]] == [f"{prefix[d]}…" for d in ("365", "90", "30")]
    assert values[1][1] is not None  # created, as a date

    # Staff see (and export) the same list on the account's page; a focal point may not.
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user("staff")).status_code == 303
    listing = web.get("/staff/users?q=Token+Owner").text
    user_id = re.search(r'href="/staff/users/(\d+)">Token Owner<', listing)
    assert user_id
    path = f"/staff/users/{user_id.group(1)}"
    assert _token_prefixes(web.get(f"{path}?sort=expires").text) == [
        prefix["30"],
        prefix["90"],
        prefix["365"],
    ]
    title, values = _xlsx(web.get(f"{path}?sort=expires&export=xlsx").content)
    assert [v[0] for v in values[1:]] == [f"{prefix[d]}…" for d in ("30", "90", "365")]
    assert other_secret[:10] not in str(values)
    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    refused = web.get(f"{path}?export=csv", follow_redirects=False)
    assert refused.status_code == 403
    assert "text/csv" not in refused.headers.get("content-type", "")
    assert client.get("/api/v1/me", headers=auth(other_secret)).status_code == 200


def _gap_rows(html: str) -> list[tuple[str, str]]:
    table = main_of(html).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>', table)
    return [(unescape(theme), unescape(region)) for theme, region in found]


def test_gaps_sort_page_and_export_with_the_grouping(
    web: TestClient, api: ApiFactory, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        api.recommendation("SEN", themes=["torture"])
    api.request("KAZ", status="open", themes=["torture"], title="Prison visits")
    api.request("KAZ", status="open", themes=["torture"], title="Monitoring")
    api.request("FRA", status="open", themes=["right-to-education"], title="Schools")
    assert sign_in(web, make_user("staff")).status_code == 303

    torture, education = "Prohibition of torture & ill-treatment", "Right to education"
    page = web.get("/staff/gaps")
    assert _gap_rows(page.text) == [
        (torture, "Africa"),
        (torture, "Asia"),
        (education, "Europe"),
    ]  # the service's order: the most needs first
    assert "largest first" in main_of(page.text)
    by_region = web.get("/staff/gaps?sort=-region")
    assert _gap_rows(by_region.text) == [
        (education, "Europe"),
        (torture, "Asia"),
        (torture, "Africa"),
    ]
    assert 'aria-sort="descending"' in main_of(by_region.text)
    assert "largest first" not in main_of(by_region.text)
    assert [r[1] for r in _gap_rows(web.get("/staff/gaps?sort=needs").text)] == [
        "Europe",
        "Asia",
        "Africa",
    ]
    assert [r[0] for r in _gap_rows(web.get("/staff/gaps?sort=-theme").text)] == [
        education,
        torture,
        torture,
    ]

    monkeypatch.setattr(coordination.GAPS, "page_size", 2)
    first = main_of(web.get("/staff/gaps?by=hrc_group&sort=region").text)
    form = first.split('class="page-jump"', 1)[1].split("</form>", 1)[0]
    assert 'name="by" value="hrc_group"' in form
    assert 'name="sort" value="region"' in form
    second = web.get("/staff/gaps?by=hrc_group&sort=region&page=2")
    assert _gap_rows(second.text) == [(education, "Western European and other States")]
    assert "Page 2 of 2" in second.text
    monkeypatch.undo()

    rows = _csv(web.get("/staff/gaps?by=hrc_group&sort=-needs&export=csv").content)
    assert rows[0] == ["Theme", "Region", "Needs", "Requests", "Recommendations", "Examples"]
    assert [r[1] for r in rows[1:]] == [
        "African States",
        "Asia-Pacific States",
        "Western European and other States",
    ]
    assert rows[1][2:5] == ["3", "0", "3"]
    assert "Request: Prison visits (Kazakhstan)" in rows[2][5]
    exported = web.get("/staff/gaps?sort=region&export=xlsx")
    assert exported.headers["content-type"] == XLSX
    title, values = _xlsx(exported.content)
    assert title == "Gaps"
    assert [v[1] for v in values[1:]] == ["Africa", "Asia", "Europe"]
    assert values[1][2:5] == (3, 0, 3)  # numbers as numbers

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    refused = web.get("/staff/gaps?export=csv", follow_redirects=False)
    assert refused.status_code == 403
    assert "text/csv" not in refused.headers.get("content-type", "")


def _duplication_states(html: str) -> list[str]:
    table = main_of(html).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_duplications_sort_page_and_export(
    web: TestClient, api: ApiFactory, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two providers' offers for the same theme in three States: a possible duplication in
    each, the overlap starting a month later in each State."""
    for number, (state, start) in enumerate(
        (("KAZ", "2027-03-01"), ("ARM", "2027-01-01"), ("SEN", "2027-02-01"))
    ):
        for provider in ("Alpha", "Beta"):
            api.offer(
                api.organization(name=f"{provider} {number}")["id"],
                title=f"{provider} training in {state}",
                countries=[state],
                status="active",
                period_start=start,
                period_end="2027-12-31",
            )
    assert sign_in(web, make_user("staff")).status_code == 303

    by_state = web.get("/staff/duplications?sort=state")
    assert _duplication_states(by_state.text) == ["Armenia", "Kazakhstan", "Senegal"]
    assert 'aria-sort="ascending"' in main_of(by_state.text)
    assert _duplication_states(web.get("/staff/duplications?sort=-state").text) == [
        "Senegal",
        "Kazakhstan",
        "Armenia",
    ]
    assert _duplication_states(web.get("/staff/duplications?sort=overlap").text) == [
        "Armenia",
        "Senegal",
        "Kazakhstan",
    ]

    monkeypatch.setattr(coordination.DUPLICATIONS, "page_size", 2)
    assert _duplication_states(web.get("/staff/duplications?sort=state&page=2").text) == ["Senegal"]
    monkeypatch.undo()

    rows = _csv(web.get("/staff/duplications?sort=-overlap&export=csv").content)
    assert rows[0] == ["State", "Theme", "First", "Second", "Overlap starts", "Overlap ends"]
    assert [r[0] for r in rows[1:]] == ["Kazakhstan", "Senegal", "Armenia"]
    assert rows[1][2:] == [
        "Offer: Alpha training in KAZ (Alpha 0)",
        "Offer: Beta training in KAZ (Beta 0)",
        "2027-03-01",
        "2027-12-31",
    ]
    title, values = _xlsx(web.get("/staff/duplications?sort=state&export=xlsx").content)
    assert title == "Duplications"
    assert [v[0] for v in values[1:]] == ["Armenia", "Kazakhstan", "Senegal"]

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user("provider", organization_id=1)).status_code == 303
    refused = web.get("/staff/duplications?export=csv", follow_redirects=False)
    assert refused.status_code == 403
    assert "text/csv" not in refused.headers.get("content-type", "")


def _coverage_themes(html: str) -> list[str]:
    table = main_of(html).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [unescape(t) for t in re.findall(r'<th scope="row">([^<]+)</th>', table)]


def test_a_states_coverage_sorts_and_exports_what_the_reader_may_see(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    torture, education = "Prohibition of torture & ill-treatment", "Right to education"
    for theme in ("torture", "torture", "right-to-education"):
        api.recommendation("KAZ", themes=[theme])
    api.request("KAZ", title="Open", themes=["torture"], status="open", consent_to_publish=True)
    api.request("KAZ", title="Hidden", themes=["right-to-education"], status="open")
    api.recommendation("FRA", themes=["right-to-education"])  # another State's

    assert _coverage_themes(web.get("/states/KAZ").text) == [torture, education]
    by_theme = web.get("/states/KAZ?sort=-theme")
    assert _coverage_themes(by_theme.text) == [education, torture]
    assert 'aria-sort="descending"' in main_of(by_theme.text)
    assert _coverage_themes(web.get("/states/KAZ?sort=recommendations").text) == [
        education,
        torture,
    ]

    rows = _csv(web.get("/states/KAZ?sort=theme&export=csv").content)
    assert rows[0] == [
        "Theme",
        "Supported recommendations",
        "Requests",
        "Offers",
        "Activities",
        "Help",
    ]
    assert rows[1:] == [
        [torture, "2", "1", "0", "0", "No offer or activity yet"],
        [education, "1", "0", "0", "0", "No offer or activity yet"],
    ]  # the unpublished request is not counted for the public
    title, values = _xlsx(web.get("/states/KAZ?export=xlsx").content)
    assert title == "Coverage by theme"
    assert values[1][:3] == (torture, 2, 1)

    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    rows = _csv(web.get("/states/KAZ?sort=theme&export=csv").content)
    assert rows[2][:3] == [education, "1", "1"]  # its own unpublished request counts for it


def test_proactive_matching_exports_its_pairs_with_the_filters(
    web: TestClient, api: ApiFactory, make_user: MakeUser
) -> None:
    kaz = api.recommendation("KAZ", text="Establish a national preventive mechanism")
    api.recommendation("ARM", text="Ratify OPCAT")
    org = api.organization(name="Monitors")["id"]
    api.offer(org, title="NPM training", countries=["KAZ", "ARM"], status="active")
    assert sign_in(web, make_user("staff")).status_code == 303
    page = main_of(web.get("/staff/proactive?state=KAZ").text)
    assert "export=csv" in page
    assert "state=KAZ" in page.split('class="export-links"', 1)[1].split("</p>", 1)[0]

    rows = _csv(web.get("/staff/proactive?state=KAZ&export=csv").content)
    assert rows[0] == [
        "Recommendation",
        "State under review",
        "Themes",
        "Offer",
        "Provider",
        "Score",
        "Why",
    ]
    assert [r[:5] for r in rows[1:]] == [
        [kaz["text"], "Kazakhstan", "Prohibition of torture & ill-treatment", "NPM training",
         "Monitors"]
    ]  # fmt: skip
    assert 0 < float(rows[1][5]) <= 1
    title, values = _xlsx(web.get("/staff/proactive?export=xlsx").content)
    assert title == "Proactive matching"
    assert {v[1] for v in values[1:]} == {"Kazakhstan", "Armenia"}

    web.post("/logout", data={"csrf_token": csrf_from(web.get("/").text)})
    assert sign_in(web, make_user("state", state="KAZ")).status_code == 303
    refused = web.get("/staff/proactive?export=csv", follow_redirects=False)
    assert refused.status_code == 403
    assert "text/csv" not in refused.headers.get("content-type", "")
