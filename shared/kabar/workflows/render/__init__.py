"""RenderFunction's work: stream changes -> a plan (:mod:`plan`) -> documents (:mod:`renderer`,
with :mod:`articles`, :mod:`comments` and :mod:`lists`) -> one CloudFront invalidation."""
