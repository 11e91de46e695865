"""The annual report's tables, one function each, from the year's records (`app.reports.scope`).

- `recommendations`, `coverage`, `unmet_demand`: `recommendations.py`;
- `by_status`, `by_region`, `by_theme`, `by_provider_type`, `time_to_agreement`: `cooperation.py`;
- `duplication`, `duplication_details`: `duplication.py`;
- `published_requests`, `published_activities`: `published.py`;
- `summary`, the key figures: `app.reports.narrative`.
"""

TABLE_NAMES = (
    "summary",
    "recommendations",
    "coverage",
    "by_status",
    "by_region",
    "by_theme",
    "by_provider_type",
    "time_to_agreement",
    "unmet_demand",
    "duplication",
    "duplication_details",
    "published_requests",
    "published_activities",
)
"""The report's tables, in order (sheets of the XLSX, files of the CSV ZIP)."""
