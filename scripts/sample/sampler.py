"""Writes public/samples/shop-checkout.folded and .samp: the checkout workload, sampled.

A timer signal interrupts the program every millisecond and records its stack. The folded file holds the
merged stacks (`file:function:line;… COUNT`); the .samp file is in Pyflame's `--flamechart`
layout (a timestamp line, then the stack with a trailing `;`, or `(idle)` while the program
waits for its next request).

Usage: cd scripts/sample && python3 sampler.py
"""
import collections
import os
import sys
import signal
import time

namespace = {"__name__": "checkout"}
with open(os.path.join(os.path.dirname(__file__), "shop_checkout.py")) as f:
    exec(compile(f.read(), "shop/checkout.py", "exec"), namespace)

SERVER = '''
def wait_for_request():
    time.sleep(0.004)

def serve(catalog, carts):
    for cart in carts:
        wait_for_request()
        checkout(catalog, cart)

def main(carts):
    serve(load_catalog(60000), carts)
'''
exec(compile(SERVER, "shop/server.py", "exec"), namespace)


def stack_of(frame):
    frames = []
    while frame is not None:
        frames.append(f"{frame.f_code.co_filename}:{frame.f_code.co_name}:{frame.f_lineno or frame.f_code.co_firstlineno}")
        frame = frame.f_back
    return ";".join(reversed(frames))


def main():
    samples = []

    def sample(_signum, frame):
        if frame.f_code.co_filename == __file__:
            return
        idle = frame.f_code.co_name == "wait_for_request"
        samples.append((int(time.time() * 1e6), None if idle else stack_of(frame)))

    signal.signal(signal.SIGALRM, sample)
    signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
    carts = [[f"ABC-{(i * 37 + j * 11) % 60000:05d}" for j in range(12)] for i in range(40)]
    namespace["main"](carts)
    signal.setitimer(signal.ITIMER_REAL, 0)
    return [(t, own_frames(s)) for t, s in samples]


def own_frames(stack):
    """The stack without the sampler's own frames at its root."""
    if stack is None:
        return None
    frames = stack.split(";")
    while frames and frames[0].split(":")[0].endswith("sampler.py"):
        frames.pop(0)
    return ";".join(frames)


if __name__ == "__main__":
    samples = [(t, s) for t, s in main() if s is None or s.startswith("shop/")]
    out = os.path.join(os.path.dirname(__file__), "..", "..", "public", "samples", "shop-checkout")
    counts = collections.Counter(s for _, s in samples if s)
    with open(out + ".folded", "w") as f:
        for stack, n in sorted(counts.items()):
            f.write(f"{stack} {n}\n")
    with open(out + ".samp", "w") as f:
        for t, s in samples:
            f.write(f"{t}\n{'(idle)' if s is None else s + ';'}\n")
