"""A real RFC 3161 timestamping authority on 127.0.0.1: OpenSSL's ``ts -reply`` behind HTTP,
with its own root CA and a TSA certificate marked for timeStamping."""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TSA_CONFIG = """[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = {dir}/tsaserial
crypto_device = builtin
signer_cert = {dir}/tsa.pem
certs = {dir}/ca.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


@dataclass
class LocalTsa:
    url: str
    ca: Path
    requests: list[int]


def _openssl(folder: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)


def make_ca(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _openssl(folder, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "ca.key", "-out", "ca.pem", "-subj", f"/CN={name}", "-days", "30",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    return folder / "ca.pem"


def make_tsa_files(folder: Path) -> Path:
    make_ca(folder, "firewatch test TSA root")
    (folder / "ext.cnf").write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                    "extendedKeyUsage=critical,timeStamping\n")
    _openssl(folder, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=firewatch test TSA")
    _openssl(folder, "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "tsa.pem", "-days", "30", "-extfile", "ext.cnf")
    (folder / "tsaserial").write_text("01\n")
    (folder / "tsa.cnf").write_text(TSA_CONFIG.format(dir=folder))
    return folder / "ca.pem"


def serve_tsa(folder: Path):
    """Start the TSA; returns (LocalTsa, stop function)."""
    ca = make_tsa_files(folder)
    lock = threading.Lock()
    requests: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                requests.append(len(query))
                (folder / "query.tsq").write_bytes(query)
                result = subprocess.run(["openssl", "ts", "-reply", "-config", str(folder / "tsa.cnf"),
                                         "-queryfile", "query.tsq", "-out", "reply.tsr"],
                                        cwd=folder, capture_output=True, timeout=60)
                reply = (folder / "reply.tsr").read_bytes() if result.returncode == 0 else b""
            self.send_response(200 if reply else 500)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return LocalTsa(f"http://127.0.0.1:{server.server_address[1]}/tsa", ca, requests), stop
