"""For scrapyd-deploy, which builds the Scrapyd egg with ``python setup.py bdist_egg``
(and would otherwise write a setup.py of its own that packages every folder, tests
included). Everything is declared in pyproject.toml: the three packages verify,
spiders and crawler, and the ``scrapy: settings = crawler.settings`` entry point."""

from setuptools import setup

setup()
