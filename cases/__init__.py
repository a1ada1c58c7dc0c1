"""i-Dee case database: taxonomy, routing, tickets and their audit trail.

Shared by the action server and the web app; never imported by Rasa.
"""
