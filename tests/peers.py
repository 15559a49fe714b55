"""Real peers for the federation tests: a private Virtuoso, an Oxigraph server (PyPI's
`oxigraph`, serving the UN SDG KOS), and a canary HTTP server.

Both listen on 127.0.0.1 only, on free ports, and are started and stopped by the tests.
The benchmark (bench/virtuoso_peer.py) starts its Virtuoso with the same launcher.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

VIRTUOSO_BIN = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
# The Oxigraph server from PyPI (`pip install oxigraph`, in the test extras), beside this Python.
OXIGRAPH_BIN = str(Path(sys.executable).parent / "oxigraph")
ISQL_BIN = shutil.which("isql-vt") or shutil.which("isql") or "/usr/bin/isql-vt"
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Scripted:
    """A tiny HTTP server on 127.0.0.1 that answers each path with a scripted response
    (status, headers, body), and counts what it was asked: a hostile LOAD source or
    federation partner."""

    def __init__(
        self,
        routes: dict[str, tuple[int, dict[str, str], bytes]],
        default: tuple[int, dict[str, str], bytes] = (404, {}, b"not here"),
    ):
        self.routes = routes
        self.default = default
        self.hits: list[str] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                scripted.hits.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                status, headers, body = scripted.routes.get(path, scripted.default)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", scripted.base))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Canary(Scripted):
    """A tiny HTTP server that counts every request it gets and answers with an empty
    SPARQL JSON result, so that a SERVICE call to it would succeed if it were allowed."""

    def __init__(self):
        empty = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        super().__init__({}, (200, {"Content-Type": "application/sparql-results+json"}, empty))
        self.url = f"{self.base}/sparql"


class VirtuosoError(RuntimeError):
    pass


VIRTUOSO_INI = """\
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
DisableTcpSocket = 0
MaxClientConnections = {connections}
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
SchedulerInterval = 10
MaxSortedTopRows = 100000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
MaxClientConnections = {connections}
ServerThreads = {connections}
MaxKeepAlives = {connections}
KeepAliveTimeout = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 10
"""


class Virtuoso:
    """A private Virtuoso: its own directory, database and loopback ports. The defaults
    suit the tests' few triples; the benchmark asks for more buffers and larger limits
    (a buffer is 8 kB; Virtuoso's guide: dirty buffers about 3/4 of the buffers)."""

    def __init__(
        self,
        *,
        buffers: int = 4000,
        dirty_buffers: int = 3000,
        connections: int = 8,
        max_rows: int = 10_000,
        max_seconds: int = 30,
        prefix: str = "kg-virtuoso-",
    ):
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.process: subprocess.Popen | None = None
        self.ini = self.dir / "virtuoso.ini"
        self.ini.write_text(
            VIRTUOSO_INI.format(
                dir=self.dir,
                sql_port=self.sql_port,
                http_port=self.http_port,
                vsp=VIRTUOSO_VSP,
                buffers=buffers,
                dirty_buffers=dirty_buffers,
                connections=connections,
                max_rows=max_rows,
                max_seconds=max_seconds,
            )
        )

    @staticmethod
    def available() -> bool:
        return Path(VIRTUOSO_BIN).exists() and Path(ISQL_BIN).exists()

    @property
    def log(self) -> str:
        path = self.dir / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else "(no virtuoso.log)"

    def _fail(self, message: str):
        path = self.dir / "stdout.log"
        out = path.read_text(errors="replace") if path.exists() else ""
        raise VirtuosoError(f"{message}\n--- virtuoso.log ---\n{self.log}\n--- output ---\n{out}")

    def start(self, timeout: float = 90.0) -> Virtuoso:
        if not Path(VIRTUOSO_BIN).exists():
            raise VirtuosoError(f"{VIRTUOSO_BIN} not found: run scripts/install-system-packages.sh")
        # -f: stay in the foreground, so that the process is ours to stop. Its output goes
        # to a file: a pipe nobody reads could fill up and block the server.
        with (self.dir / "stdout.log").open("wb") as output:
            self.process = subprocess.Popen(
                [VIRTUOSO_BIN, "-f", "-c", str(self.ini)],
                cwd=self.dir,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"virtuoso-t exited with status {self.process.returncode}")
            if self._sparql_ready():
                return self
            time.sleep(0.3)
        self.stop()
        self._fail(f"Virtuoso did not answer on {self.url} within {timeout:.0f} s")

    def _sparql_ready(self) -> bool:
        try:
            self.select("ASK { }", accept="application/sparql-results+json", timeout=2)
            return True
        except (OSError, urllib.error.URLError):
            return False

    def select(self, query: str, accept="application/sparql-results+json", timeout=10) -> bytes:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def isql(self, *statements: str, timeout: float = 60) -> str:
        """Run SQL statements through isql; a failing statement raises with the output."""
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
            raise VirtuosoError(f"isql failed ({result.returncode}):\n{script}\n{output}")
        return output

    def load_turtle(self, path: Path, graph: str) -> None:
        """Copy a Turtle file into the allowed directory and load it with TTLP_MT."""
        target = self.dir / path.name
        shutil.copyfile(path, target)
        self.isql(
            f"DB.DBA.TTLP_MT(file_to_string_output('{target}'), '', '{graph}', 0)",
            "checkpoint",
        )

    def bulk_load(self, path: Path, graph: str, timeout: float = 1800) -> None:
        """Virtuoso's bulk loader (ld_dir + rdf_loader_run), its fastest path, then a
        checkpoint."""
        shutil.copyfile(path, self.dir / path.name)
        self.isql(
            f"ld_dir('{self.dir}', '{path.name}', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
            timeout=timeout,
        )

    def allow_federation(self) -> None:
        """Let anonymous /sparql callers use SERVICE (SPARQL-FED)."""
        self.isql(
            'grant SPARQL_LOAD_SERVICE_DATA to "SPARQL"',
            'grant SPARQL_SPONGE to "SPARQL"',
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class FormPostBridge:
    """Forwards SPARQL Protocol requests to Virtuoso, turning a direct POST
    (`application/sparql-query`, what pyoxigraph sends for SERVICE) into a form POST.

    Virtuoso 7.2 never answers a direct POST to /sparql (openlink/virtuoso-opensource
    issue 842, still open), so without this our SERVICE calls to it would hang.
    """

    def __init__(self, target: str):
        self.target = target
        self.hits: list[str] = []
        bridge = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self, query: str | None, form: bytes | None):
                bridge.hits.append(self.command)
                if query is not None:
                    form = urllib.parse.urlencode({"query": query}).encode()
                headers = {
                    "Accept": self.headers.get("Accept", "*/*"),
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                request = urllib.request.Request(bridge.target, data=form, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, body = response.status, response.read()
                        content_type = response.headers.get("Content-Type", "text/plain")
                except urllib.error.HTTPError as error:
                    status, body = error.code, error.read()
                    content_type = error.headers.get("Content-Type", "text/plain")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                    self._forward(body.decode("utf-8"), None)
                else:
                    self._forward(None, body)

            def do_GET(self):
                self._forward(None, urllib.parse.urlsplit(self.path).query.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FormPostBridge:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class OxigraphError(RuntimeError):
    pass


class OxigraphServer:
    """A foreign SPARQL endpoint: the Oxigraph server (PyPI's `oxigraph` command) on a free
    loopback port, over a database of its own loaded with `oxigraph load`. Read-only by
    default; `writable=True` serves updates (`/update`) and the Graph Store (`/store`) too.
    Its SPARQL query endpoint is `/query`."""

    def __init__(
        self,
        files: list[Path],
        prefix: str = "kg-oxigraph-",
        *,
        writable: bool = False,
        union_default_graph: bool = False,
        timeout_s: int | None = None,
    ):
        self.files = files
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.update_url = f"http://127.0.0.1:{self.port}/update"
        self.store_url = f"http://127.0.0.1:{self.port}/store"
        self.writable = writable
        self.options = ["--union-default-graph"] if union_default_graph else []
        if timeout_s is not None:
            self.options += ["--timeout-s", str(timeout_s)]
        self.process: subprocess.Popen | None = None

    def _log(self) -> str:
        path = self.dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self, timeout: float = 60.0) -> OxigraphServer:
        if not Path(OXIGRAPH_BIN).exists():
            raise OxigraphError(f"{OXIGRAPH_BIN} not found: pip install -e '.[test]'")
        database = self.dir / "db"
        if self.files:
            loaded = subprocess.run(
                [OXIGRAPH_BIN, "load", "--location", str(database)]
                + ["--file", *map(str, self.files)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if loaded.returncode != 0:
                raise OxigraphError(f"oxigraph load failed:\n{loaded.stdout}{loaded.stderr}")
        command = "serve" if self.writable else "serve-read-only"
        with (self.dir / "server.log").open("wb") as output:
            self.process = subprocess.Popen(
                [
                    OXIGRAPH_BIN,
                    command,
                    "--location",
                    str(database),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    *self.options,
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise OxigraphError(f"oxigraph serve exited:\n{self._log()}")
            try:
                self.select("ASK {}")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise OxigraphError(f"oxigraph did not answer on {self.url}:\n{self._log()}")

    def select(self, query: str, timeout: float = 10) -> bytes:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.url, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)
