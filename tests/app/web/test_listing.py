"""Every list page sorts by its columns, jumps to a page and exports what it shows (the same
filters and order, as CSV and XLSX), through the pages as a browser asks for them."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.support.factories import ApiFactory
from tests.support.web import MakeUser, main_of, sign_in

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
