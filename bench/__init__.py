"""`make bench`: real uvicorn servers on loopback, driven by wrk; see docs/BENCHMARKS.md."""
