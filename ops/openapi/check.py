#!/usr/bin/env python3
"""Keeps api/openapi.json true to the server:
  1. every route of the router is documented with its method, path and
     roles (x-aidtrail-roles), and every documented operation is a route;
  2. the committed document is what generate.py writes now;
  3. it is a valid OpenAPI 3 document;
  4. a real server (demo data, real tokens) answers a handful of routes
     with bodies that validate against the documented schema of that route
     and status, and serves this very document at /openapi.json.
Run through ops/openapi/check.sh, which prepares the inputs.
"""

import argparse
import difflib
import json
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

REGENERATE = "ops/openapi/generate.sh (after ops/build.sh), then rebuild"


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0

    def ok(self, what):
        self.passed += 1
        print(f"  ok: {what}")

    def fail(self, what):
        self.failed += 1
        print(f"  FAILED: {what}")


def operations(document):
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            yield method.upper(), path, op


def check_routes(c, routes, document):
    print("== route table <-> document")
    documented = {(m, p): op for m, p, op in operations(document)}
    served = {(r["method"], r["path"]): r for r in routes}
    for key, r in served.items():
        op = documented.get(key)
        if op is None:
            c.fail(f"route {key[0]} {key[1]} is not in api/openapi.json; run {REGENERATE}")
            continue
        if op.get("x-aidtrail-roles") != r["roles"]:
            c.fail(f"{key[0]} {key[1]}: roles {r['roles']} in the router, "
                   f"{op.get('x-aidtrail-roles')} in the document")
        if bool(op.get("security")) != bool(r["roles"]):
            c.fail(f"{key[0]} {key[1]}: security does not match the roles {r['roles']}")
    for key in documented.keys() - served.keys():
        c.fail(f"{key[0]} {key[1]} is documented but the router has no such route")
    c.ok(f"{len(served)} routes, {len(documented)} documented operations compared")


def check_fresh(c, committed_text, generated_path):
    print("== api/openapi.json is what the generator writes")
    if generated_path is None:
        c.fail(f"the generator failed (see above); fix it, then run {REGENERATE}")
        return
    generated = pathlib.Path(generated_path).read_text(encoding="utf-8")
    if generated == committed_text:
        c.ok("up to date")
        return
    diff = list(difflib.unified_diff(committed_text.splitlines(), generated.splitlines(),
                                     "api/openapi.json", "generated", lineterm="", n=1))
    print("\n".join(diff[:40]) + ("\n  ..." if len(diff) > 40 else ""))
    c.fail(f"api/openapi.json is out of date; run {REGENERATE}")


def check_valid(c, document):
    print("== valid OpenAPI 3")
    from openapi_spec_validator import validate
    try:
        validate(document)
        c.ok("openapi-spec-validator")
    except Exception as e:  # the validator's errors have no common base
        c.fail(f"not a valid OpenAPI 3 document: {str(e)[:2000]}")


# --- the live server -------------------------------------------------------

def resolve(document, node):
    while "$ref" in node:
        parts = node["$ref"].removeprefix("#/").split("/")
        node = document
        for p in parts:
            node = node[p]
    return node


def find_operation(document, method, path):
    path = path.split("?", 1)[0]
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"{[^}]+}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    return None, None


def validate_body(document, schema, body):
    from openapi_schema_validator import OAS30Validator, oas30_format_checker
    # Component references resolve against the document's components.
    root = dict(schema, components=document["components"])
    errors = sorted(OAS30Validator(root, format_checker=oas30_format_checker).iter_errors(body),
                    key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}"
            for e in errors[:5]]


class Server:
    def __init__(self, aidtrail, workdir):
        self.aidtrail = aidtrail
        self.dir = pathlib.Path(workdir)
        self.tokens = {}
        self.proc = None
        self.base = None

    def run(self, *args):
        subprocess.run([self.aidtrail, *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300)

    def start(self):
        data, config = self.dir / "data", self.dir / "config.json"
        self.run("generate", "--data", str(data), "--cases", "50", "--year", "2025")
        for role in ("supervisor", "intake", "admin"):
            out = self.dir / f"{role}.token"
            self.run("token", "--config", str(config), "--role", role, "--actor", role[0].upper() + "1",
                     "--out", str(out))
            self.tokens[role] = out.read_text().strip()
        port_file = self.dir / "port"
        self.proc = subprocess.Popen(
            [self.aidtrail, "serve", "--data", str(data), "--listen", "127.0.0.1:0",
             "--port-file", str(port_file), "--config", str(config)],
            stdout=open(self.dir / "server.log", "wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited; its log:\n" +
                                   (self.dir / "server.log").read_text(errors="replace")[-3000:])
            if port_file.exists() and port_file.read_text().strip():
                self.base = f"http://127.0.0.1:{port_file.read_text().strip()}"
                status, _, _ = self.call("GET", "/readyz")
                if status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("the server did not become ready within 60 s")

    def call(self, method, path, role=None, body=None):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        if role:
            req.add_header("Authorization", "Bearer " + self.tokens[role])
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, res.headers.get("Content-Type", ""), res.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def check_answer(c, document, server, method, path, role=None, body=None, expect=None,
                 undocumented_error=False):
    """Calls the route and validates the answer against the documented
    response of its status. Returns the parsed body."""
    status, content_type, raw = server.call(method, path, role, body)
    what = f"{method} {path} -> {status}"
    if expect is not None and status != expect:
        c.fail(f"{what}, expected {expect}: {raw[:300]!r}")
        return None
    template, op = find_operation(document, method, path)
    if undocumented_error:
        # A method the path does not support: no operation, the error body.
        schema = resolve(document, document["components"]["responses"][f"Error{status}"])
    elif op is None:
        c.fail(f"{what}: no documented operation")
        return None
    elif str(status) not in op["responses"]:
        c.fail(f"{what}: status {status} is not documented for {method} {template}")
        return None
    else:
        schema = resolve(document, op["responses"][str(status)])
    media = schema["content"]
    if "application/json" not in media:
        if not any(content_type.startswith(t) for t in media):
            c.fail(f"{what}: content type {content_type}, documented {list(media)}")
        else:
            c.ok(f"{what} ({content_type})")
        return raw
    if not content_type.startswith("application/json"):
        c.fail(f"{what}: content type {content_type}, documented application/json")
        return None
    parsed = json.loads(raw)
    problems = validate_body(document, media["application/json"]["schema"], parsed)
    if problems:
        c.fail(f"{what}: body does not match the documented schema:\n      " +
               "\n      ".join(problems))
    else:
        c.ok(f"{what} matches {template or 'the error body'}")
    return parsed


def check_live(c, aidtrail, document, committed_text):
    print("== live answers validate against the document")
    with tempfile.TemporaryDirectory(prefix="aidtrail-openapi-") as tmp:
        server = Server(aidtrail, tmp)
        try:
            server.start()
        except (RuntimeError, subprocess.SubprocessError, OSError) as e:
            server.stop()
            c.fail(f"could not start the server: {e}")
            return
        try:
            live_calls(c, document, committed_text, server)
        finally:
            server.stop()


def live_calls(c, document, committed_text, server):
    sup = "supervisor"
    check_answer(c, document, server, "GET", "/healthz", expect=200)
    check_answer(c, document, server, "GET", "/readyz", expect=200)
    check_answer(c, document, server, "GET", "/metrics", expect=200)
    status, _, served = server.call("GET", "/openapi.json")
    if status == 200 and served.decode() == committed_text:
        c.ok("GET /openapi.json serves api/openapi.json")
    else:
        c.fail("GET /openapi.json does not serve the committed api/openapi.json; rebuild")

    cases = check_answer(c, document, server, "GET", "/v1/cases?limit=5&as_of=2025-12-31", sup,
                         expect=200)
    if cases and cases.get("cases"):
        case_id = cases["cases"][0]["caseId"].removeprefix("case/")
        check_answer(c, document, server, "GET", f"/v1/cases/{case_id}?as_of=2025-12-31", sup,
                     expect=200)
        check_answer(c, document, server, "GET", f"/v1/cases/{case_id}/timeline", sup, expect=200)
    else:
        c.fail("GET /v1/cases listed no case of the demo year")
    check_answer(c, document, server, "GET", "/v1/supervision/queue?as_of=2025-12-31&limit=3", sup,
                 expect=200)
    check_answer(c, document, server, "GET", "/v1/ledger/2025", sup, expect=200)
    payments = check_answer(c, document, server, "GET", "/v1/payments/2025", sup, expect=200)
    if payments and payments.get("payments"):
        p = payments["payments"][0]
        check_answer(c, document, server, "GET",
                     f"/v1/cases/{p['caseId'].removeprefix('case/')}/subsidies/"
                     f"{p['subsidyId']}/trace", sup, expect=200)
    check_answer(c, document, server, "GET", "/v1/fairness/2025", sup, expect=200)
    check_answer(c, document, server, "GET", "/v1/duty/2025", sup, expect=200)
    checkpoint = check_answer(c, document, server, "GET", "/v1/audit/checkpoint", sup, expect=200)
    if checkpoint:
        check_answer(c, document, server, "GET", "/v1/audit/inclusion?partition=0&offset=0", sup,
                     expect=200)

    # A command, as sent and as answered: recorded (201), then a retry (200).
    command = {"commandId": "openapi-check-firm-1", "streamId": "firm/openapi-check",
               "registerFirm": {"name": "接口检查律师事务所", "licenceNo": "L-0001",
                                "region": "pengjiang"}}
    op = find_operation(document, "POST", "/v1/commands/register_firm")[1]
    if op is None:
        c.fail("POST /v1/commands/register_firm is not documented")
    else:
        schema = op["requestBody"]["content"]["application/json"]["schema"]
        problems = validate_body(document, schema, command)
        if problems:
            c.fail("the register_firm request does not match its documented schema:\n      " +
                   "\n      ".join(problems))
        else:
            c.ok("the register_firm request matches its documented schema")
    for expect in (201, 200):
        check_answer(c, document, server, "POST", "/v1/commands/register_firm", "admin",
                     body=command, expect=expect)

    # Refusals: each must carry the documented error body.
    check_answer(c, document, server, "GET", "/v1/cases/no-such-case", sup, expect=404)
    check_answer(c, document, server, "GET", "/v1/ledger/1900", sup, expect=400)
    check_answer(c, document, server, "GET", "/v1/cases", expect=401)
    check_answer(c, document, server, "GET", "/v1/supervision/queue", "intake", expect=403)
    check_answer(c, document, server, "POST", "/v1/commands/submit_application", "intake",
                 body={"streamId": "case/x"}, expect=400)
    check_answer(c, document, server, "DELETE", "/v1/cases", sup, expect=405,
                 undocumented_error=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aidtrail", required=True, help="the built aidtrail binary")
    ap.add_argument("--routes", required=True, help="output of `aidtrail routes`")
    ap.add_argument("--document", required=True, help="the committed api/openapi.json")
    ap.add_argument("--generated", help="what generate.py wrote now (absent: it failed)")
    args = ap.parse_args()

    c = Checks()
    committed_text = pathlib.Path(args.document).read_text(encoding="utf-8")
    document = json.loads(committed_text)
    routes = json.loads(pathlib.Path(args.routes).read_text(encoding="utf-8"))
    check_routes(c, routes, document)
    check_fresh(c, committed_text, args.generated)
    check_valid(c, document)
    check_live(c, args.aidtrail, document, committed_text)
    print(f"openapi: {c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
