"""`uprtc search index`: every recommendation and offer encoded ahead of the first search."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select

from app.pairing.models import TextEmbedding
from tests.support.cli import uprtc
from tests.support.factories import ApiFactory


def test_search_index_encodes_every_text_once(db_url: str, api: ApiFactory) -> None:
    api.recommendation(text="Abolish the death penalty")
    api.recommendation(text="Guarantee free primary education")
    api.offer(title="Training of judges", description="On fair trial guarantees")

    first = uprtc("search", "index", db_url=db_url)
    assert first.returncode == 0, first.stderr
    assert "not encoded: recommendations 0, offers 0" in first.stdout
    engine = create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(TextEmbedding))
    assert stored == 3
    again = uprtc("search", "index", db_url=db_url)
    assert again.returncode == 0
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(TextEmbedding)) == stored
    engine.dispose()
