"""A short fault-injection run: a few episodes over two sites keep every invariant (issue 5)."""
from deploy.chaos import run
from deploy.chaos_faults import FAULT_KINDS

INVARIANTS = {"every_event_exactly_once", "seqs_contiguous", "no_rejected_events", "ops_map_to_events_once",
              "commands_exactly_once", "inventory_matches", "all_shipped_both_sides", "no_dead_letters"}


def test_fault_episodes_over_two_sites_keep_every_invariant(tmp_path):
    summary = run(episodes=3, sites=2, seconds=8, orders=12, seed=5, workdir=tmp_path, max_outage=1.5,
                  min_faults=5)  # one bag over 3 x 5 faults: every kind at least once
    assert summary.get("failures") is None and summary["ok"], summary
    assert summary["invariants"] == {name: True for name in INVARIANTS}
    assert summary["lost"] == summary["duplicated"] == summary["phantom"] == summary["mismatches"] == 0
    assert summary["episodes"] == 3 and summary["orders"] == 3 * 12 and summary["events"] > 300
    injected = {kind for kind, n in summary["faults"].items() if n}
    assert injected == set(FAULT_KINDS), summary["faults"]
    assert summary["replayed"]["batches"] > 0
