"""Writes public/samples/shop-checkout.prof: a cProfile of a small, deliberately slow checkout endpoint,
and shop-checkout-fixed.prof: the same endpoint once its slow path is fixed, to compare with it.

Usage: cd scripts/sample && python3 shop_checkout.py   (fixed-only: leaves shop-checkout.prof as it is)
"""
import cProfile
import json
import os
import re
import sys
import time

SKU = re.compile(r"^[A-Z]{3}-\d{5}$")


def load_catalog(n):
    return {f"ABC-{i:05d}": {"price": (i % 97) + 0.99, "stock": i % 13} for i in range(n)}


def validate(sku):
    return bool(SKU.match(sku))


def price_of(catalog, sku):
    # Linear scan: the slow path the sample is meant to show.
    for key, item in catalog.items():
        if key == sku:
            return item["price"]
    raise KeyError(sku)


def tax(amount, depth=3):
    return amount * 0.2 if depth == 0 else tax(amount, depth - 1)


def render(order):
    return json.dumps(order, sort_keys=True)


def audit_log():
    time.sleep(0.001)


def checkout(catalog, cart):
    lines = []
    for sku in cart:
        if validate(sku):
            price = price_of(catalog, sku)
            lines.append({"sku": sku, "price": price, "tax": tax(price)})
    audit_log()
    return render({"lines": lines, "total": sum(l["price"] + l["tax"] for l in lines)})


def main():
    catalog = load_catalog(20000)
    carts = [[f"ABC-{(i * 677 + j * 1601) % 20000:05d}" for j in range(12)] for i in range(30)]
    for cart in carts:
        checkout(catalog, cart)


# The fix: a dict lookup instead of the scan. The functions after it move up, as they would in an edit.
SLOW = """    # Linear scan: the slow path the sample is meant to show.
    for key, item in catalog.items():
        if key == sku:
            return item["price"]
    raise KeyError(sku)
"""
FIXED = """    return catalog[sku]["price"]
"""


def profile_to(source, name):
    # Compiled under a short relative name so the sample shows paths as a project would.
    namespace = {"__name__": "checkout"}
    exec(compile(source, "shop/checkout.py", "exec"), namespace)
    profiler = cProfile.Profile()
    profiler.runcall(namespace["main"])
    profiler.dump_stats(os.path.join(os.path.dirname(__file__), "..", "..", "public", "samples", name))


if __name__ == "__main__":
    with open(__file__) as f:
        source = f.read()
    assert SLOW in source
    if "fixed-only" not in sys.argv:
        profile_to(source, "shop-checkout.prof")
    profile_to(source.replace(SLOW, FIXED, 1), "shop-checkout-fixed.prof")
