"""Settings with a pipeline that crashes, to test that a bug is reported, not hidden."""


class BrokenPipeline:
    def process_item(self, item: object) -> object:
        raise RuntimeError("this pipeline is broken on purpose")


ITEM_PIPELINES = {
    "tests.support.broken_settings.BrokenPipeline": 100,
    "crawler.extraction.pipeline.ExtractPipeline": 300,
}
