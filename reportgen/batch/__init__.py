"""Batch rendering for many teams, and the portfolio summary across them.

- `inputs`: which files, what their outputs are called, collisions, shards.
- `manifest`: what each output was rendered from, so unchanged ones are skipped.
- `worker`: the long-lived worker processes (one Renderer each).
- `runner`: `run_batch(BatchOptions(...))`, the whole batch.
- `portfolio`: `team_summary`, `build_portfolio` (pure) and `read_results`.
- `progress`: the progress bar, plain lines or CI output, and the summary table.
"""

from .portfolio import build_portfolio, read_results, team_summary
from .runner import BatchOptions, BatchReport, Row, run_batch

__all__ = ["BatchOptions", "BatchReport", "Row", "build_portfolio", "read_results", "run_batch", "team_summary"]
