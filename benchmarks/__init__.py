"""Dermamap's benchmarks: ``python -m benchmarks [--quick] [--only NAME...] [--json PATH]``.

One module per area (``bench_engine``, ``bench_cli``, ``bench_startup``, ``bench_memory``,
``bench_diagram``, ``bench_open``, ``bench_autosave``), each with ``run(quick: bool) -> dict``.
The harness (:mod:`benchmarks.__main__`) runs them offscreen, prints a table of the figures
against the budgets of :data:`benchmarks.common.BUDGETS` and writes the results as JSON
(default ``benchmarks/results.json``, git-ignored). Benchmarks are not tests and do not run in
CI; ``tests/gui/test_benchmarks_smoke.py`` runs a quick pass so they keep working.
"""
