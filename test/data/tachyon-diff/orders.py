# Matches orders against a catalogue, before (a list scanned per order) and after (a set).
# usage: python orders.py before|after SECONDS
import sys
import time


def catalogue(n):
    return ["sku-%05d" % i for i in range(n)]


def orders(n):
    return ["sku-%05d" % (i * 7919 % 4000) for i in range(n)]


def match_scan(skus, wanted):
    return sum(1 for w in wanted if w in skus)


def match_set(skus, wanted):
    index = set(skus)
    return sum(1 for w in wanted if w in index)


def total(prices):
    return sum(p * 1.2 for p in prices)


def run(mode, seconds):
    end = time.perf_counter() + seconds
    skus = catalogue(3000)
    matched = 0
    while time.perf_counter() < end:
        wanted = orders(400)
        matched += match_scan(skus, wanted) if mode == "before" else match_set(skus, wanted)
        total(range(20000))
    return matched


if __name__ == "__main__":
    print(run(sys.argv[1], float(sys.argv[2])))
