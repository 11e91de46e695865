# Production image: non-root user; runs migrations, then serves with uvicorn.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    UPRTC_ENVIRONMENT=production

# Fonts for Arabic and Chinese in the annual report's PDF and charts (nothing is downloaded at
# run time; app/reports/fonts.py finds them here).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/uprtc
RUN useradd --system --create-home --home-dir /home/uprtc uprtc

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY matching ./matching
COPY migrations ./migrations
COPY seed_data ./seed_data
# The tagger's gold sets: `uprtc tagger train` learns from them and reports on their test part.
COPY benchmarks/data ./benchmarks/data
# Installed in place (-e): the service reads alembic.ini, migrations/ and seed_data/ beside its
# code, which a plain install would leave behind. var/ is the one folder the service writes.
RUN pip install -e . && mkdir -p var/tagger && chown -R uprtc:uprtc var

# A retrained tagger (`uprtc tagger train`) is written here; while it is empty, the shipped
# models are used.
ENV UPRTC_TAGGER_MODEL_DIR=/srv/uprtc/var/tagger

USER uprtc
EXPOSE 8000
CMD ["sh", "-c", "uprtc db upgrade && uprtc seed && uprtc serve --host 0.0.0.0 --port 8000 --workers ${UPRTC_WORKERS:-2}"]
