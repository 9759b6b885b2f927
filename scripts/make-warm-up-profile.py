# Writes public/warm-up/imports.prof: a real cProfile run of a small program that imports part of
# the standard library (importlib's machinery recursing through _find_and_load) and then uses
# it. The worker reads it while the page is idle (worker/warm-up.ts).
# Usage: python3 scripts/make-warm-up-profile.py OUT.prof
import cProfile
import sys


def work():
    import importlib

    for name in ("json", "argparse", "decimal", "email.message", "csv", "dataclasses"):
        importlib.import_module(name)
    import json
    import argparse
    import decimal
    import csv
    import io

    parser = argparse.ArgumentParser(prog="report")
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args([])
    rows = [{"id": i, "price": str(decimal.Decimal(i) / 7)} for i in range(args.rows)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "price"])
    writer.writeheader()
    writer.writerows(rows)
    return json.loads(json.dumps(rows))


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    prof.dump_stats(sys.argv[1])
