"""The Slack adapter: slack-bolt's AsyncApp translating Slack into service calls."""
