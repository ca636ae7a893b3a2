"""Force-scale benchmarks (architecture §2.7): each measured beside its raw-SQL lower bound.

`python -m benchmarks [--db sqlite|postgres|both] [--scale force|demo|tiny]` generates the demo
force, loads it into a dedicated database per engine, measures, and writes docs/benchmarks.md.
"""
