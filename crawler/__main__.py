from crawler.entry import run

run()
