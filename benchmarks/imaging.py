"""Throughput of imaging.ingest() and check_fixity on photograph-sized files.

    .venv/bin/python -m benchmarks.imaging                          # 10 JPEGs of 12 megapixels
    .venv/bin/python -m benchmarks.imaging --files 5 --megapixels 24 --format TIFF

It makes `--files` different images in memory (noise over a gradient, so JPEG compresses them
as it would a photograph rather than a flat colour), then ingests each into a throwaway SQLite
catalogue whose MEDIA_ROOT is a temporary directory: sniffing, verify(), EXIF, the two
derivatives, streaming to storage with SHA-256, the row. It prints the median and slowest time
per file and the rate in MB/s of originals; then it times `check_fixity` over the same files.
Making the images is not timed. Everything is deleted at the end.
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10, help="number of files (default 10)")
    parser.add_argument("--megapixels", type=float, default=12, help="size of each image (default 12)")
    parser.add_argument("--format", default="JPEG", choices=["JPEG", "PNG", "TIFF"])
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="arkiv-imaging-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'catalog.sqlite3'}"
        os.environ["MEDIA_ROOT"] = str(Path(scratch) / "media")
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
        django.setup()
        run(arguments)


def run(arguments):
    from django.core.management import CommandError, call_command

    from catalog import imaging
    from catalog.models import Item

    call_command("migrate", verbosity=0)
    item = Item.objects.create(identifier="benchmark", dcmi_type="StillImage")
    originals = [photograph(arguments.megapixels, arguments.format, seed) for seed in range(arguments.files)]
    megabytes = sum(len(data) for data in originals) / 1e6

    seconds = []
    for number, data in enumerate(originals):
        started = time.perf_counter()
        imaging.ingest(item=item, file=io.BytesIO(data), name=f"photo-{number}.{arguments.format.lower()}")
        seconds.append(time.perf_counter() - started)

    started = time.perf_counter()
    try:
        call_command("check_fixity", "--no-progress", stdout=io.StringIO())
    except CommandError as error:
        sys.exit(f"check_fixity failed on freshly ingested files: {error}")
    fixity = time.perf_counter() - started

    width, height = size_for(arguments.megapixels)
    print(f"{arguments.files} {arguments.format} files of {width} x {height} px, {megabytes:.1f} MB in all")
    print(f"{'step':14} {'N':>4} {'median ms':>10} {'max ms':>8} {'MB/s':>7}")
    print(
        f"{'ingest':14} {len(seconds):>4} {statistics.median(seconds) * 1000:>10.0f} "
        f"{max(seconds) * 1000:>8.0f} {megabytes / sum(seconds):>7.1f}"
    )
    print(f"{'check_fixity':14} {len(seconds):>4} {fixity / len(seconds) * 1000:>10.1f} {'':>8} {megabytes / fixity:>7.1f}")


def size_for(megapixels):
    width = int((megapixels * 1e6 * 3 / 2) ** 0.5)  # a 3:2 camera frame
    return width, int(width * 2 / 3)


def photograph(megapixels, format_, seed):
    from PIL import Image

    width, height = size_for(megapixels)
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24 + seed)
    image = Image.merge("RGB", (gradient, noise, Image.blend(gradient, noise, 0.5)))
    buffer = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "TIFF": {"compression": "tiff_lzw"}, "PNG": {}}[format_]
    image.save(buffer, format_, **options)
    return buffer.getvalue()


if __name__ == "__main__":
    main()
