"""The recommendation search (GET /api/v1/recommendations?q=): across languages, through the
text index, with a capped count and keyset pages; on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text

from app.core.pagination import PageParams
from app.db import text_search
from app.db.session import create_db_engine, create_session_factory
from app.pairing import semantic
from app.recommendations import search
from app.recommendations.repository import RecommendationFilters
from tests.support.factories import ApiFactory

URL = "/api/v1/recommendations"

ENGLISH = {
    "education": "Guarantee free and compulsory primary education for all children, including "
    "girls and children with disabilities",
    "torture": "Establish a national preventive mechanism against torture in places of detention",
    "press": "Protect journalists and guarantee the freedom of the press and of expression",
    "water": "Ensure access to safe drinking water and sanitation in rural areas",
}
QUERIES = {  # each written in another UN language; the English recommendation must come first
    "education": ["enseignement primaire gratuit pour tous les enfants", "教育 儿童 免费 小学"],
    "torture": ["mecanismo nacional de prevención de la tortura", "предотвращение пыток"],
    "press": ["защита журналистов и свобода прессы", "حرية الصحافة وحماية الصحفيين"],
    "water": ["accès à l'eau potable et à l'assainissement", "agua potable y saneamiento"],
}


def _page(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


@pytest.mark.dialects
def test_a_query_in_another_language_finds_the_english_recommendation(
    api: ApiFactory, client: TestClient
) -> None:
    ids = {topic: api.recommendation(text=text)["id"] for topic, text in ENGLISH.items()}
    for topic, queries in QUERIES.items():
        for query in queries:
            found = _ids(_page(client, q=query))
            assert found, query
            assert found[0] == ids[topic], (query, found)
    # The State filter applies to what is found by meaning too: only that State's records are
    # scored, and one of them is found by meaning while the other States' are left out.
    assert _ids(_page(client, q=QUERIES["water"][0], state="UZB")) == []
    uzbek = api.recommendation(state="UZB", text="Improve the supply of clean drinking water")
    assert _ids(_page(client, q=QUERIES["water"][1], state="UZB")) == [uzbek["id"]]
    assert _ids(_page(client, q=QUERIES["water"][1], state="KAZ"))[0] == ids["water"]


# Queries whose English target the encoder's cosine put behind texts on other subjects that
# merely look like UPR recommendations (from the first blind set of users' queries).
OUTRANKED = {
    "老年人 养老金 虐待": (
        "Adopt a national policy on older persons that guarantees a social pension and "
        "protects them from abuse and neglect.",
        [
            "Raise the age of criminal responsibility for minors",
            "Raise the minimum age of criminal responsibility",
        ],
    ),
    "真相委员会 冲突受害者 赔偿": (
        "Implement the recommendations of the Truth and Reconciliation Commission, including "
        "reparations for victims of the armed conflict.",
        ["Envisage actions to abolish capital punishment", "Enhance the fight against corruption"],
    ),
}


@pytest.mark.dialects
def test_the_language_of_a_query_does_not_outrank_its_subject(
    api: ApiFactory, client: TestClient
) -> None:
    """Texts are ranked by their similarity in the language-neutral space
    (`matching.tagging.neutral`): the encoder's cosine put these targets behind off-subject
    texts (0.40 against 0.45-0.49)."""
    for query, (target, others) in OUTRANKED.items():
        wanted = api.recommendation(text=target)["id"]
        for other in others:
            api.recommendation(text=other)
        assert _ids(_page(client, q=query))[:1] == [wanted], query


@pytest.mark.dialects
def test_a_single_word_in_another_language_finds_the_recommendations_about_it(
    api: ApiFactory, client: TestClient
) -> None:
    # One word is far from any sentence (cosine ~0.3 with the texts about it): short queries
    # have a lower floor, so "femmes" finds the English texts on women first; after them come
    # only records tagged with a code the word names (the girls' education: `women-girls`).
    women = [
        api.recommendation(text="Eliminate discrimination against women")["id"],
        api.recommendation(text="Further pursue its efforts for the empowerment of women")["id"],
    ]
    for topic in ("education", "water", "press"):
        api.recommendation(text=ENGLISH[topic])
    for word in ("femmes", "mujeres", "妇女"):
        page = _page(client, q=word)
        assert sorted(_ids(page)[:2]) == sorted(women), word
        named = {*page["concepts"]["themes"], *page["concepts"]["groups"]}
        for item in page["items"][2:]:
            assert named & {*item["themes"], *item["groups"]}, (word, item)
    for word in ("football", "pizza"):  # unrelated words still find nothing
        assert _ids(_page(client, q=word)) == [], word


@pytest.mark.dialects
def test_a_word_no_text_holds_finds_the_recommendations_on_the_theme_it_names(
    api: ApiFactory, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Long texts score under any floor with a single word (the demo database's "femmes"): the
    # word also names themes and groups through their labels in six languages, and the
    # recommendations tagged with them follow. Nothing is found by meaning here (floor 1.0).
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)
    women = [
        api.recommendation(text=f"Adopt a comprehensive strategy ({i})", themes=[theme])["id"]
        for i, theme in enumerate(("violence-against-women", "women-participation", "torture"))
    ]
    children = api.recommendation(text="Adopt a comprehensive plan", themes=["juvenile-justice"])
    for word in ("femmes", "Mujeres", "ЖЕНЩИНЫ", "妇女"):
        page = _page(client, q=word, limit=1)
        assert page["total"] == 2, (word, page)
        assert _ids(page) == women[:1], (word, page)
        assert {"violence-against-women", "women-participation"} < {*page["concepts"]["themes"]}
        assert page["concepts"]["groups"] == ["women-girls"], page["concepts"]
        assert _ids(_page(client, q=word, after=page["next_after"])) == women[1:2], word
    assert _ids(_page(client, q="enfants")) == [children["id"]]
    assert _ids(_page(client, q="femmes", theme="women-participation")) == women[1:2]
    # A text holding the word comes alone: the concepts are only for words no text holds.
    holding = api.recommendation(text="Protect women journalists", themes=["freedom-of-expression"])
    page = _page(client, q="women")
    assert _ids(page) == [holding["id"]], page
    assert page["concepts"] is None, page
    # Words naming many codes say too little ("droits": most labels), unrelated words nothing.
    for word in ("droits", "football"):
        page = _page(client, q=word)
        assert _ids(page) == [], (word, page)
        assert page["concepts"] is None, (word, page)


def test_the_same_text_made_to_several_states_is_found_for_each(
    api: ApiFactory, client: TestClient
) -> None:
    # One vector for the three records: scored once, its score given to each of them.
    same = [
        api.recommendation(state=iso3, text=ENGLISH["torture"])["id"]
        for iso3 in ("KAZ", "UZB", "TJK")
    ]
    other = api.recommendation(state="KAZ", text=ENGLISH["water"])["id"]
    found = _ids(_page(client, q=QUERIES["torture"][1]))
    assert sorted(found[:3]) == sorted(same), found
    assert _ids(_page(client, q=QUERIES["torture"][1], state="UZB")) == [same[1]]
    assert _ids(_page(client, q=QUERIES["water"][0], state="KAZ"))[0] == other


@pytest.mark.dialects
def test_words_found_through_the_index_follow_edits_and_deletes(
    api: ApiFactory, client: TestClient
) -> None:
    rec = api.recommendation(text="Ratify the Optional Protocol to the Convention on the Rights")
    api.recommendation(text="Adopt a national action plan on human rights")
    assert rec["id"] in _ids(_page(client, q="optional PROTOCOL", after=0))
    changed = client.patch(
        f"{URL}/{rec['id']}",
        json={"text": "Abolish the death penalty", "version": rec["version"]},
        headers=api.staff,
    )
    assert changed.status_code == 200, changed.text
    assert _ids(_page(client, q="optional protocol", after=0)) == []
    assert _ids(_page(client, q="death PENALTY", after=0)) == [rec["id"]]
    # Fewer than three characters have no trigram: a plain scan, same meaning.
    assert _ids(_page(client, q="AN", after=0)) == [rec["id"] + 1]
    assert client.delete(f"{URL}/{rec['id']}", headers=api.staff).status_code == 204
    assert _ids(_page(client, q="death penalty", after=0)) == []


@pytest.mark.dialects
def test_deep_pages_by_key_and_a_capped_count(
    api: ApiFactory, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = [api.recommendation(text=f"Strengthen the judiciary ({i})")["id"] for i in range(9)]
    api.recommendation(text="Something else entirely")
    monkeypatch.setattr(search, "COUNT_CAP", 5)

    first = _page(client, q="judiciary", after=0, limit=4)
    assert (first["total"], first["total_capped"]) == (5, True)
    assert _ids(first) == wanted[:4]
    walked, after = _ids(first), first["next_after"]
    while after is not None:
        page = _page(client, q="judiciary", after=after, limit=4)
        walked += _ids(page)
        after = page["next_after"]
    assert walked == wanted

    # Offset paging gives the same rows; a count under the cap is exact.
    by_offset = _ids(_page(client, q="judiciary", offset=4, limit=4))
    assert set(by_offset) <= set(wanted)
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    everything = _page(client, state="KAZ", limit=3)
    assert (everything["total"], everything["total_capped"]) == (10, False)
    assert _ids(_page(client, state="KAZ", after=wanted[-1])) == [wanted[-1] + 1]


def _walk(client: TestClient, q: str, limit: int) -> list[int]:
    """Every id found for `q` (words only: `after=0` leaves meaning out), page by page by key."""
    page = _page(client, q=q, after=0, limit=limit)
    walked, after = _ids(page), page["next_after"]
    while after is not None:
        page = _page(client, q=q, after=after, limit=limit)
        walked += _ids(page)
        after = page["next_after"]
    return walked


def _analyze(db_url: str) -> None:
    """Statistics, so that PostgreSQL's estimate of a search's hits is not a blind guess."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE recommendations")
    engine.dispose()


@pytest.fixture(scope="module")
def women(module_api: ApiFactory, module_db_url: str) -> list[int]:
    """240 recommendations, half of them holding "women" (in any case, inside other words too),
    with statistics; the ids of that half."""
    forms = ["women", "WOMEN", "Women's rights", "superwomen", "womenfolk", "wOmEn"]
    found = []
    for i in range(240):
        text = f"Protect {forms[i // 2 % 6]} in area {i}" if i % 2 else f"Other matter {i}"
        rec = module_api.recommendation(text=text)
        if "women" in text.lower():
            found.append(rec["id"])
    _analyze(module_db_url)
    return found


@pytest.mark.dialects
@pytest.mark.parametrize("margin", [0.2, 1.5, 1000.0])
def test_a_common_word_pages_by_key_and_by_offset_as_a_plain_scan(
    women: list[int], module_client: TestClient, monkeypatch: pytest.MonkeyPatch, margin: float
) -> None:
    """On PostgreSQL the hits are read by ranges of ids: a range too narrow for the page
    (margin 0.2, the rest is read after it), about right, or the whole table."""
    client = module_client
    monkeypatch.setattr(search, "COUNT_CAP", 30)
    monkeypatch.setattr(text_search, "WINDOW_MARGIN", margin)
    # The words' pages only: every text here is about women, and the search by meaning would
    # put the closest first (a one-word query has a low floor, app.pairing.semantic).
    monkeypatch.setattr(semantic, "SHORT_QUERY_MIN_SIMILARITY", 1.0)

    first = _page(client, q="Women", after=0, limit=20)
    assert (first["total"], first["total_capped"]) == (30, True)
    assert _ids(first) == women[:20]
    assert _walk(client, "Women", 25) == women
    assert _walk(client, "wOMEN's", 7) == women[2::6]
    # Offsets within the cap and beyond it; deep pages by key.
    assert _ids(_page(client, q="women", offset=20, limit=8)) == women[20:28]
    assert _ids(_page(client, q="women", offset=40, limit=8)) == women[40:48]
    assert _ids(_page(client, q="women", after=women[70], limit=5)) == women[71:76]
    assert _ids(_page(client, q="women", after=women[-1], limit=5)) == []
    assert _ids(_page(client, q="women", after=10**6, limit=5)) == []  # past every id
    # The other filters apply within the ranges too (all 240 are KAZ's).
    assert _walk(client, "women", 9) == women
    elsewhere = _page(client, q="women", state="UZB", after=0)
    assert (_ids(elsewhere), elsewhere["total"]) == ([], 0)
    assert _ids(_page(client, q="women", state="KAZ", after=women[50], limit=4)) == women[51:55]
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    everything = _page(client, q="women", after=0, limit=3)
    assert (everything["total"], everything["total_capped"]) == (120, False)


@pytest.mark.dialects
def test_a_page_by_key_within_the_capped_count_is_read_from_its_hits(
    women: list[int], module_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages 2 to 20 of a common word: the capped count's read already holds their ids, and
    the words are read once (on PostgreSQL each read scans the trigram index)."""
    monkeypatch.setattr(search, "COUNT_CAP", 30)
    engine = create_db_engine(module_db_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with create_session_factory(engine)() as session:
        found = search.search(
            session, RecommendationFilters(q="women"), PageParams(5, 0), after=women[10]
        )
        assert [r.id for r in found.items] == women[11:16]
        assert (found.total, found.total_capped) == (30, True)
        if session.get_bind().dialect.name == "postgresql":  # restored without a read of its own
            setting = session.execute(text("SELECT current_setting('enable_seqscan')"))
            assert setting.scalar_one() == "on"
        beyond = search.search(
            session, RecommendationFilters(q="women"), PageParams(5, 0), after=women[40]
        )
        assert [r.id for r in beyond.items] == women[41:46]
    reads = [s for s in statements if ("ILIKE" in s or "MATCH" in s) and "EXPLAIN" not in s]
    assert len(reads) == 3, reads  # one for the first page, two for the one beyond the count
    assert not any("hits_1_" in s for s in reads[:1])


@pytest.mark.dialects
def test_phrases_case_accents_and_other_scripts(
    api: ApiFactory, client: TestClient, db_url: str
) -> None:
    texts = [
        "Adopt a national preventive mechanism against torture",
        "Prevent torture and set up a national mechanism",
        "Garantir l'ÉGALITÉ entre les femmes et les hommes",
        "Lutter contre les inégalités salariales",
        "确保所有儿童享有免费小学教育",
        "ضمان حرية الصحافة وحماية الصحفيين",
        "Обеспечить свободу прессы",
    ]
    ids = [api.recommendation(text=text)["id"] for text in texts]
    _analyze(db_url)
    expected = {
        "national preventive mechanism": [0],  # a phrase: the words in this order
        "NATIONAL Preventive mechanism": [0],
        "national mechanism": [1],
        "torture": [0, 1],
        "égalité": [2, 3],  # case, beyond ASCII; inside another word
        "ÉGALITÉS": [3],
        "egalite": [],  # accents count
        "免费小学": [4],
        "小学教育": [4],
        "حرية الصحافة": [5],
        "الصحافة وحماية": [5],
        "СВОБОДУ ПРЕССЫ": [6],
        "mechanism against torture and": [],
    }
    for q, found in expected.items():
        # One State's few recommendations are scanned for the words, not looked up by them
        # (`text_search.matching`, `few_rows`): the same meaning either way.
        for state in ({}, {"state": "KAZ"}):
            assert _ids(_page(client, q=q, after=0, **state)) == [ids[i] for i in found], (q, state)
    elsewhere = api.recommendation(state="UZB", text="Prevent TORTURE in prisons")["id"]
    assert _ids(_page(client, q="torture", after=0, state="KAZ")) == ids[:2]
    assert _ids(_page(client, q="Torture", after=0, state="uzb")) == [elsewhere]


@pytest.mark.dialects
def test_a_search_leaves_the_planner_settings_of_its_transaction_as_they_were(
    women: list[int], module_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL plans the search's reads without plain index scans and without parallel
    workers (their start cost more than the read); what follows in the same transaction (the
    page's relations, the rest of a web page) is planned as usual."""
    monkeypatch.setattr(search, "COUNT_CAP", 30)  # more hits than the count reads: by ranges
    engine = create_db_engine(module_db_url)
    during: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _workers(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().startswith("WITH hits_"):  # a read by ranges (text_search)
            cursor.execute("SHOW max_parallel_workers_per_gather")
            during.append(cursor.fetchone()[0])

    with create_session_factory(engine)() as session:
        found = search.search(session, RecommendationFilters(q="women"), PageParams(10, 0))
        assert [r.id for r in found.items] == women[:10]
        if session.get_bind().dialect.name == "postgresql":
            assert during, "no read by ranges"
            assert set(during) == {"0"}, during
            settings = (
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), "
                "current_setting('cpu_operator_cost'), "
                "current_setting('max_parallel_workers_per_gather')"
            )
            default = text("SELECT reset_val FROM pg_settings WHERE name = :name")
            default_workers = session.execute(
                default, {"name": "max_parallel_workers_per_gather"}
            ).scalar_one()
            restored = tuple(session.execute(text(settings)).one())
            assert restored == ("on", "on", "0.0025", default_workers)
            assert default_workers != "0"
