"""Service configuration: one pydantic-settings object, environment prefix UPRTC_."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UPRTC_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///var/uprtc.db"
    secret_key: SecretStr | None = None
    token_ttl_days: int = 365
    log_level: str = "INFO"
    log_json: bool = True  # one JSON object per log line, with the request id
    metrics_enabled: bool = True  # Prometheus metrics at /metrics
    sql_echo: bool = False
    # SQLite: a write waits this long for another writer's lock, then gets 503 with Retry-After.
    sqlite_busy_timeout_seconds: float = Field(default=5, ge=0, le=600)
    max_page_size: int = 200
    # Reads (GET, HEAD) one server process works on at once, and writes likewise; more wait in
    # line (app/core/request_lines.py). More throughput: more processes (`serve --workers`).
    concurrency: int = Field(default=2, ge=1, le=1000)
    # Request bodies larger than this are refused with 413 (JSON and forms); the staff file
    # uploads (POST /api/v1/imports/...) have their own, larger limit.
    max_body_bytes: int = Field(default=1 << 20, ge=1)  # 1 MiB
    max_upload_bytes: int = Field(default=50 << 20, ge=1)  # 50 MiB
    # Web pages (app/web): a signed-in session lasts this long; failed sign-ins allowed per
    # account and client address within a minute before further attempts are refused.
    web_session_hours: int = 8
    login_failures_per_minute: int = 5
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed: IP
    # addresses or networks, comma-separated (uvicorn's --forwarded-allow-ips); empty: none, and
    # the client address is the connection's (what the sign-in throttle counts by).
    trusted_proxies: str = ""
    # Email (app/notifications): without an SMTP host email is off, notifications stay in-app
    # and the outbox marks their emails "not sent: email is off".
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    mail_from: str = "UPR technical cooperation <noreply@localhost>"
    # Absolute links in emails start with this (the address people open the pages at).
    public_url: str = "http://127.0.0.1:8000"
    # The server's own sender looks for due emails this often; 0: only `uprtc notifications
    # send` (cron) sends them.
    mail_send_interval_seconds: float = Field(default=30, ge=0)
    mail_max_attempts: int = Field(default=10, ge=1)
    # The theme tagger's model (tagger.npz + tagger.json): unset, the one shipped in
    # matching/tagging/data/; `uprtc tagger train --output DIR` can write one here.
    tagger_model_dir: str | None = None

    @model_validator(mode="after")
    def _secret_required_outside_development(self) -> Settings:
        if self.secret_key is None:
            if self.environment == "production":
                raise ValueError("UPRTC_SECRET_KEY must be set when UPRTC_ENVIRONMENT=production")
            self.secret_key = SecretStr(_DEVELOPMENT_SECRET)
        elif self.environment == "production" and (
            self.secret_key.get_secret_value() == _DEVELOPMENT_SECRET
            or len(self.secret_key.get_secret_value()) < 32
        ):
            raise ValueError("UPRTC_SECRET_KEY must be a random string of at least 32 characters")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
