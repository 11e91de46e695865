"""The search by meaning's ranking: among texts close to a query, those tagged with a theme the
tagger reads in the query come first (app/pairing/semantic.py, `_themes_first`)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy.orm import Session

from app.db.session import create_db_engine
from app.pairing import semantic
from matching.tagging.model import FloatArray, Tags
from tests.support.factories import ApiFactory


@pytest.mark.dialects
def test_texts_on_the_query_subject_come_first(api: ApiFactory, db_url: str) -> None:
    general = api.recommendation(text="Improve conditions in all places", themes=["poverty"])
    on_subject = api.recommendation(text="Improve conditions in all places.", themes=["torture"])
    query = "prévenir la torture"  # the tagger reads `torture` in it
    found = [(general["id"], 0.50), (on_subject["id"], 0.45)]
    engine = create_db_engine(db_url)
    with Session(engine) as session:
        vector = semantic._query_vector(query)
        ranked = semantic._themes_first(session, "recommendations", query, vector, found)
        assert [rec_id for rec_id, _ in ranked] == [on_subject["id"], general["id"]]
        assert dict(ranked) == dict(found)  # the similarities themselves are kept
        # a query the tagger reads no theme in keeps the order of meaning
        plain = semantic._query_vector("xyzzy")
        assert semantic._themes_first(session, "recommendations", "xyzzy", plain, found) == found
    engine.dispose()


def test_a_query_is_read_once_however_often_it_is_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tagger = semantic.current_tagger()
    reads: list[str] = []
    tag_many = tagger.tag_many

    def counted(texts: Sequence[str], embeddings: FloatArray | None = None) -> list[Tags]:
        reads.extend(texts)
        return tag_many(texts, embeddings)

    monkeypatch.setattr(tagger, "tag_many", counted)
    semantic._query_themes.cache_clear()
    query = "prévenir la torture en détention"
    vector = semantic._query_vector(query).tobytes()
    first = semantic._query_themes(tagger, query, vector)
    assert "torture" in first
    assert semantic._query_themes(tagger, query, vector) == first  # the next page: not read again
    other = "abolir la peine de mort"
    assert "death-penalty" in semantic._query_themes(
        tagger, other, semantic._query_vector(other).tobytes()
    )
    assert reads == [query, other]
