"""Workflows: what each function does, over narrow store protocols; no events, no environment."""
