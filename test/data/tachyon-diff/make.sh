#!/bin/sh
# Remakes this folder's recordings, differential page and truth with CPython 3.15's sampler.
# Usage: make.sh [SID]   SID: a Debian sid chroot with python3.15 and /proc mounted (default /opt/sid).
# Sampling is not repeatable: every run gives new numbers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sid=${1:-/opt/sid}
work=/root/kiln-diff
mkdir -p "$sid$work"
cp "$here/orders.py" "$here/truth.py" "$sid$work/"
chroot "$sid" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 sh -euc "
cd $work
S='python3.15 -m profiling.sampling'
\$S run --binary --compression none -o before.bin orders.py before 0.5
\$S run --binary --compression none -o after.bin orders.py after 0.5
\$S replay --diff-flamegraph before.bin -o diff.html after.bin
\$S replay --pstats -o before.prof before.bin
\$S replay --pstats -o after.prof after.bin
python3.15 truth.py before.prof after.prof > diff.truth.json
"
cp "$sid$work/before.bin" "$sid$work/after.bin" "$sid$work/diff.truth.json" "$here/"
gzip -9n < "$sid$work/diff.html" > "$here/diff.html.gz"
