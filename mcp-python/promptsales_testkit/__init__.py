"""What the tests and benchmarks share, kept apart from the runtime package `promptsales`.

Throwaway worlds on the local stack (`isolated_world`, `etl_world.isolated_etl`), synthetic sources
(`etl_sample`, `sales_synthetic`), the T-SQL/stand-in drift check the tests run (`standin_drift`), the
sales benchmarks' workload, the judged retrieval queries and the fake OpenAI, Canva and OAuth servers.
Nothing here runs in production: no module under `promptsales` may import this package
(tests/test_layout.py checks it), so the runtime never depends on test data.
"""

from promptsales_testkit.world import isolated_world, process_env

__all__ = ["isolated_world", "process_env"]
