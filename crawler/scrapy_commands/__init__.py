"""Scrapy commands of this project (``COMMANDS_MODULE``): ``scrapy crawl`` with its
spider arguments checked before Scrapy starts (one clear line instead of a traceback)."""
