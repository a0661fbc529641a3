"""Helpers the tests share: the stack on moto, article files, comment requests, the golden
snapshot of publishing examples/ (:mod:`tests.support.golden`)."""
