"""The progress of a run's jobs: events published by any process, read as they are appended, folded into the plan
into the lines the display shows; only what was observed, and the plan's worst case."""

from __future__ import annotations

from pathlib import Path

import pytest

from comprehend_contract.core.coordination import Coordination
from comprehend_contract.core.plan import Plan
from comprehend_contract.core.progress import Event, EventKind, Progress, ProgressFeed, ProgressLog, duration
from comprehend_contract.targets import Budgets

BEGAN = 1_000_000.0
WORST = 3 * 10 + 60 + 30
"""The plan's worst-case wait below: three attempts to leave SUBMITTED (10 s), one job's budget (60 s), 30 s grace."""


def plan_of(**scenarios: list[str]) -> Plan:
    names = {name for chosen in scenarios.values() for name in chosen}
    return Plan.of(
        scenarios,
        dict.fromkeys(names, (1, 3)),
        {name: ([10], [10]) for name in names},
        dict.fromkeys(scenarios, (0.0001, True)),
        Budgets(job_timeout_seconds=60, leave_submitted_seconds=10),
        attempts=3,
        quotas=dict.fromkeys(("Sentiment", "KeyPhrases", "Events"), 10),
    )


def at(seconds: float) -> float:
    return BEGAN + seconds


def status(seconds: float, drive: str, job: str, seen: str) -> Event:
    return Event(EventKind.STATUS, at(seconds), drive, job, seen)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0s"), (8.9, "8s"), (59, "59s"), (60, "1m00s"), (245, "4m05s"), (3720, "1h02m")]
)
def test_durations_read_short(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


def test_an_event_survives_its_line_and_a_cut_line_is_no_event() -> None:
    event = Event(
        EventKind.TRANSIENT, 12.5, detail="DescribeSentimentDetectionJob: HTTP 400 Throttling", throttled=True
    )
    assert Event.from_json(event.to_json()) == event
    assert Event.from_json('{"kind": "status", "at"') is None
    assert Event.from_json('{"kind": "guessed", "at": 1}') is None


def test_each_process_appends_its_own_file_and_the_feed_reads_only_complete_lines(tmp_path: Path) -> None:
    coordination = Coordination(tmp_path)
    main = ProgressLog(coordination.progress_log("gw0"), lambda: at(1))
    other = ProgressLog(coordination.progress_log("gw1"), lambda: at(2))
    feed = ProgressFeed(coordination.progress_logs)
    main.scenario_started("Sentiment/completed")
    other.status("Sentiment/failed", "job-2", "SUBMITTED")
    assert [event.kind for event in feed.read()] == [EventKind.SCENARIO_STARTED, EventKind.STATUS], "oldest first"
    assert feed.read() == [], "each event is read once"
    with coordination.progress_log("gw1").open("a", encoding="utf-8") as log:
        log.write('{"kind": "status", "at": 3, "drive": "Sentiment/failed", "job": "job-2", "sta')
    assert feed.read() == [], "a line still being written waits"
    with coordination.progress_log("gw1").open("a", encoding="utf-8") as log:
        log.write('tus": "FAILED"}\n')
    assert feed.read() == [status(3 - BEGAN, "Sentiment/failed", "job-2", "FAILED")]


def test_a_status_is_published_when_it_changes_not_at_every_poll(tmp_path: Path) -> None:
    log = ProgressLog(tmp_path / "progress-main.jsonl", lambda: at(0))
    for seen in ("SUBMITTED", "SUBMITTED", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"):
        log.status("Sentiment/completed", "job-1", seen)
    events = ProgressFeed(lambda: [tmp_path / "progress-main.jsonl"]).read()
    assert [event.status for event in events] == ["SUBMITTED", "IN_PROGRESS", "COMPLETED"]


def test_a_log_without_a_file_or_whose_directory_is_gone_keeps_nothing_and_raises_nothing(tmp_path: Path) -> None:
    ProgressLog(None, lambda: 0.0).status("Sentiment/completed", "job-1", "SUBMITTED")
    ProgressLog(tmp_path / "removed" / "progress-main.jsonl", lambda: 0.0).scenario_started("Sentiment/completed")


def test_a_plain_line_says_each_status_change_with_the_time_in_the_status_before() -> None:
    progress = Progress(plan_of(Sentiment=["completed"]), {"completed": 1}, BEGAN)
    progress.apply(Event(EventKind.SCENARIO_STARTED, at(1), "Sentiment/completed"))
    assert progress.apply(status(2, "Sentiment/completed", "job-1", "SUBMITTED")) == [
        "comprehend-contract: [2s] Sentiment/completed: job job-1 SUBMITTED"
    ]
    assert progress.apply(status(40, "Sentiment/completed", "job-1", "SUBMITTED")) == [], "not a change"
    assert progress.apply(status(74, "Sentiment/completed", "job-1", "IN_PROGRESS")) == [
        "comprehend-contract: [1m14s] Sentiment/completed: job job-1 SUBMITTED -> IN_PROGRESS after 1m12s"
    ]
    assert progress.apply(Event(EventKind.SCENARIO_ENDED, at(90), "Sentiment/completed")) == [
        "comprehend-contract: [1m30s] Sentiment/completed: scenario done (1 job(s), 1m29s)",
        "comprehend-contract: [1m30s] all 1 scenario(s) are over; 1 job(s) started",
    ]
    assert progress.finished


def test_a_scenario_that_missed_its_state_says_why() -> None:
    progress = Progress(plan_of(Sentiment=["completed", "failed"]), {}, BEGAN)
    why = "the target's jobs never left SUBMITTED within 10 s"
    assert progress.apply(Event(EventKind.SCENARIO_ENDED, at(12), "Sentiment/failed", detail=why)) == [
        f"comprehend-contract: [12s] Sentiment/failed: scenario did not reach its state: {why} (0 job(s), 0s)"
    ]
    assert not progress.finished


def test_the_live_lines_show_each_scenarios_job_status_and_time_in_it_jobs_done_and_the_time_left() -> None:
    progress = Progress(
        plan_of(Sentiment=["completed", "stop-in-progress", "failed"], Events=["completed"]),
        {"completed": 1, "stop-in-progress": 1, "failed": 1},
        BEGAN,
    )
    for event in (
        Event(EventKind.SCENARIO_STARTED, at(1), "Sentiment/completed"),
        Event(EventKind.SCENARIO_STARTED, at(1), "Sentiment/stop-in-progress"),
        Event(EventKind.SCENARIO_STARTED, at(1), "Sentiment/failed"),
        status(2, "Sentiment/completed", "job-1", "SUBMITTED"),
        status(2, "Sentiment/stop-in-progress", "job-2", "SUBMITTED"),
        status(2, "Sentiment/failed", "job-3", "SUBMITTED"),
        status(20, "Sentiment/stop-in-progress", "job-2", "IN_PROGRESS"),
        status(25, "Sentiment/stop-in-progress", "job-2", "STOP_REQUESTED"),
        status(26, "Sentiment/failed", "job-3", "FAILED"),
        Event(EventKind.SCENARIO_ENDED, at(27), "Sentiment/failed"),
        Event(
            EventKind.TRANSIENT,
            at(28),
            detail="DescribeSentimentDetectionJob: HTTP 400 ThrottlingException",
            throttled=True,
        ),
        Event(EventKind.TRANSIENT, at(29), detail="StopSentimentDetectionJob: ConnectionResetError: reset"),
    ):
        progress.apply(event)
    assert progress.live(at(31)) == [
        "comprehend-contract: 31s elapsed, at most 2m00s left (plan); scenarios 1/4 over; jobs 1 done, 2 active, "
        "1 to start",
        "  transient answers retried: 2 (1 throttling); last 2s ago: StopSentimentDetectionJob: "
        "ConnectionResetError: reset",
        "  Sentiment: completed SUBMITTED 29s, stop-in-progress STOP_REQUESTED 6s; 1 over",
        "  Events: 1 not started",
    ]
    assert progress.time_left(at(31)) == WORST, "a scenario not started yet may take the whole worst case from now"
    progress.apply(Event(EventKind.SCENARIO_STARTED, at(2), "Events/completed"))
    assert progress.time_left(at(31)) == WORST - 31 + 2, "the last to start may take the worst case from its start"


def test_types_whose_scenarios_are_in_the_same_place_share_a_line() -> None:
    progress = Progress(plan_of(Sentiment=["completed"], KeyPhrases=["completed"], Events=["completed"]), {}, BEGAN)
    for job_type, job in (("Sentiment", "a"), ("KeyPhrases", "b"), ("Events", "c")):
        progress.apply(status(5, f"{job_type}/completed", job, "SUBMITTED"))
    progress.apply(status(9, "Events/completed", "c", "IN_PROGRESS"))
    assert progress.live(at(10))[1:] == [
        "  Sentiment, KeyPhrases: completed SUBMITTED 5s",
        "  Events: completed IN_PROGRESS 1s",
    ]


def test_a_scenario_over_counts_its_jobs_done_and_a_fresh_job_is_named() -> None:
    progress = Progress(
        plan_of(Sentiment=["stop-in-progress", "isolation"]), {"stop-in-progress": 1, "isolation": 1}, BEGAN
    )
    for event in (
        status(1, "Sentiment/isolation", "iso", "SUBMITTED"),
        status(2, "Sentiment/isolation", "iso", "STOP_REQUESTED"),
        Event(EventKind.SCENARIO_ENDED, at(3), "Sentiment/isolation"),
        status(1, "Sentiment/stop-in-progress", "first", "SUBMITTED"),
        status(5, "Sentiment/stop-in-progress", "first", "COMPLETED"),
        status(6, "Sentiment/stop-in-progress", "second", "SUBMITTED"),
    ):
        progress.apply(event)
    assert progress.live(at(10)) == [
        "comprehend-contract: 10s elapsed, at most 1m51s left (plan); scenarios 1/2 over; jobs 2 done, 1 active, "
        "0 to start",
        "  Sentiment: stop-in-progress (job 2) SUBMITTED 4s; 1 over",
    ]


def test_the_summary_names_every_scenario_not_over_and_nothing_shows_once_all_are() -> None:
    progress = Progress(plan_of(Sentiment=["completed", "failed"]), {}, BEGAN)
    progress.apply(status(3, "Sentiment/completed", "job-1", "IN_PROGRESS"))
    assert progress.summary(at(33)) == (
        "comprehend-contract: [33s] 33s elapsed, at most 2m00s left (plan); scenarios 0/2 over; jobs 0 done, "
        "1 active, 1 to start; now: Sentiment/completed IN_PROGRESS 30s, 1 scenario(s) not started"
    )
    progress.apply(Event(EventKind.SCENARIO_ENDED, at(40), "Sentiment/completed"))
    progress.apply(Event(EventKind.SCENARIO_ENDED, at(41), "Sentiment/failed"))
    assert progress.live(at(42)) == []
    assert "all scenarios over" in progress.summary(at(42))


def test_events_of_scenarios_outside_the_plan_are_ignored() -> None:
    progress = Progress(plan_of(Sentiment=["completed"]), {}, BEGAN)
    assert progress.apply(status(1, "Events/completed", "job-9", "SUBMITTED")) == []
    assert progress.counts(at(2)).endswith("jobs 0 done, 0 active, 1 to start")
