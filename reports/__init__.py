"""pactwatch reports: digest context, HTML/text rendering, PDF and mail."""
