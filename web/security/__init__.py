"""Security of the web app: rate limits, body size limits, security headers, log masking,
and the production checks that refuse default secrets. See docs/security.md."""
