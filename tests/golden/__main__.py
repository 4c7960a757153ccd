from __future__ import annotations

import argparse
import shutil

from tests.golden import GOLDEN, migrated_sample

parser = argparse.ArgumentParser(prog="python -m tests.golden")
parser.add_argument("--update", action="store_true", help="rewrite tests/golden/sample_flask_app")
args = parser.parse_args()
if not args.update:
    parser.error("pass --update, then read `git diff tests/golden` before committing")
shutil.rmtree(GOLDEN, ignore_errors=True)
for relative, code in migrated_sample():
    target = GOLDEN / (relative + ".txt")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(code, encoding="utf-8", newline="")
    print(f"wrote {target}")
