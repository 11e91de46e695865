"""`uprtc match`: a matching run from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import SYSTEM_MATCHER, session_scope


def match(
    top_k: Annotated[int, typer.Option(min=1, max=50, help="Suggestions kept per request")] = 10,
) -> None:
    """Run matching: score open requests against active offers, store suggestions for review."""
    from app.pairing.schemas import MatchingRunCreate
    from app.pairing.service import run

    with session_scope() as session:
        summary = run(session, SYSTEM_MATCHER, MatchingRunCreate(top_k=top_k))
    typer.echo(
        f"matching: {summary.requests} open requests x {summary.offers} active offers -> "
        f"{summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
        f"{summary.removed} removed suggestions; {len(summary.without_suggestion)} requests "
        f"without a suitable offer ({summary.seconds:.1f} s)",
        err=True,
    )


def register(cli: typer.Typer) -> None:
    cli.command()(match)
