"""`uprtc notifications send` (cron, or tests: deliver the emails due now) and `uprtc
notifications digest` (cron, weekly: queue each user's digest of what has waited too long)."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import engine, session_scope
from app.config import get_settings
from app.db.base import utcnow
from app.db.session import create_session_factory
from app.digest.service import Thresholds, queue_digests
from app.notifications.sender import MailConfig, send_due

notifications_cli = typer.Typer(help="Notifications and their emails", no_args_is_help=True)
_DEFAULTS = Thresholds()


@notifications_cli.command("send")
def send(
    limit: Annotated[
        int | None, typer.Option(min=1, help="Send at most this many (default: all due)")
    ] = None,
) -> None:
    """Send the emails due now (the server also sends them itself, every
    UPRTC_MAIL_SEND_INTERVAL_SECONDS); failures wait and are retried later."""
    bound = engine()
    try:
        report = send_due(
            create_session_factory(bound), MailConfig.from_settings(get_settings()), limit=limit
        )
    finally:
        bound.dispose()
    typer.echo(f"emails: {report}")


@notifications_cli.command("digest")
def digest(
    answer_days: Annotated[
        int, typer.Option(min=1, help="A proposal waits too long for an answer after")
    ] = _DEFAULTS.answer_days,
    request_days: Annotated[
        int, typer.Option(min=1, help="An open request without suggestions, unchanged for")
    ] = _DEFAULTS.request_days,
    activity_days: Annotated[
        int, typer.Option(min=1, help="A planned or ongoing activity not updated for")
    ] = _DEFAULTS.activity_days,
) -> None:
    """Queue this week's digest for each user who has something waiting (weekly, from cron;
    again in the same week: nothing new). Its emails go with the next `send`."""
    thresholds = Thresholds(answer_days, request_days, activity_days)
    with session_scope() as session:
        queued = queue_digests(session, utcnow(), thresholds)
    typer.echo(f"digests queued: {queued}")


def register(cli: typer.Typer) -> None:
    cli.add_typer(notifications_cli, name="notifications")
