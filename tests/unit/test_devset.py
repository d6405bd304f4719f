"""`make dev`'s runner: honcho's exit code after Ctrl-C (130) is a clean stop; Redis and the simulator stop last."""

import pytest
from honcho import command

from cli import devset


@pytest.mark.parametrize("honcho_code, code", [(130, 0), (0, 0), (1, 1), (143, 143)])
def test_ctrl_c_is_a_clean_stop_and_other_codes_pass_through(monkeypatch, honcho_code, code):
    monkeypatch.setattr(command, "main", lambda argv: (_ for _ in ()).throw(SystemExit(honcho_code)))
    assert devset.main(["Procfile.dev", ".env.dev"]) == code


class Recording(devset.StagedManager):
    """The manager with its processes running, recording what it signals instead of signalling."""

    def __init__(self):
        super().__init__(printer=lambda *a, **k: None)
        self._system_print = lambda data: None
        self.signalled = []
        self._procmgr = type("P", (), {"terminate": lambda _, pid: self.signalled.append(pid)})()
        for pid, name in enumerate(["redis.1", "sim.1", "web.1", "worker.1", "clock.1"]):
            self._processes[name] = {"pid": pid}


def test_redis_and_the_simulator_are_stopped_only_after_the_processes_using_them():
    manager = Recording()
    manager.terminate()
    assert manager.signalled == [2, 3, 4]
    manager._all_stopped()
    assert manager.signalled == [2, 3, 4]  # web, worker and clock still running
    for name in ("web.1", "worker.1", "clock.1"):
        manager._processes[name]["returncode"] = 0
    manager._all_stopped()
    assert manager.signalled == [2, 3, 4, 0, 1]
