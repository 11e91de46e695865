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
RUN pip install . && mkdir -p var && chown uprtc:uprtc var

USER uprtc
EXPOSE 8000
CMD ["sh", "-c", "uprtc db upgrade && uprtc seed && uprtc serve --host 0.0.0.0 --port 8000 --workers ${UPRTC_WORKERS:-2}"]
