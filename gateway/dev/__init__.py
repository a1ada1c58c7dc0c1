"""Development stand-ins for LINE: a fake Messaging API and the chat simulator."""
