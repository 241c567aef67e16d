# Two stages: the first installs the locked dependencies and the bot (a wheel, not editable)
# into a virtual environment; the second copies only that environment into a slim image.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/quizbot
WORKDIR /src
# Dependencies first, so a change to the code or the questions does not reinstall them.
# Every version and hash comes from the lock file (`make lock`): two builds of one commit match.
COPY requirements.lock ./
RUN /opt/quizbot/bin/pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY questions ./questions
COPY migrations ./migrations
# The bank and the migrations go into the package; the build uses the locked setuptools.
RUN /opt/quizbot/bin/pip install --no-deps --no-build-isolation . \
    && /opt/quizbot/bin/quizbot questions validate

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/quizbot/bin:$PATH \
    DATABASE_URL=sqlite:////data/quizbot.db
RUN useradd --create-home --uid 1000 quizbot \
    && mkdir /data && chown quizbot:quizbot /data
COPY --from=build /opt/quizbot /opt/quizbot
# SQLite lives in /data: mount a volume there (fly.toml shows how) or set DATABASE_URL to
# PostgreSQL. The process runs as quizbot, which owns /data and nothing else.
WORKDIR /data
USER quizbot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8080\")}/healthz', timeout=4)"
CMD ["quizbot", "run"]
