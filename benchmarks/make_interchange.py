"""Write synthetic reports as interchange format v1 (JSON Lines) and say how long it took.

The file is the input of the import benchmark and a realistic exchange file to try an installation with:

    python benchmarks/make_interchange.py /tmp/reports.jsonl --count 100000 --seed 1
    python benchmarks/make_interchange.py demo/reports.jsonl --count 2000 --evidence

With ``--evidence`` about one report in ten gets small evidence files, written beside the output file under
``evidence/<ref>/`` (the paths in the records are relative to the file's directory, as the format requires).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bordermonitor.demo.synthetic import synthetic_reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path, help="the JSON Lines file to write (replaced if it exists)")
    parser.add_argument("--count", type=int, default=100_000, help="reports to write (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same file (default 1)")
    parser.add_argument("--evidence", action="store_true", help="also write evidence files beside the output")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error(f"--count is {args.count}; it must be 0 or more")

    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    evidence_dir = output.resolve().parent if args.evidence else None
    started = time.perf_counter()
    records = synthetic_reports(count=args.count, seed=args.seed, evidence_dir=evidence_dir)
    first = next(records, None)  # the first record also builds the generator's tables
    setup = time.perf_counter() - started
    generating = 0.0
    with output.open("w", encoding="utf-8") as handle:
        record = first
        while record is not None:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            before = time.perf_counter()
            record = next(records, None)
            generating += time.perf_counter() - before
    total = time.perf_counter() - started

    size = output.stat().st_size
    print(f"wrote {args.count} reports to {output} ({size / 1e6:.1f} MB) in {total:.2f} s")
    if args.count > 1:
        rate = (args.count - 1) / generating if generating > 0 else float("inf")
        print(f"  tables and first record: {setup:.2f} s")
        print(f"  generating the other {args.count - 1}: {generating:.2f} s ({rate:,.0f} records/s)")
        print(f"  json.dumps and writing: {total - setup - generating:.2f} s")
        print(f"  overall: {args.count / total:,.0f} records/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
