"""Group-robot notifications (企业微信 / 钉钉 webhooks) through an outbox table."""
