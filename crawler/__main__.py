from crawler.entry import run

if __name__ == "__main__":  # not in the extraction pool's spawned children
    run()
