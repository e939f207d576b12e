"""`python -m bench.serve`: a bench server (bench/apps.py), served as `main.py serve` is."""

import argparse

from app.serving import run_server


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    run_server(
        "bench.apps:served_app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        request_lines=False,
    )


if __name__ == "__main__":
    main()
