"""rasa-sdk action server of i-Dee: one module per concern.

Run with ``rasa_sdk --actions actions``; every module of this package is loaded.
"""
