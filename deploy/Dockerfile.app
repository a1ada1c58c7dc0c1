# Gateway web app, gateway workers, action server, migrations (the app venv).
FROM python:3.10-slim
WORKDIR /srv/idee
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir -r requirements/app.lock
COPY actions actions
COPY cases cases
COPY web web
COPY gateway gateway
COPY console console
COPY training training
COPY bot bot
COPY tools tools
COPY requirements requirements
ENV PYTHONPATH=/srv/idee PYTHONUNBUFFERED=1
# The command is chosen per service in docker-compose.yml.
