"""`uprtc tagger train`: retrain the theme taggers (the requests and the recommendations
profiles) from the shipped data plus what staff confirmed or corrected, and report micro-F1 on
the gold test part before and after."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import _, fail, session_scope

if TYPE_CHECKING:
    from matching.tagging.training import Report

tagger_cli = typer.Typer(
    help="The theme tagger (themes and groups of persons)", no_args_is_help=True
)


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def _table(before: Report, after: Report) -> list[str]:
    lines = [
        _("gold test part, micro-F1 before -> after (never used for training or calibration):"),
        f"{'':8}{_('themes'):>22}{_('groups'):>22}",
    ]
    after_groups = after.groups or {}
    for lang, theirs in after.themes.items():
        mine = before.themes.get(lang)
        b_t = f"{mine.micro_f1:.3f}" if mine is not None else "  -  "
        b_g_scores = (before.groups or {}).get(lang)
        b_g = f"{b_g_scores.micro_f1:.3f}" if b_g_scores is not None else "  -  "
        a_g_scores = after_groups.get(lang)
        a_g = f"{a_g_scores.micro_f1:.3f}" if a_g_scores is not None else "  -  "
        lines.append(f"  {lang:6}{b_t:>12} -> {theirs.micro_f1:.3f}{b_g:>12} -> {a_g}")
    return lines


def train(
    output: Annotated[
        Path | None,
        typer.Option(
            help="Directory to write the requests model (tagger.npz, tagger.json) to, and the "
            "recommendations model to its recommendations/ folder; default: where the service "
            "loads its models (UPRTC_TAGGER_MODEL_DIR, or the shipped matching/tagging/data)",
            file_okay=False,
        ),
    ] = None,
    corrections: Annotated[
        bool,
        typer.Option(help="Learn from the recommendations staff confirmed or corrected"),
    ] = True,
    small: Annotated[
        bool,
        typer.Option(
            help="A quick model for trying the command out (English definitions only, few "
            "iterations, no lexical part); never for the service"
        ),
    ] = False,
    cache: Annotated[
        Path | None,
        typer.Option(help="Embedding cache (npz); default var/tagger_embeddings.npz"),
    ] = None,
) -> None:
    """Retrain both taggers (requests; recommendations, in the output's `recommendations/`
    folder) from the shipped definitions and gold train parts plus the staff's confirmed
    corrections; print micro-F1 on the gold test part before and after, for each."""
    from app.core.tagger import current_tagger, tagger_directory
    from app.recommendations import repository
    from matching.tagging import PROFILES
    from matching.tagging.model import profile_folder
    from matching.tagging.training import (
        ROOT,
        DataPaths,
        EmbeddingCache,
        LabelledExample,
        TrainingConfig,
        evaluate,
        profile_config,
    )
    from matching.tagging.training import train as fit

    missing = DataPaths().missing()
    if missing:
        fail(
            _(
                "the tagger's training data is not here (%(path)s): run the command in the "
                "project's folder, where seed_data/ and benchmarks/data/ are"
            )
            % {"path": missing[0]}
        )
    target = output or tagger_directory() or ROOT / "matching" / "tagging" / "data"
    cache_path = cache or ROOT / "var" / "tagger_embeddings.npz"
    extra: list[LabelledExample] = []
    if corrections:
        with session_scope() as session:
            rows = repository.reviewed_examples(session)
        extra = [
            LabelledExample(text, language, tuple(themes), tuple(groups))
            for text, language, themes, groups in rows
        ]
    typer.echo(
        _("tagger: %(count)s staff-reviewed recommendations as training examples")
        % {"count": len(extra)}
    )
    base = (
        TrainingConfig(languages=("en",), max_iter=60, lexical_max_features=0)
        if small
        else TrainingConfig()
    )
    # Every profile's model before any is written: a folder holding only the new requests
    # model would otherwise serve as the recommendations model "before".
    currents = {profile: current_tagger(profile) for profile in PROFILES}
    for profile in PROFILES:
        current = currents[profile]
        embeddings = EmbeddingCache(cache_path, _log)
        before = evaluate(current, "test", embeddings=embeddings)
        embeddings.save()  # before training, which reads and extends the same cache
        try:
            model = fit(extra, config=profile_config(profile, base), cache=cache_path, log=_log)
        except ValueError as error:  # e.g. a code the shipped vocabulary does not know
            fail(str(error))
        after = evaluate(model.tagger(), "test", embeddings=EmbeddingCache(cache_path, _log))
        written = profile_folder(target, profile)
        sizes = model.save(written)
        typer.echo(_("%(profile)s model:") % {"profile": profile})
        for line in _table(before, after):
            typer.echo(line)
        files = ", ".join(
            _("%(file)s %(size)s bytes") % {"file": name, "size": f"{size:,}"}
            for name, size in sizes.items()
        )
        typer.echo(
            _("model %(new)s (was %(old)s) written to %(folder)s (%(files)s)")
            % {
                "new": model.model_version,
                "old": current.model_version,
                "folder": written,
                "files": files,
            }
        )
    typer.echo(_("restart the service to load the models"))


def register(cli: typer.Typer) -> None:
    tagger_cli.command()(train)
    cli.add_typer(tagger_cli, name="tagger")
