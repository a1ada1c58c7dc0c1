"""Open311 GeoReport v2: categories as services, tickets as requests, no personal data."""
