# Writes diff.truth.json: each recording's samples and self samples per function, as CPython's
# own pstats reads the pstats file `replay --pstats` writes from it.
import json
import os
import pstats
import sys


def side(prof):
    stats = pstats.Stats(prof).stats
    by_function = {}
    for (file, _line, func), (direct, *_rest) in stats.items():
        key = f"{os.path.basename(file)}:{func}"
        by_function[key] = by_function.get(key, 0) + direct
    return {"samples": sum(by_function.values()), "self_by_function": dict(sorted(by_function.items()))}


json.dump({"baseline": side(sys.argv[1]), "current": side(sys.argv[2])}, sys.stdout, indent=1, sort_keys=True)
print()
