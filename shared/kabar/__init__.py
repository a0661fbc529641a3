"""Kabar: the common package every function shares (deployed as the Lambda layer)."""

__version__ = "0.1.0"
