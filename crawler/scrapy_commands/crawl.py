"""``scrapy crawl``: Scrapy's own command, with an outlet spider's ``-a url=`` checked first.

Without this, a missing ``-a url=`` surfaces as a traceback from inside the event
loop (the spider is built there), and a bad URL only as an item. Scrapy lets a
project replace a built-in command through ``COMMANDS_MODULE``; this one subclasses
the built-in and only adds the check.
"""

from __future__ import annotations

import argparse
import re
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.errors import EXIT_INPUT


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        problem = self._problem(args, opts.spargs) if len(args) == 1 else None
        if problem is not None:
            print(f"scrapy crawl {args[0]}: {problem}", file=sys.stderr)
            self.exitcode = EXIT_INPUT
            return
        super().run(args, opts)

    def _problem(self, args: list[str], spargs: dict[str, str]) -> str | None:
        from spiders.base import ArticleSpider

        assert self.crawler_process
        try:
            spidercls = self.crawler_process.spider_loader.load(args[0])
        except KeyError:
            return None  # Scrapy's own "Spider not found" says it well
        if not issubclass(spidercls, ArticleSpider):
            return None
        urls = [spargs["url"]] if spargs.get("url") else []
        urls += [u for u in re.split(r"[\s,]+", spargs.get("urls") or "") if u]
        if not urls:
            return "needs the page to fetch: -a url=https://... (or -a urls=URL,URL)"
        for url in urls:
            if (why := spidercls.url_problem(url)) is not None:
                return f"invalid_url: {why}"
        return None
