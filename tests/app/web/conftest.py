"""Web page tests: a browser-like client (HTTPS, so that Secure cookies are sent) and accounts
made as `uprtc user create` makes them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db.session import create_db_engine, create_session_factory
from tests.support.web import MakeUser, user_maker


@pytest.fixture
def web(client: TestClient) -> TestClient:
    """The app's client, over HTTPS like a browser in production (Secure cookies are sent)."""
    client.base_url = httpx.URL("https://testserver")
    return client


@pytest.fixture
def make_user(settings: Settings) -> Iterator[MakeUser]:
    """make_user(role, state=..., organization_id=..., email=..., password=...) -> email."""
    engine = create_db_engine(settings.database_url)
    yield user_maker(create_session_factory(engine))
    engine.dispose()
