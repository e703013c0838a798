"""The property checks on the whole upstream OpenAI API (with the fixes overlay) and on each shared
real-world spec that generates (read in place from ../shared/; one that does not generate is skipped
and counted). Slow (about half an hour on 2 cores): marked `full`, run by `make test-properties`,
not by `make test`."""

from __future__ import annotations

import pytest

from tests.support.properties import Budget
from tests.support.properties_run import default_targets, run

pytestmark = pytest.mark.full


def test_every_shared_spec_that_generates_accepts_exactly_what_it_allows() -> None:
    targets = default_targets()
    if not targets:
        pytest.skip("../shared/specs and ../shared/realworld are not there")
    reports, not_generated = run(targets, Budget(examples=10, seconds=1.0))
    print(f"{len(reports)} specs checked; {len(not_generated)} did not generate (skipped):")
    print("\n".join(f"  {line}" for line in not_generated))
    failures = [line[:600] for report in reports for line in report.failures()]
    assert not failures, "\n".join(failures)
