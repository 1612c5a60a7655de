#!/usr/bin/env python3
"""SIGTERM under HTTP load: every command the server recorded gets its answer.

Clients submit applications, each with a fresh command id, over keep-alive
connections; the server gets SIGTERM at a seeded moment. Afterwards the
server is started again on the same data and every command is sent again:
a retry returns the first result (200) for a command that was recorded and
records (201) one that was not. A recorded command whose client got no
answer, a stop that does not exit 0 within its grace, or an acknowledged
command missing afterwards fails the round.

Usage: sigterm_under_load.py BINARY [--rounds N] [--seed S] [--clients C]
"""
import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time


def body(cid):
    return json.dumps({
        "commandId": "term-" + cid,
        "streamId": "case/" + cid,
        "submitApplication": {
            "channel": "CHANNEL_WINDOW",
            "category": "CASE_CATEGORY_CIVIL",
            "matter": "wage-arrears",
            "applicant": {"subjectId": "SUBJ-" + cid, "age": 45},
            "infringementRegion": "440703",
        },
    })


class Server:
    def __init__(self, binary, work):
        self.binary, self.work = binary, work
        self.proc = None

    def start(self):
        port_file = os.path.join(self.work, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        self.log = open(os.path.join(self.work, "server.log"), "a")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--config", os.path.join(self.work, "server.json"),
             "--data", os.path.join(self.work, "data"), "--listen", "127.0.0.1:0",
             "--port-file", port_file, "--threads", "2"],
            stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("the server exited at start: see " + self.log.name)
            try:
                with open(port_file) as f:
                    self.port = int(f.read().strip())
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    return
            except (OSError, ValueError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not become ready within 60 s")


def client(port, token, prefix, stop, results):
    conn = None
    n = 0
    while not stop.is_set():
        n += 1
        cid = "%s-%d" % (prefix, n)
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/v1/commands/submit_application", body(cid),
                         {"Authorization": "Bearer " + token,
                          "Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            results[cid] = r.status
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            # Sent but not answered (or not sent at all: the retry tells).
            results[cid] = None
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)  # the server is going away: do not spin


def one_round(binary, work, token, rng, clients, rnd):
    server = Server(binary, work)
    server.start()
    stop = threading.Event()
    results = [dict() for _ in range(clients)]
    threads = [threading.Thread(target=client,
                                args=(server.port, token, "R%d-C%d" % (rnd, i), stop, results[i]))
               for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(1.0, 3.0))
    t0 = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    try:
        status = server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        status = "hung (killed after 30 s)"
    stop_s = time.monotonic() - t0
    stop.set()
    for t in threads:
        t.join()
    sent = {}
    for r in results:
        sent.update(r)

    # Again, on the same data: who was recorded?
    server.start()
    unanswered_recorded, lost, retried = [], [], 0
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for cid, first in sent.items():
        if first is not None and first != 201:
            continue  # refused the first time: nothing to check
        conn.request("POST", "/v1/commands/submit_application", body(cid),
                     {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        retried += 1
        if first == 201 and r.status != 200:
            lost.append((cid, r.status))
        elif first is None and r.status == 200:
            unanswered_recorded.append(cid)
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=30)
    acked = sum(1 for v in sent.values() if v == 201)
    no_answer = sum(1 for v in sent.values() if v is None)
    print("round %d: sent %d, acknowledged %d, no answer %d (of them recorded %d), "
          "acknowledged but missing %d; stop took %.2f s, exit status %s"
          % (rnd, len(sent), acked, no_answer, len(unanswered_recorded), len(lost), stop_s, status))
    ok = status == 0 and not unanswered_recorded and not lost and acked > 0
    if unanswered_recorded:
        print("  recorded without an answer: " + ", ".join(unanswered_recorded[:10]))
    if lost:
        print("  acknowledged, then missing: %r" % lost[:10])
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--clients", type=int, default=16)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(os.environ.get("AIDTRAIL_TEST_SEED", time.time()))
    print("seed %d (--seed %d repeats this run)" % (seed, seed))
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([a.binary, "generate", "--data", os.path.join(work, "data"), "--year", "2025",
                        "--cases", "30"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([a.binary, "token", "--config", os.path.join(work, "server.json"), "--role",
                        "intake", "--actor", "C1", "--out", os.path.join(work, "intake")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(work, "intake")) as f:
            token = f.read().strip()
        ok = all([one_round(a.binary, work, token, rng, a.clients, r) for r in range(a.rounds)])
        if not ok:
            print("FAILED (seed %d); server log:" % seed)
            with open(os.path.join(work, "server.log")) as f:
                print("".join(f.readlines()[-20:]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
