"""A server that lies: it forwards every GET to the real aidtrail server and
forges one kind of proof on the way back, so that `aidtrail check-proofs`
can be shown to reject it. Usage: lying_server.py UPSTREAM MODE PORT_FILE
MODE: inclusion-path | inclusion-record | consistency-path | honest."""
import base64
import http.server
import json
import sys
import urllib.error
import urllib.request

upstream, mode, port_file = sys.argv[1], sys.argv[2], sys.argv[3]


def flip_hex(h):
    return ("0" if h[0] != "0" else "1") + h[1:]


def forge(path, body):
    doc = json.loads(body)
    if mode == "inclusion-path" and "/inclusion" in path:
        doc["path"][0] = flip_hex(doc["path"][0])
    elif mode == "inclusion-record" and "/inclusion" in path:
        record = bytearray(base64.b64decode(doc["record"]))
        record[len(record) // 2] ^= 0x01
        doc["record"] = base64.b64encode(bytes(record)).decode()
    elif mode == "consistency-path" and path.startswith("/v1/audit/consistency"):
        doc["path"][-1] = flip_hex(doc["path"][-1])
    return json.dumps(doc).encode()


class Liar(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        req = urllib.request.Request(upstream + self.path, headers={
            k: v for k, v in self.headers.items() if k.lower() == "authorization"})
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, body = res.status, res.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        if status == 200 and mode != "honest":
            body = forge(self.path, body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Liar)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
