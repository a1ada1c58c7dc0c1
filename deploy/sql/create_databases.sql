-- Run by the postgres container on first start (docker-entrypoint-initdb.d).
CREATE DATABASE idee;
CREATE DATABASE rasa_tracker;
