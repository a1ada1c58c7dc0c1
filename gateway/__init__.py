"""LINE gateway: webhook, durable intake, the Rasa relay, outgoing messages and notifications."""
