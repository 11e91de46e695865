"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session, sessionmaker

from app.activities.router import router as activities_router
from app.assistance_requests.router import router as requests_router
from app.audit.router import router as audit_router
from app.auth.dependencies import authorization_header_checked
from app.auth.router import router as auth_router
from app.config import Settings, get_settings
from app.core import heap
from app.core.api_docs import install_api_docs
from app.core.errors import install_error_handlers
from app.core.limits import BodyLimit, BodySizeLimitMiddleware
from app.core.observability import Metrics, ObservabilityMiddleware, configure_logging
from app.core.observability import router as metrics_router
from app.core.request_lines import RequestLinesMiddleware
from app.db.session import create_db_engine, create_session_factory
from app.health.router import router as health_router
from app.imports.router import router as imports_router
from app.matches.router import ranked_router as ranked_matches_router
from app.matches.router import router as matches_router
from app.notifications.router import router as notifications_router
from app.notifications.sender import BackgroundSender, MailConfig
from app.offers.router import router as offers_router
from app.organizations.router import router as organizations_router
from app.pairing.router import router as matching_router
from app.pairing.semantic import REFRESH_SECONDS, SemanticIndex
from app.recommendations.router import router as recommendations_router
from app.reference.router import router as reference_router
from app.reports.router import router as reports_router
from app.web import install_web

API_PREFIX = "/api/v1"
# The staff file uploads: a larger body limit, and no place in the request lines (an import
# tags thousands of texts).
UPLOAD_PREFIXES = (f"{API_PREFIX}/imports/", "/staff/imports/")


def _start_mail_sender(
    settings: Settings, session_factory: sessionmaker[Session]
) -> BackgroundSender | None:
    """Each server process sends the outbox's due emails in a thread of its own (senders claim
    each email, so several workers never send one twice); UPRTC_MAIL_SEND_INTERVAL_SECONDS=0
    leaves it to `uprtc notifications send`."""
    if not settings.mail_send_interval_seconds:
        return None
    sender = BackgroundSender(
        session_factory, MailConfig.from_settings(settings), settings.mail_send_interval_seconds
    )
    sender.start()
    return sender


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = create_db_engine(
        settings.database_url,
        echo=settings.sql_echo,
        busy_timeout_seconds=settings.sqlite_busy_timeout_seconds,
    )

    session_factory = create_session_factory(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sender = _start_mail_sender(settings, session_factory)
        # What start-up built lives as long as the process: out of the collector's sight, a
        # full collection no longer walks it (it cost ~110 ms every ~16 search pages).
        heap.settle()
        yield
        semantic.stop()
        if sender is not None:
            sender.stop()
        engine.dispose()

    app = FastAPI(
        title="UPR technical cooperation repository",
        version="0.1.0",
        description=(
            "Repository of technical cooperation for implementing accepted UPR recommendations, "
            "with a matching function (Human Rights Council resolution 54/28)."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory
    semantic = SemanticIndex(
        session_factory,
        refresh_interval=None if settings.environment == "test" else REFRESH_SECONDS,
    )
    app.state.semantic_search = semantic  # search by meaning (app/core/semantic.py)
    install_error_handlers(app)
    configure_logging(settings.log_level, json_logs=settings.log_json)
    app.state.metrics = Metrics()
    app.add_middleware(  # inside the observability middleware: a 413 is logged and counted
        BodySizeLimitMiddleware,
        default=BodyLimit(settings.max_body_bytes, "UPRTC_MAX_BODY_BYTES"),
        upload=BodyLimit(settings.max_upload_bytes, "UPRTC_MAX_UPLOAD_BYTES"),
        upload_prefixes=UPLOAD_PREFIXES,
    )
    # Inside the observability middleware: the time a request waits in line is logged with it.
    app.add_middleware(
        RequestLinesMiddleware, limit=settings.concurrency, exempt_prefixes=UPLOAD_PREFIXES
    )
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics)
    app.add_middleware(heap.HeapSettleMiddleware)
    if settings.metrics_enabled:
        app.include_router(metrics_router)

    for router in (
        health_router,
        auth_router,
        reference_router,
        organizations_router,
        recommendations_router,
        requests_router,
        offers_router,
        matches_router,
        ranked_matches_router,
        matching_router,
        activities_router,
        audit_router,
        notifications_router,
        imports_router,
        reports_router,
    ):
        app.include_router(
            router, prefix=API_PREFIX, dependencies=[Depends(authorization_header_checked)]
        )
    install_api_docs(app)
    install_web(app, settings)  # the web pages (app/web), after the API
    return app
