"""Webhooks: endpoints per organization with a secret and chosen events; signed deliveries retried with backoff."""
