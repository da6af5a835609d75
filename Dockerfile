# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's text libraries (PDF exports) and gettext for the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 handvat

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files with hashed names, and compiled translations, baked into the image.
RUN SECRET_KEY=build-only STATIC_MANIFEST=true python manage.py collectstatic --noinput --verbosity 0 \
    && SECRET_KEY=build-only python manage.py compilemessages --verbosity 0 \
    && mkdir -p /data/private \
    && chown -R handvat:handvat /app/var /data

USER handvat
ENV STATIC_MANIFEST=true \
    PRIVATE_MEDIA_ROOT=/data/private
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
