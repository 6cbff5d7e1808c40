"""Finding the cited source when the article gives no link.

Each finder (one module each: :mod:`guardian_api`, :mod:`sitemap`, :mod:`store`)
turns a :class:`~crawler.discovery.candidates.Wanted` quotation into dated
:class:`~crawler.discovery.candidates.Candidate` sources, fetching only through
:func:`crawler.fetching.services.fetch_services`. :mod:`crawler.discovery.discover`
runs them, reads the candidates that came without text (within a page budget),
shortlists cheaply and lets the verification engine choose
(:mod:`crawler.discovery.choose`).
"""
