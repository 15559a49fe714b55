"""The steps of bench/validation.py one by one on a store that is kept, with every timing
printed: `oxigraph load` and `kg load` of the same files, then new 10k-triple sources and
authorised updates of 6 triples, each repeated (their spread, not one number).

    .venv/bin/kg synth --triples 10000000 -o var/bench/syn-10m.nq
    .venv/bin/python bench/validation_steps.py --data var/bench/syn-10m.nq \\
        --store var/bench/store-10m --sources 2 --updates 20
    .venv/bin/python bench/validation_steps.py --store var/bench/store-10m --existing

Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

from validation import oxigraph_load, small_update, synthetic

from graph_service.config import PROJECT_ROOT, Config
from graph_service.store import Store
from graph_service.store.guarded_update import apply_update
from graph_service.store.loading import ValidationFailed, load_on_disk


def load(data: Path, store: Path, config: Config, work: Path) -> None:
    """`oxigraph load` and `kg load` of the project's files and `data`, timed."""
    files = sorted(p for d in config.source_dirs for p in d.rglob("*") if p.is_file())
    files.append(data)
    ox_seconds = oxigraph_load(files, work)
    print(f"oxigraph load: {ox_seconds:.1f} s", flush=True)
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    loaded = load_on_disk(store, files, config)
    seconds = time.perf_counter() - start
    print(f"kg load: {seconds:.1f} s ({seconds / ox_seconds:.2f}x) {loaded.timings}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a synthetic N-Quads file (to load)")
    parser.add_argument("--store", type=Path, required=True, help="where `kg load` writes")
    parser.add_argument("--sources", type=int, default=2)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument(
        "--existing", action="store_true", help="no loads: the sources and updates on --store"
    )
    args = parser.parse_args(argv)
    if not args.existing and args.data is None:
        parser.error("--data is needed unless --existing")
    config = Config()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-steps-"))
    try:
        if not args.existing:
            load(args.data, args.store, config, work)
        for n in range(args.sources):
            source = work / f"source-{n}.nq"
            key = "".join(random.choices(string.ascii_lowercase, k=8))  # new to the store
            synthetic(source, 10_000, key=key)
            start = time.perf_counter()
            loaded = load_on_disk(args.store, [source], config)
            print(f"new 10k source {n + 1}: {time.perf_counter() - start:.2f} s {loaded.timings}")
        store = Store(args.store)
        times = []
        first = 9000 + time.time_ns() % 10**6 * 100  # meetings the store does not have yet
        for n in range(args.updates):
            start = time.perf_counter()
            apply_update(store, small_update(first + n), config)
            times.append(time.perf_counter() - start)
        print(
            f"{args.updates} updates: median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f}, max {max(times):.3f}; each: "
            + " ".join(f"{t:.2f}" for t in times)
        )
        start = time.perf_counter()
        try:
            apply_update(store, small_update(13), config)
        except ValidationFailed:
            print(f"refused update: {time.perf_counter() - start:.3f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    sys.exit(main())
