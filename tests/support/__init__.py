"""Test helpers that are not fixtures (the golden snapshot: :mod:`tests.support.golden`)."""
