"""`make bench`'s website assistant benchmark (bench/assistant.py) at a tiny size: its clinic
is made through the same services as a real one, every timed turn really runs and is stored,
and the figures it reports are all there and sane. No timing is asserted."""

from __future__ import annotations

from bench import assistant


def test_the_in_process_benchmark_runs_and_reports_sane_figures(db: None) -> None:
    data = assistant.make_clinic(items=20)
    assert data["knowledge_items"] == 20
    assert data["docs"] == 20  # every item active, each treatment imported once

    result = assistant.in_process(data, turns=20)

    assert result["turns"] == 20 and sum(result["kinds"].values()) == 20
    for key in ("baseline", "pipeline", "engine", "engine_loaded"):
        x = result[key]
        assert x["count"] == (200 if key == "baseline" else 20), key
        assert x["max_ms"] >= x["p95_ms"] >= x["p50_ms"] > 0, (key, x)
        assert x["per_second"] > 0, key
    for key in ("pipeline", "engine", "engine_loaded"):
        assert result[key]["ratio_to_baseline"] > 0, key
    # Warm-up and timed turns, each a visitor's message and the assistant's answer.
    ran = result["warm_turns"] + result["turns"]
    assert result["stored_turns"] == {"visitor": ran, "assistant": ran}
    assert 0 < result["stopped_by_guardrails"] < ran
    assert sum(result["intents"].values()) == ran


def test_the_report_section_renders_and_replaces_its_engines_old_one() -> None:
    timing = {
        "count": 600,
        "p50_ms": 20.0,
        "p95_ms": 35.0,
        "max_ms": 60.0,
        "mean_ms": 22.0,
        "per_second": 45.0,
    }
    result = {
        "engine": "sqlite",
        "engine_version": "3.46.1",
        "measured_at": "2026-11-27 16:40",
        "cpus": 2,
        "knowledge_items": 500,
        "treatments": 60,
        "docs": 500,
        "in_process": {
            "turns": 600,
            "warm_turns": 20,
            "message_set": 300,
            "kinds": {"pricing": 600},
            "baseline": {**timing, "p50_ms": 0.5, "per_second": 1800.0},
            "pipeline": {**timing, "ratio_to_baseline": 0.025},
            "engine": {**timing, "ratio_to_baseline": 0.05},
            "engine_loaded": {**timing, "ratio_to_baseline": 0.1},
            "stored_turns": {"visitor": 620, "assistant": 620},
            "stopped_by_guardrails": 90,
        },
    }
    text = assistant.markdown(result)
    assert text.startswith("## Website assistant on SQLite 3.46.1\n")
    assert "Measured 2026-11-27 16:40 (Europe/London) on 2 cores" in text
    assert "| 600 | 20.0 | 35.0 | 60.0 | 45.0 | 0.025 |" in text

    doc = "# Benchmarks\n\n## SQLite\n\nold\n\n## Website assistant on SQLite 3.40.0\n\nold "
    doc += "figures\n\n## Website assistant on PostgreSQL 15\n\nkept\n\n## Where the time goes\n"
    spliced = assistant.splice(doc, [text])
    assert "old figures" not in spliced and "| 600 | 20.0 |" in spliced
    assert spliced.index("## SQLite") < spliced.index("## Website") < spliced.index("## Where")
    assert spliced.count("## Website assistant on SQLite") == 1
    assert "on PostgreSQL 15\n\nkept" in spliced  # an engine not run this time stays
    assert assistant.splice("# Benchmarks\n\nintro", [text]).count("## Website") == 1
