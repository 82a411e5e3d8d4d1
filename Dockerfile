# syntax=docker/dockerfile:1
# SPIN Practice: a slim image that runs as a non-root user and keeps its data in a volume.
FROM python:3.11-slim AS build
ENV UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --extra postgres --no-install-project
COPY app ./app
RUN uv sync --frozen --no-dev --extra postgres

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 spin && mkdir -p /data && chown spin /data
WORKDIR /app
COPY --from=build /app /app
COPY prompts ./prompts
COPY personas ./personas
COPY web ./web
ENV PATH="/app/.venv/bin:$PATH" \
    SPIN_DATA_DIR=/data \
    PYTHONUNBUFFERED=1
USER spin
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["spin-practice", "serve", "--host", "0.0.0.0", "--port", "8000"]
