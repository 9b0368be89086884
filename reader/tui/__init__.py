"""The Textual app. Nothing outside this package imports it (except the CLI, lazily)."""
