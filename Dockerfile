# Production image: gunicorn serves the portal; the same image runs the Celery worker and beat.

# The design system's files come from the npm registry, copied by the Makefile's own rule
# so the image serves exactly what `make run` serves.
FROM node:20-bookworm AS frontend
WORKDIR /build
COPY package.json package-lock.json Makefile ./
RUN make static/vendor/nhsuk/.built

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH
# Pango renders the quarterly reports' PDFs (WeasyPrint).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /build/static/vendor ./static/vendor
# collectstatic needs settings that load; these values exist only for this build step.
RUN PORTAL_ENV=production SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    ALLOWED_HOSTS=build EMAIL_HOST=build TRUSTED_PROXIES=127.0.0.1 \
    python manage.py collectstatic --no-input
RUN useradd --system --uid 1000 portal && mkdir -p /app/var && chown portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--forwarded-allow-ips", "127.0.0.1"]
