"""The URLs of the recorded fixtures (fixtures/manifest.json) that tests name."""

INDEPENDENT = (
    "https://www.independent.co.uk/news/world/asia/"
    "north-korea-troops-russia-ukraine-nis-b2631234.html"
)
PREMIUM = (
    "https://www.independent.co.uk/independentpremium/world/"
    "north-korea-kim-jong-un-putin-army-analysis-b2632875.html"
)
BBC = "https://www.bbc.com/news/articles/cw8l2nd4pkyo"
GUARDIAN = (
    "https://www.theguardian.com/world/2024/sep/22/"
    "timothy-snyder-putin-ukraine-war-1938-lessons-history"
)
LIVE = (
    "https://www.theguardian.com/world/live/2024/oct/18/"
    "russia-ukraine-war-live-north-korea-troops-zelenskyy"
)
BBC_2019 = "https://www.bbc.co.uk/news/world-asia-48052305"
GUARDIAN_2025 = (
    "https://www.theguardian.com/world/2025/oct/20/north-korean-troops-russia-kursk-one-year-on"
)
CONSENT = "https://www.europost.example/world/2024/10/21/north-korean-troops-kursk-deployment"
CP1252_META = (
    "http://www.pacificwire.example/news/2024/10/19/north-korea-troops-russia-white-house.html"
)
CP1252_BARE = "http://www.pacificwire.example/news/2024/10/19/zelenskyy-officers-first.html"
