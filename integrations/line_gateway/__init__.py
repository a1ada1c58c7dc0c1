"""LINE Messaging API webhook that relays conversations to the Rasa bot."""
