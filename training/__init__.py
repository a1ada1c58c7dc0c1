"""The trainers' loop: versioned models, the compare gate, hot swap, data hygiene, export.

Stdlib-only modules (versioning, check_data's pure parts, the gate) run in either venv;
anything that loads a Rasa model runs in the Rasa venv through a subprocess.
"""
