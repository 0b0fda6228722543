"""Identity (users, tokens, API keys), access policies, rate limits and the audit log."""
