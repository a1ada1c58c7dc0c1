# Gateway web app, gateway workers, action server, migrations (the app venv).
# Only the run lock: no test tools in the image (requirements/app-test.lock is for developers).
FROM python:3.10-slim
WORKDIR /srv/idee
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/app.lock
COPY actions actions
COPY settings settings
COPY cases cases
COPY web web
COPY gateway gateway
COPY console console
COPY training training
COPY bot bot
ENV PYTHONPATH=/srv/idee PYTHONUNBUFFERED=1
# The command is chosen per service in docker-compose.yml.
