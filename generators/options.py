"""What `promptsales seed` asks of every generator; validated once, here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SeedOptions:
    seed: int = 42
    images: int = 100  # PC2: at least 100
    campaigns: int = 1000  # PA3: at least 1,000
    clients: int = 500_000  # CR2: at least 500,000
    # The "today" of the generated world: campaigns running on this date are active (PA3: 30%).
    reference_date: date = date(2025, 12, 15)

    def __post_init__(self) -> None:
        if self.images < 1:
            raise ValueError(f"--images must be at least 1 (got {self.images})")
        if self.campaigns < 1:
            raise ValueError(f"--campaigns must be at least 1 (got {self.campaigns})")
        if self.clients < 0:
            raise ValueError(f"--clients cannot be negative (got {self.clients})")
        if self.images > 100_000 or self.campaigns > 1_000_000 or self.clients > 50_000_000:
            raise ValueError(
                "those counts are beyond what the local stack is sized for "
                "(images <= 100,000, campaigns <= 1,000,000, clients <= 50,000,000)"
            )
