"""The officer console: JSON API under /api/, Open311 under /open311/v2/, Thai pages under /console/."""
