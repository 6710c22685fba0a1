"""Baseline programs the start-up benchmarks compare the app against (run as scripts)."""
