"""The judged queries (judged_queries.json) and the figures computed from them, shared by the retrieval test
and `promptsales bench content_get`: recall@5 and MRR on the queries whose subject is in the collection, and
how well "no good match" separates the absent subjects from the present ones."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

JUDGED = resources.files("promptsales_testkit") / "judged_queries.json"
K = 5


def judged_queries(split: str | None = None) -> list[dict]:
    queries = json.loads(JUDGED.read_text())["queries"]
    return [q for q in queries if split in (None, q["split"])]


@dataclass(frozen=True)
class Figures:
    queries: int
    recall_at_5: float  # present subjects; an answer of "no good match" finds nothing
    mrr: float
    no_match_precision: float  # of the answers "no good match", the share whose subject is really absent
    absent_flagged: float  # of the absent subjects, the share answered "no good match"

    def line(self) -> str:
        return (
            f"recall@5 {self.recall_at_5:.3f}  MRR {self.mrr:.3f}  no-match precision "
            f"{self.no_match_precision:.3f}  absent flagged {self.absent_flagged:.3f}  ({self.queries} queries)"
        )


def figures(queries: list[dict], answers: list[list[str] | None]) -> Figures:
    """`answers[i]`: the ranked codes for queries[i], or None when the answer was "no good match"."""
    recalls, reciprocal, flagged_absent, flagged, absent = [], [], 0, 0, 0
    for query, ranked in zip(queries, answers):
        relevant = set(query["relevant"])
        flagged += ranked is None
        if not relevant:
            absent += 1
            flagged_absent += ranked is None
            continue
        ranked = ranked or []
        recalls.append(len(relevant & set(ranked[:K])) / min(len(relevant), K))
        reciprocal.append(next((1 / i for i, code in enumerate(ranked, start=1) if code in relevant), 0.0))
    return Figures(
        len(queries),
        sum(recalls) / len(recalls),
        sum(reciprocal) / len(reciprocal),
        flagged_absent / flagged if flagged else 0.0,
        flagged_absent / absent if absent else 0.0,
    )
