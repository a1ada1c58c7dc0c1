"""Channel integrations of the i-Dee gateway (LINE webhook, fake LINE, simulator)."""
