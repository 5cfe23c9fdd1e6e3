"""The issuer: organizations and their settings."""
