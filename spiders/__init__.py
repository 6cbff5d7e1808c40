"""One Scrapy spider per outlet, and a generic one for any other site.

``SPIDER_MODULES = ["spiders"]``: Scrapy finds the spiders in the submodules
(``bbc``, ``guardian``, ``independent``, ``generic``); :mod:`spiders.registry`
maps URLs and outlet names to them.
"""
