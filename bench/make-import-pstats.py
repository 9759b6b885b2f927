# Writes a real cProfile file of an import-heavy program: N generated modules in a package tree,
# each importing a few others at import time (through importlib's real machinery, with its
# recursion through _find_and_load and _call_with_frames_removed), defining functions and a
# class, and calling some of them while it loads; then the standard library's own modules.
# Usage: python3 make-import-pstats.py N OUT.prof  (N=2000 -> about 2 MB)
import cProfile
import os
import random
import sys
import tempfile


def write_package(root, n, seed=3):
    rng = random.Random(seed)
    pkg = os.path.join(root, "shopkit")
    for sub in range(n // 100 + 1):
        os.makedirs(os.path.join(pkg, "part%03d" % sub), exist_ok=True)
        for init in (os.path.join(pkg, "__init__.py"), os.path.join(pkg, "part%03d" % sub, "__init__.py")):
            open(init, "a").close()
    for i in range(n):
        deps = sorted(set(rng.randrange(i + 1, n) for _ in range(3) if i + 1 < n))
        lines = ["import json, re, collections"]
        lines += ["from shopkit.part%03d import mod_%05d" % (d // 100, d) for d in deps]
        for k in range(rng.randrange(4, 12)):
            lines += [
                "def f_%d(x=0):" % k,
                "    total = 0",
                "    for v in range(%d):" % rng.randrange(1, 40),
                "        total += v * x",
                "    return re.sub(r'\\d', '', str(total))",
            ]
        lines += [
            "class Model_%d(collections.UserDict):" % i,
            "    def save(self):",
            "        return json.dumps(dict(self))",
            "for _k in range(%d):" % rng.randrange(1, 4),
            "    f_0(_k)",
            "Model_%d(a=1).save()" % i,
        ]
        with open(os.path.join(pkg, "part%03d" % (i // 100), "mod_%05d.py" % i), "w") as out:
            out.write("\n".join(lines) + "\n")


def main(n, out):
    root = tempfile.mkdtemp(prefix="kiln-imports-")
    write_package(root, n)
    sys.path.insert(0, root)
    sys.dont_write_bytecode = True
    prof = cProfile.Profile()
    prof.enable()
    import importlib
    for i in range(n):
        importlib.import_module("shopkit.part%03d.mod_%05d" % (i // 100, i))
    for name in ("ast", "json", "pydoc", "email.message", "http.client", "xml.dom.minidom", "argparse", "decimal"):
        importlib.import_module(name)
    prof.disable()
    prof.dump_stats(out)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
