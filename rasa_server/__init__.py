"""The Rasa server as i-Dee runs it: ``python -m rasa_server run ...`` takes the arguments of
``python -m rasa`` and runs Rasa in this process, after ``action_response.install()``.

Runs in the Rasa environment and imports nothing of ours. Kept out of ``nlu/`` on purpose:
a change here changes how the server runs, not what the model learns, so it must not make
the Makefile retrain the model.
"""
