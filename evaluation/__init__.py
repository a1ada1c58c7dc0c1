"""Held-out evaluation of the i-Dee NLU: metrics (pure functions), the TF-IDF baseline,
routing through ``cases.routing`` and the report. Runs in the Rasa environment:

    make evaluate NLU=tests/nlu/heldout.yml
"""
