"""Where an offer can help: countries, regions and groups, or everywhere."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Coverage:
    """An offer's coverage: ISO3 country codes, region or group codes, or global."""

    is_global: bool = False
    countries: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)


Memberships = Mapping[str, frozenset[str]]
"""Country ISO3 -> the codes of every region and group it belongs to (M49 region, sub-region
and intermediate region, Human Rights Council regional group, LDC / LLDC / SIDS)."""


def covers(coverage: Coverage, country: str, memberships: Memberships) -> bool:
    """Does the offer cover this country? By name, through a region or group, or globally."""
    if coverage.is_global or country in coverage.countries:
        return True
    return not coverage.regions.isdisjoint(memberships.get(country, frozenset()))


def covering_regions(coverage: Coverage, country: str, memberships: Memberships) -> frozenset[str]:
    """The offer's regions and groups that contain the country (for explanations)."""
    return coverage.regions & memberships.get(country, frozenset())
