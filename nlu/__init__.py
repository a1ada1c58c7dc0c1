"""Custom Rasa graph components for Thai (PyThaiNLP). Imported by the Rasa server only."""
