"""rasa-sdk action server of i-Dee: one module per concern.

Run with ``rasa_sdk --actions actions``; every module of this package is loaded.
"""

from cases.log_masking import install_log_masking

install_log_masking()  # personal data never in the action server's log lines
