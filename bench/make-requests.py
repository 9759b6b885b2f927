# Writes N real cProfile files, one per request of a generated web app, as a profiling
# middleware does (Werkzeug's ProfilerMiddleware(profile_dir=...)): each request runs a few of the
# app's handlers, so the files share most functions and differ in which ones and how often.
# Usage: python3 make-requests.py N OUTDIR   (each file is about 50 KB)
import cProfile
import os
import random
import sys

FUNCTIONS = 1200
HANDLERS = 60


def build(seed=7):
    rng = random.Random(seed)
    lines = ["def f_%d(n, d=0):\n    x = 0\n    for k in range(n):\n        x += k\n    if d > 3:\n        return x\n" % i for i in range(FUNCTIONS)]
    for i in range(FUNCTIONS):
        kids = sorted(set(rng.randrange(i + 1, FUNCTIONS) for _ in range(3) if i + 1 < FUNCTIONS))
        lines[i] += "".join("    f_%d(%d, d + 1)\n" % (k, rng.randrange(1, 20)) for k in kids if k < i + 40)
        lines[i] += "    return x\n"
    for h in range(HANDLERS):
        lines.append("def handler_%d(route):\n" % h + "".join(
            "    f_%d(%d)\n" % (rng.randrange(0, FUNCTIONS), rng.randrange(1, 50)) for _ in range(12)))
    code = compile("\n".join(lines), "/srv/app/views.py", "exec")
    namespace = {}
    exec(code, namespace)
    return [namespace["handler_%d" % h] for h in range(HANDLERS)]


def main(n, outdir):
    os.makedirs(outdir, exist_ok=True)
    handlers = build()
    rng = random.Random(11)
    for r in range(n):
        chosen = rng.sample(handlers, 40)
        prof = cProfile.Profile()
        prof.enable()
        for h in chosen:
            h(r)
        prof.disable()
        prof.dump_stats(os.path.join(outdir, "GET.api.%04d.prof" % r))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
