"""A private Virtuoso for the benchmark: own temporary directory, loopback ports, bulk loader."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VIRTUOSO_BIN = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL_BIN = shutil.which("isql-vt") or shutil.which("isql") or "/usr/bin/isql-vt"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 16
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 85000
MaxDirtyBuffers = 65000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
MaxClientConnections = 16
ServerThreads = 16
MaxKeepAlives = 16
KeepAliveTimeout = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VirtuosoPeer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="kg-bench-virtuoso-"))
        self.sql_port, self.http_port = free_port(), free_port()
        (self.dir / "virtuoso.ini").write_text(
            INI.format(dir=self.dir, sql_port=self.sql_port, http_port=self.http_port)
        )
        self.process: subprocess.Popen | None = None

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @staticmethod
    def available() -> bool:
        return Path(VIRTUOSO_BIN).exists() and Path(ISQL_BIN).exists()

    def start(self, timeout: float = 60) -> VirtuosoPeer:
        # -f keeps it in the foreground, so the process is ours to stop.
        self.process = subprocess.Popen(
            [VIRTUOSO_BIN, "-f", "-c", str(self.dir / "virtuoso.ini")],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}): {self.log()}")
            try:
                urllib.request.urlopen(self.sparql_url + "?query=ASK%7B%7D", timeout=2).read()
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("Virtuoso did not start in time")

    def log(self) -> str:
        path = self.dir / "virtuoso.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def isql(self, *statements: str, timeout: float = 1800) -> str:
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        result = subprocess.run(
            [
                ISQL_BIN,
                f"127.0.0.1:{self.sql_port}",
                "dba",
                "dba",
                "VERBOSE=OFF",
                "BANNER=OFF",
                "PROMPT=OFF",
                "ERRORS=STDOUT",
            ],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed:\n{script}\n{output}")
        return output

    def bulk_load(self, path: Path, graph: str) -> None:
        """Virtuoso's bulk loader (ld_dir + rdf_loader_run), its fastest path, then a checkpoint."""
        target = self.dir / path.name
        shutil.copyfile(path, target)
        self.isql(
            f"ld_dir('{self.dir}', '{path.name}', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
        )

    def select(self, query: str, timeout: float = 300) -> bytes:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.sparql_url, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
