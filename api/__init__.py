"""The REST API (/api/v1): API keys, the same use cases and permissions as the screens, JSON in and out."""
