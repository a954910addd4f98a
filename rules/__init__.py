"""Rule data, not code."""
