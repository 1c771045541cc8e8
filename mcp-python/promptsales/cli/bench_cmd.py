"""`promptsales bench NAME`: run a benchmark script from bench/ (each prints its measured figures)."""

from __future__ import annotations

import argparse
import runpy
import sys

from promptsales.errors import NotFound
from promptsales.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "bench"


def available() -> list[str]:
    return sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.name.startswith("_"))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="run a benchmark from bench/ and print its figures")
    parser.add_argument("name", help="benchmark name (a file bench/NAME.py); 'list' shows them")
    parser.add_argument("bench_args", nargs=argparse.REMAINDER, help="arguments passed to the benchmark")
    parser.set_defaults(handler=_bench)


def _bench(args: argparse.Namespace) -> int:
    names = available()
    if args.name == "list":
        print("\n".join(names) or "no benchmarks in bench/")
        return 0
    if args.name not in names:
        raise NotFound(f"no benchmark named {args.name!r}; available: {', '.join(names) or 'none'}")
    sys.argv = [str(BENCH_DIR / f"{args.name}.py"), *args.bench_args]
    runpy.run_path(sys.argv[0], run_name="__main__")
    return 0
