"""How fast generate_catalog fills an empty catalogue, and how large the catalogue grows.

    .venv/bin/python -m benchmarks.generate                          # 10,000 items, both databases
    .venv/bin/python -m benchmarks.generate --n 100000 1000000 --backend sqlite

Each run migrates an empty database and times `manage.py generate_catalog N --seed 1` in a
subprocess. The insert (items, statements, authority records, collections) and the search
reindex that follows it are reported apart, and so is the processor time of the whole
generate_catalog process: on a machine shared with other work, wall-clock time overstates what
the command costs, and the CPU time is what it would take with a core to itself. A run whose catalogue is not cached yet becomes the
cached catalogue of benchmarks/catalog.py, so that other benchmarks can reuse it.
"""
import argparse

from benchmarks.catalog import BACKENDS, measure_build

HEADER = (
    f"{'database':<9} {'items':>9} {'statements':>11} {'insert s':>9} {'items/s':>8} "
    f"{'rows/s':>8} {'index s':>8} {'total s':>8} {'cpu s':>8} {'size MB':>8} {'KB/item':>8}"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[10_000], help="catalogue sizes (default 10000)")
    parser.add_argument("--backend", choices=BACKENDS, nargs="+", default=list(BACKENDS))
    parser.add_argument("--batch", type=int, help="items per transaction (generate_catalog's default if absent)")
    arguments = parser.parse_args()

    print(HEADER, flush=True)
    for n in arguments.n:
        for backend in arguments.backend:
            print(_row(backend, measure_build(n, backend, batch=arguments.batch)), flush=True)


def _row(backend, build):
    # rows/s counts items and statements; collection memberships and tombstones are left out.
    rows_per_second = (build.items + build.statements) / build.generate_seconds
    index = f"{build.index_seconds:8.1f}" if build.index_seconds is not None else f"{'-':>8}"
    return (
        f"{backend:<9} {build.items:>9,} {build.statements:>11,} {build.generate_seconds:>9.1f} "
        f"{build.items / build.generate_seconds:>8,.0f} {rows_per_second:>8,.0f} {index} "
        f"{build.total_seconds:>8.1f} {build.cpu_seconds:>8.1f} {build.size_bytes / 2**20:>8,.0f} {build.size_bytes / build.items / 1024:>8.2f}"
    )


if __name__ == "__main__":
    main()
