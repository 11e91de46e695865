"""The Alembic configuration of this project, for a database URL (or the configured one)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from app.config import get_settings

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config
