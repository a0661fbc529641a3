"""Helpers the tests share: the stack on moto, article files, comment requests."""
