"""i-Dee case database: taxonomy, routing, tickets and their audit trail.

Shared by the action server and the integrations; never imported by Rasa.
"""
