"""The annual report's known world (`tests.support.report_world`), built once per module and
backend through the API."""

from __future__ import annotations

import pytest

from tests.support.factories import ApiFactory
from tests.support.report_world import World, build


@pytest.fixture(scope="module")
def world(module_api: ApiFactory, module_db_url: str) -> World:
    return build(module_api, module_db_url)
