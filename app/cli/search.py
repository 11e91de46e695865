"""`uprtc search index`: encode every recommendation and offer for the search by meaning."""

from __future__ import annotations

import time

import typer

from app.cli.common import engine

search_cli = typer.Typer(help="The search index (search by meaning, across languages)")


@search_cli.command("index")
def index() -> None:
    """Encode the texts not encoded yet (after a large import), so that the server's search by
    meaning finds them at once; the server otherwise encodes ~1,000 a minute in the background."""
    from app.db.session import create_session_factory
    from app.pairing.semantic import SemanticIndex

    bound = engine()
    try:
        started = time.perf_counter()
        missing = SemanticIndex(create_session_factory(bound), refresh_interval=None).refresh_all()
    finally:
        bound.dispose()
    left = ", ".join(f"{kind} {n}" for kind, n in missing.items())
    typer.echo(f"search index ready in {time.perf_counter() - started:.1f} s (not encoded: {left})")


def register(cli: typer.Typer) -> None:
    cli.add_typer(search_cli, name="search")
