"""What the Python test checkers share: check() prints each check as it
goes and keeps the failures, so one run reports every broken thing."""
import sys

failures = []


def check(ok, what, detail=""):
    if ok:
        print(f"ok: {what}")
    else:
        failures.append(what)
        print(f"FAIL: {what}" + (f"\n      {detail}" if detail else ""), file=sys.stderr)
