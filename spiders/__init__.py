"""One Scrapy spider per outlet, and a generic one for any other site."""
