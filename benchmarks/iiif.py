"""IIIF image delivery beside IIPImage: ingest of 100 MP scans, tiles, info.json, manifests, a folder.

    .venv/bin/python -m benchmarks.iiif                                   # everything, at full size
    .venv/bin/python -m benchmarks.iiif --megapixels 12 --tiles 60 --seconds 5 --folder-files 20
    .venv/bin/python -m benchmarks.iiif --skip folder                     # the scans and tiles only

The reference server is IIPImage, the C image server many archives run: Debian's
`iipimage-server` behind `lighttpd`'s FastCGI (benchmarks/iipimage.py; `make iipimage` installs
both with apt-get). Bookworm's iipimage-server 1.1 speaks IIIF Image API 2.1 (level 1) through
its IIIF= parameter; the tile requests asked of both are the same text, valid in 2.1 and 3.0:
`{x},{y},{w},{h}/{width},/0/default.jpg`, a tile of info.json's grid at one of its scale factors.
IIPImage serves the very pyramid Arkiv made (catalog/pyramids.py), named relative to MEDIA_ROOT,
and encodes at Arkiv's JPEG quality. It gets as many processes as gunicorn has workers (two).

In a scratch SQLite catalogue and MEDIA_ROOT (deleted at the end), for a `--megapixels` JPEG and
TIFF scan made by code (catalog/synthetic_images.py; the TIFF LZW-compressed, as scanners write
it; making them is not timed), each in an item of its own:

- ingest: imaging.ingest() (checks, EXIF, SHA-256, derivatives) and then its pyramid, which
  ingest queues on a background thread, in a process of its own (`manage.py shell`): the time
  of each and the process's peak resident memory (VmHWM, read by the process itself, with what
  it had before the ingest). Targets: under 10 s and 500 MB for a 100 MP scan.
- tiles: gunicorn (two sync workers, DEBUG off; benchmarks/browse.py's server) and IIPImage
  are started afresh and Arkiv's tile cache emptied. `--tiles` tiles of the image (a sample of
  every level, most from the full-size one, as a viewer zooming in asks) are asked one after
  the other, of each server in turn: cold (neither has made that tile yet), then the same tiles
  again, warm (Arkiv's disk cache, IIPImage's memory cache). Then `--clients` clients at once:
  cold over the image's remaining tiles, each asked once, and warm over the first tiles for
  `--seconds`; tiles per second and latencies. Targets: cold tiles under 100 ms median, warm
  throughput at least half of IIPImage's.
- info.json of both servers, and Arkiv's manifest of the item (/iiif/3/manifest/<identifier>):
  the first request, then the median and 95th percentile of `--requests` more.
- folder: `manage.py ingest_folder` of `--folder-files` 12 MP phone photographs made by code
  first: FOLDER_PICTURES different pictures, each in files that differ by a JPEG comment (a
  COM segment after SOI), so every file has a SHA-256 of its own and is decoded, described and
  tiled as any other; rendering a thousand 12 MP pictures would take longer than ingesting
  them. Files per second, the process's wall time (the pyramids, which the command queues on
  its background thread, are made before it exits) and peak memory. A run longer than
  `--folder-max-seconds` is interrupted (the command is resumable) and the rate is that of the
  files it had made. Skipped with a note where the command does not exist.

Load averages are printed beside the figures: the machine is shared, and times are what it gave;
the ratios are within one run. Nothing is asserted.
"""
import argparse
import concurrent.futures
import itertools
import json
import math
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks.arrangement import manage, vm_hwm
from benchmarks.browse import connect, load_average, percentile, server
from benchmarks.catalog import ROOT
from benchmarks.iipimage import iipimage, missing, version

PARTS = ("ingest", "tiles", "info", "manifest", "folder", "iipimage")
FULL_LEVEL_SHARE = 0.7  # of the tiles sampled, from the full-size level (a viewer zoomed in)
PHONE_SEED = 90  # the folder's photographs: a seed of their own, so none is a scan's duplicate
FOLDER_PICTURES = 25

INGEST = """
import json, re, time
from pathlib import Path
from catalog import imaging, pyramids
from catalog.models import Item, Statement

def hwm():
    return int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))

item = Item.objects.create(identifier={identifier!r}, dcmi_type="StillImage", status=Item.PUBLISHED)
Statement.objects.create(item=item, term="title", value={title!r}, lang="en")
before = hwm()
begun = time.perf_counter()
with open({path!r}, "rb") as source:
    # Original public: a private original is served at display size only, and the benchmark asks
    # the full pyramid of both servers.
    digital_file = imaging.ingest(item=item, file=source, name={name!r}, original_public=True)
ingested = time.perf_counter()
path = pyramids.make_pyramid(digital_file)  # here: the task ingest enqueued waits for a worker
done = time.perf_counter()
print(json.dumps({{"ingest": ingested - begun, "pyramid": done - ingested, "before_kb": before, "peak_kb": hwm(),
                  "id": digital_file.pk, "pyramid_path": path, "bytes": digital_file.size}}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megapixels", type=float, default=100, help="size of the two scans (default 100)")
    parser.add_argument("--tiles", type=int, default=200, help="different tiles asked one by one (default 200)")
    parser.add_argument("--clients", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each warm run of clients at once (default 20)")
    parser.add_argument("--requests", type=int, default=30, help="info.json and manifest requests after the first (default 30)")
    parser.add_argument("--folder-files", type=int, default=1000, help="phone photographs for ingest_folder (default 1000)")
    parser.add_argument("--folder-max-seconds", type=float, default=3600, help="interrupt ingest_folder after this (default 3600)")
    parser.add_argument("--skip", nargs="+", default=[], choices=PARTS, help="parts to leave out")
    arguments = parser.parse_args()
    if "iipimage" not in arguments.skip and missing():
        print(f"IIPImage: skipped, {missing()}")
        arguments.skip.append("iipimage")

    with tempfile.TemporaryDirectory(prefix="arkiv-iiif-") as scratch:
        scratch = Path(scratch)
        media, cache = scratch / "media", scratch / "media" / "iiif-cache"
        url = f"sqlite:///{scratch / 'catalog.sqlite3'}"
        os.environ.update(DATABASE_URL=url, MEDIA_ROOT=str(media), ARKIV_IIIF_CACHE_DIR=str(cache))
        manage(url, "migrate", "-v", "0")
        manage(url, "createcachetable")
        print(f"load average {load_average()}; IIPImage {'skipped' if 'iipimage' in arguments.skip else version()}; "
              f"libvips {libvips_version()}; {os.cpu_count()} cores", flush=True)
        if {"ingest", "tiles", "info", "manifest"} - set(arguments.skip):
            scans = [ingest_scan(url, scratch, media, format_, arguments.megapixels) for format_ in ("JPEG", "TIFF")]
            results = {}
            for scan in scans:
                if {"tiles", "info", "manifest"} - set(arguments.skip):
                    results[scan["format"]] = serve(url, media, cache, scan, arguments)
            print_targets(scans, results, arguments)
        if "folder" not in arguments.skip:
            measure_folder(url, scratch, arguments.folder_files, arguments.folder_max_seconds)
        print(f"load average {load_average()}")


def libvips_version():
    try:
        import pyvips

        return ".".join(str(pyvips.version(part)) for part in range(3))
    except Exception:
        return "not found"


# --- Ingest ---------------------------------------------------------------------------------

def ingest_scan(url, scratch, media, format_, megapixels):
    """Make a scan of `megapixels` in `format_`, ingest it in a process of its own, print and
    return what it took."""
    from catalog.synthetic_images import FULL_SCAN, Planned, render

    ratio = math.sqrt(megapixels / (FULL_SCAN[0] * FULL_SCAN[1] / 1e6))
    image = Planned(seed=1, number={"JPEG": 1, "TIFF": 2}[format_], kind="scan", width=round(FULL_SCAN[0] * ratio),
                    height=round(FULL_SCAN[1] * ratio), format=format_, mode="RGB", gps=False)
    path = scratch / image.name
    path.write_bytes(render(image))
    identifier = f"bench-scan-{format_.lower()}"
    code = INGEST.format(identifier=identifier, title=f"Benchmark scan, {format_}", path=str(path), name=image.name)
    began = time.perf_counter()
    measured = json.loads(manage(url, "shell", "--no-imports", "-c", code).strip().splitlines()[-1])
    wall = time.perf_counter() - began
    path.unlink()
    total = measured["ingest"] + measured["pyramid"]
    print(f"\n== {format_} scan, {image.width:,} x {image.height:,} px ({image.megapixels:.1f} MP), "
          f"{measured['bytes'] / 1e6:.1f} MB; load average {load_average()}")
    print(f"   ingest() {measured['ingest']:.1f} s + pyramid {measured['pyramid']:.1f} s = {total:.1f} s "
          f"(process {wall:.1f} s with start-up); peak memory {measured['peak_kb'] / 1024:.0f} MB "
          f"({measured['before_kb'] / 1024:.0f} MB before the ingest)", flush=True)
    pyramid = Path(measured["pyramid_path"])
    return {"format": format_, "id": measured["id"], "identifier": identifier, "seconds": total,
            "peak_mb": measured["peak_kb"] / 1024, "pyramid": str(pyramid.relative_to(media))}


# --- Serving ----------------------------------------------------------------------------------

def serve(url, media, cache, scan, arguments):
    """Both servers, fresh, on one scan: print and return the figures."""
    shutil.rmtree(cache, ignore_errors=True)
    compare = "iipimage" not in arguments.skip
    with server(url) as base, (iipimage(media, processes=2, quality=arkiv_quality()) if compare else nothing()) as iip:
        servers = {"Arkiv": f"{base}/iiif/3/{scan['id']}"}
        if compare:
            servers["IIPImage"] = f"{iip}?IIIF={scan['pyramid']}"
        print(f"   {scan['format']}: gunicorn {base}, IIPImage {iip or 'skipped'}; load average {load_average()}")
        print(f"   {'request':30} {'server':9} {'first ms':>9} {'N':>5} {'median ms':>10} {'p95 ms':>8} {'tiles/s':>8}", flush=True)
        info = json.loads(fetch(servers["Arkiv"] + "/info.json"))
        tiles = tile_paths(info, seed=scan["id"])
        sample, rest = tiles[:arguments.tiles], tiles[arguments.tiles:]
        figures = {}
        if "info" not in arguments.skip:
            for name, prefix in servers.items():
                row(figures, "info.json", name, *repeated(prefix + "/info.json", arguments.requests))
        if "manifest" not in arguments.skip:
            manifest = f"{base}/iiif/3/manifest/{scan['identifier']}"
            row(figures, "manifest", "Arkiv", *repeated(manifest, arguments.requests))
        if "tiles" not in arguments.skip:
            for label in ("tiles, cold, one by one", "tiles, warm, one by one"):
                times = in_turn(servers, sample)
                for name in servers:
                    row(figures, label, name, None, times[name])
            if rest:
                for name, prefix in servers.items():
                    times, rate = at_once(prefix, rest, arguments.clients, seconds=None)
                    row(figures, f"tiles, cold, {arguments.clients} clients", name, None, times, rate)
            for name, prefix in servers.items():
                times, rate = at_once(prefix, sample, arguments.clients, seconds=arguments.seconds)
                row(figures, f"tiles, warm, {arguments.clients} clients", name, None, times, rate)
        print(f"   {len(tiles)} tiles in the grid of {info['width']:,} x {info['height']:,} "
              f"(tiles of {info['tiles'][0]['width']} px, scale factors {info['tiles'][0]['scaleFactors']}); "
              f"load average {load_average()}", flush=True)
    return figures


class nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        pass


def arkiv_quality():
    """The JPEG quality Arkiv serves tiles at, so IIPImage encodes alike."""
    try:
        from catalog.iiif.image import render

        return render.JPEG_QUALITY
    except ImportError:
        return 85


def tile_paths(info, seed):
    """Every tile of info.json's grid as an IIIF request (`/{region}/{size}/0/default.jpg`,
    the same in Image API 2.1 and 3.0), in an order a viewer zooming in might ask them: shuffled,
    the tiles of the full-size level first in a FULL_LEVEL_SHARE of the places."""
    width, height = info["width"], info["height"]
    grid = info["tiles"][0]
    side, factors = grid["width"], grid["scaleFactors"]
    levels = {}
    for factor in factors:
        step = side * factor
        levels[factor] = [
            f"/{x},{y},{min(step, width - x)},{min(step, height - y)}/{math.ceil(min(step, width - x) / factor)},/0/default.jpg"
            for y in range(0, height, step) for x in range(0, width, step)
        ]
    rng = random.Random(seed)
    for paths in levels.values():
        rng.shuffle(paths)
    full, others = levels[min(factors)], [path for factor in factors if factor != min(factors) for path in levels[factor]]
    ordered = []
    while full or others:
        take_full = full and (not others or rng.random() < FULL_LEVEL_SHARE)
        ordered.append((full if take_full else others).pop())
    return ordered


def in_turn(servers, paths):
    """{server: [ms]}: each path asked of every server in turn, one request at a time."""
    times = {name: [] for name in servers}
    for path in paths:
        for name, prefix in servers.items():
            times[name].append(timed(prefix + path))
    return times


def at_once(prefix, paths, clients, seconds):
    """([ms], tiles/s) of `clients` threads asking `paths`: each once (seconds None), or round
    and round for `seconds`."""
    times, lock = [], threading.Lock()
    source = iter(paths) if seconds is None else itertools.cycle(paths)
    deadline = None if seconds is None else time.monotonic() + seconds

    def client():
        while deadline is None or time.monotonic() < deadline:
            with lock:
                path = next(source, None)
            if path is None:
                return
            elapsed = timed(prefix + path)
            with lock:
                times.append(elapsed)

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    return times, len(times) / (time.perf_counter() - began)


def repeated(url, requests):
    first = timed(url)
    return first, [timed(url) for _ in range(requests)]


def row(figures, request, name, first, times, rate=None):
    median, p95 = statistics.median(times), percentile(times, 95)
    figures[request, name] = {"median": median, "p95": p95, "rate": rate}
    print(f"   {request:30} {name:9} {'' if first is None else f'{first:.1f}':>9} {len(times):>5} {median:>10.1f} "
          f"{p95:>8.1f} {'' if rate is None else f'{rate:.0f}':>8}", flush=True)


def timed(url):
    begun = time.perf_counter()
    fetch(url)
    return (time.perf_counter() - begun) * 1000


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        return response.read()


# --- The targets ----------------------------------------------------------------------------

def print_targets(scans, results, arguments):
    print(f"\nTargets ({arguments.megapixels:g} MP scans; load average {load_average()}):")
    if "ingest" not in arguments.skip:
        for scan in scans:
            print(f"   ingest of the {scan['format']} scan: {scan['seconds']:.1f} s (target < 10 s, ratio {scan['seconds'] / 10:.2f}), "
                  f"{scan['peak_mb']:.0f} MB (target < 500 MB, ratio {scan['peak_mb'] / 500:.2f})")
    for format_, figures in results.items():
        cold = figures.get(("tiles, cold, one by one", "Arkiv"))
        if cold:
            print(f"   {format_}: cold tile median {cold['median']:.1f} ms (target < 100 ms, ratio {cold['median'] / 100:.2f})")
        warm = f"tiles, warm, {arguments.clients} clients"
        if (warm, "Arkiv") in figures and (warm, "IIPImage") in figures:
            ratio = figures[warm, "Arkiv"]["rate"] / figures[warm, "IIPImage"]["rate"]
            print(f"   {format_}: warm tiles/s Arkiv / IIPImage, {arguments.clients} clients: {ratio:.2f} (target >= 0.50)")
        for request in ("tiles, cold, one by one", "tiles, warm, one by one", "info.json"):
            if (request, "Arkiv") in figures and (request, "IIPImage") in figures:
                ratio = figures[request, "Arkiv"]["median"] / figures[request, "IIPImage"]["median"]
                print(f"   {format_}: {request}, median Arkiv / IIPImage: {ratio:.2f}")


# --- A folder of photographs -----------------------------------------------------------------

def measure_folder(url, scratch, files, max_seconds):
    """ingest_folder of `files` phone photographs: files/s and peak memory."""
    if "ingest_folder" not in manage(url, "help", "--commands"):
        print("\n== folder: skipped, manage.py ingest_folder does not exist (yet)")
        return
    from catalog.synthetic_images import PHONE, Planned, render

    folder = scratch / "photographs"
    folder.mkdir()
    began = time.perf_counter()
    pictures = [render(Planned(PHONE_SEED, number, "phone", *PHONE, "JPEG", "RGB", False)) for number in range(min(files, FOLDER_PICTURES))]
    total = 0
    for number in range(files):
        picture = pictures[number % len(pictures)]
        comment = f"Arkiv benchmark photograph {number}".encode()
        data = picture[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + picture[2:]
        (folder / f"photograph-{number:05d}.jpg").write_bytes(data)
        total += len(data)
    made = time.perf_counter() - began
    with connect(url) as db:
        before = db.one("SELECT count(*) FROM catalog_digitalfile")
    print(f"\n== folder: {files} photographs of {PHONE[0]} x {PHONE[1]} px ({len(pictures)} pictures), {total / 1e6:.0f} MB "
          f"(made in {made:.0f} s, not counted); load average {load_average()}", flush=True)
    seconds, peak_kb, stopped = run_capped(url, max_seconds, "ingest_folder", str(folder), "-v", "0")
    with connect(url) as db:
        ingested = db.one("SELECT count(*) FROM catalog_digitalfile") - before
    note = f"; interrupted after {max_seconds:.0f} s" if stopped else ""
    print(f"   ingest_folder: {ingested} of {files} files in {seconds:.1f} s, {ingested / seconds:.2f} files/s, "
          f"{total * ingested / files / 1e6 / seconds:.1f} MB/s; peak memory {peak_kb / 1024:.0f} MB{note}; "
          f"load average {load_average()}", flush=True)


def run_capped(url, max_seconds, *arguments):
    """Run manage.py with `arguments`, interrupted (SIGINT, as Ctrl-C) after `max_seconds`;
    (seconds, peak resident KB sampled from /proc, whether it was interrupted)."""
    process = subprocess.Popen([sys.executable, "manage.py", *arguments], cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    errors = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
    reader.start()
    begun, peak, stopped = time.perf_counter(), 0, False
    while process.poll() is None:
        peak = max(peak, vm_hwm(process.pid))
        if not stopped and time.perf_counter() - begun > max_seconds:
            process.send_signal(signal.SIGINT)
            stopped = True
        time.sleep(0.05)
    reader.join()
    if process.returncode and not stopped:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed: {errors[0][-2000:]}")
    return time.perf_counter() - begun, peak, stopped


if __name__ == "__main__":
    sys.exit(main())
