"""Writes NAME.truth.json for each NAME.mojo given, read by austin-python's own MOJO reader.

usage: PYTHONPATH=path/to/austin-python python3 truth.py NAME.mojo...

Weights are austin's text metrics: microseconds, or in memory mode KiB allocated (bytes / 1024;
samples that release memory are counted apart); in full mode an idle sample's time is idle.
austin-python leaves `:INVALID:` and `:GC:` marks out of a sample's frames: samples holding one
are counted, and left out of `stacks`.
"""

import json
import sys
from collections import Counter, defaultdict

from austin.format.mojo import MojoSpecialFrame, MojoStack, MojoStreamReader


def thread_label(sample):
    tid = str(int(sample.thread, 16))
    return f"P{sample.pid};T{sample.iid}:{tid}" if sample.iid is not None else f"P{sample.pid};T{tid}"


def truth(path):
    marks = defaultdict(set)
    with open(path, "rb") as f:
        reader = MojoStreamReader(f)
        n = -1
        for event in reader.parse():
            if isinstance(event, MojoStack):
                n += 1
            elif isinstance(event, MojoSpecialFrame):
                marks[n].add(event.label)
    with open(path, "rb") as f:
        reader = MojoStreamReader(f)
        samples = [e for e in reader if hasattr(e, "metrics")]
        metadata = reader.metadata
    mode = metadata.get("mode")
    threads = Counter()
    stacks = Counter()
    idle = released = released_kib = 0
    for i, s in enumerate(samples):
        if mode == "memory":
            if s.metrics.memory < 0:
                released += 1
                released_kib -= s.metrics.memory / 1024
                continue
            weight = s.metrics.memory / 1024
        else:
            weight = s.metrics.time
            if s.idle:
                idle += weight
                continue
        threads[thread_label(s)] += weight
        if not marks[i]:
            frames = ";".join(f"{f.filename}:{f.function}:{f.line}" for f in s.frames or ())
            stacks[f"{thread_label(s)};{frames}" if frames else thread_label(s)] += weight
    return {
        "mojo_version": reader.mojo_version,
        "metadata": metadata,
        "samples": len(samples),
        "weight": sum(threads.values()),
        "idle": idle,
        "released_samples": released,
        "released_kib": released_kib,
        "threads": dict(sorted(threads.items())),
        "invalid_samples": sum("INVALID" in m for m in marks.values()),
        "gc_samples": sum("GC" in m for m in marks.values()),
        "heaviest_stacks": dict(stacks.most_common(5)),
    }


for path in sys.argv[1:]:
    with open(path.removesuffix(".mojo") + ".truth.json", "w") as out:
        json.dump(truth(path), out, indent=1)
        out.write("\n")
