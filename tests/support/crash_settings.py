"""Test settings: a pipeline after the store that kills the process (SIGKILL) once
``SOURCECHECK_TEST_KILL_AFTER`` sources are stored, to prove an interrupted crawl
keeps what it finished and nothing half-written."""

import os
import signal

ITEM_PIPELINES = {
    "crawler.extraction.pipeline.ExtractPipeline": 300,
    "tests.support.crash_settings.KillAfter": 900,  # after the store pipeline (400)
}


class KillAfter:
    stored = 0

    def process_item(self, item):
        KillAfter.stored += 1
        if KillAfter.stored >= int(os.environ.get("SOURCECHECK_TEST_KILL_AFTER", "1")):
            os.kill(os.getpid(), signal.SIGKILL)
        return item
