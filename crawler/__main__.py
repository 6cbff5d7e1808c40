import sys

from crawler.cli import main

if __name__ == "__main__":  # not in the extraction pool's spawned children
    sys.exit(main())
