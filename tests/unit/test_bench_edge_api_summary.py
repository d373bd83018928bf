"""bench-edge_api --repeat: each figure's median over the runs, the correctness checks summed, the spread shown."""
from bench.edge_api import summarise

RUN = {"confirms_per_s": 100, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "errors": 0, "drift": 0,
       "double_applied": 0, "no_task_answers": 0}


def test_repeated_runs_report_medians_the_spread_and_every_check_that_failed_in_any_run():
    runs = [RUN, {**RUN, "confirms_per_s": 120, "p99_ms": 5.0, "errors": 1}, {**RUN, "confirms_per_s": 90, "drift": 2, "no_task_answers": 5}]
    summary = summarise(runs)
    assert summary["confirms_per_s"] == 100 and summary["p99_ms"] == 3.0 and summary["p50_ms"] == 1.0
    assert summary["confirms_per_s_range"] == [90, 120] and summary["p99_ms_range"] == [3.0, 5.0]
    checks = ("errors", "drift", "double_applied", "no_task_answers")
    assert [summary[name] for name in checks] == [1, 2, 0, 5]  # summed over the runs, never a median
    assert summary["runs"] == 3


def test_a_single_run_is_reported_as_it_is():
    assert summarise([RUN]) == RUN


def test_cpu_by_thread_name_is_a_median_per_name_counting_a_missing_name_as_idle():
    runs = [{**RUN, "server_threads_cpu_cores": {"command-writer": 0.8, "sync-BENCH": 0.1}},
            {**RUN, "server_threads_cpu_cores": {"command-writer": 0.7}},
            {**RUN, "server_threads_cpu_cores": {"command-writer": 0.9, "sync-BENCH": 0.2}}]
    assert summarise(runs)["server_threads_cpu_cores"] == {"command-writer": 0.8, "sync-BENCH": 0.1}
