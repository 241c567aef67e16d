FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 quizbot

# Dependencies first, so a change to the code or the questions does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir bot && touch bot/__init__.py && pip install . && pip uninstall -y quizbot

COPY bot ./bot
COPY migrations ./migrations
COPY questions ./questions
# Editable, so `quizbot` finds migrations/ and questions/ beside the code.
RUN pip install --no-deps -e .

USER quizbot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request, os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8080\")}/healthz', timeout=4)"
CMD ["quizbot", "run"]
