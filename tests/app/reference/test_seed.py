"""Re-running the reference seed on an existing database brings its labels up to date."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from sqlalchemy import select

from app.db.session import create_db_engine, create_session_factory
from app.reference.models import GroupOfPersons, Region, Theme
from app.reference.seed import SEED_DIR, load_reference_data


def _rewrite(path: Path, key: str, code: str, changes: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        if row[key] == code:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_reseeding_updates_the_labels_of_existing_rows(db_url: str, tmp_path: Path) -> None:
    seed_dir = tmp_path / "seed_data"
    shutil.copytree(SEED_DIR, seed_dir, ignore=shutil.ignore_patterns("upr_info"))
    # the seed files of a newer release: a changed French label, a changed Chinese one,
    # a Spanish name removed
    _rewrite(seed_dir / "themes.csv", "code", "torture", {"label_fr": "Torture (nouveau)"})
    _rewrite(seed_dir / "themes.csv", "code", "nhri", {"label_zh": "国家人权机构（新）"})
    _rewrite(seed_dir / "regions.csv", "code", "sids", {"name_es": ""})

    engine = create_db_engine(db_url)
    factory = create_session_factory(engine)
    try:
        with factory() as session:
            torture = session.get(Theme, "torture")
            assert torture is not None
            assert torture.label_fr == "Interdiction de la torture et des mauvais traitements"
            nhri = session.scalar(select(Theme).where(Theme.code == "nhri"))
            assert nhri is not None
            assert nhri.label_zh == "国家人权机构"

            load_reference_data(session, seed_dir)
            session.commit()

        with factory() as session:
            torture = session.get(Theme, "torture")
            nhri = session.get(Theme, "nhri")
            sids = session.get(Region, "sids")
            assert torture is not None
            assert nhri is not None
            assert sids is not None
            assert torture.label_fr == "Torture (nouveau)"
            assert torture.label_es == "Prohibición de la tortura y los malos tratos"
            assert nhri.label_zh == "国家人权机构（新）"
            assert nhri.label_ar == "المؤسسة الوطنية لحقوق الإنسان"
            assert sids.label_es is None
            assert sids.label("es") == "Small Island Developing States"  # falls back to English
            assert sids.label("fr") == "Petits États insulaires en développement"
            assert len(sids.countries) == 53  # memberships rebuilt, not lost
            # groups of persons carry the six labels like themes
            women = session.get(GroupOfPersons, "women-girls")
            assert women is not None
            assert women.label("ru") == "Женщины и девочки"
            assert women.label("zh") == "妇女和女童"
            assert women.label("ar") == "النساء والفتيات"
    finally:
        engine.dispose()
