from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, utcnow


class TextEmbedding(Base):
    """A cache of sentence embeddings, keyed by a hash of the encoder and the text.

    Encoding costs about 3 ms a text on the CPU; descriptions rarely change between matching
    runs, so each text is encoded once. Rows are never updated: a changed text has a new key.
    """

    __tablename__ = "text_embeddings"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
