"""Names the command line needs without importing the pydantic models."""

SOURCE_KINDS: tuple[str, ...] = (
    "inspection-report",
    "accelerated-cause-of-concern",
    "revisit-letter",
    "phase-decision-letter",
    "return-letter",
    "news-release",
    "ppog-meeting",
    "web-page",
    "press-report",
)
PHASES: tuple[str, ...] = ("scan", "engage")
