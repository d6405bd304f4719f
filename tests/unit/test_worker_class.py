"""The worker class: idle workers wake often enough for RQ's maintenance to run on time."""

from worker.heroku import MAX_DEQUEUE_WAIT, ReleasebotWorker


def idle_worker(worker_ttl: int = 420, maintenance_interval: int = 60) -> ReleasebotWorker:
    worker = ReleasebotWorker.__new__(ReleasebotWorker)  # only the two settings the property reads
    worker.worker_ttl, worker.maintenance_interval = worker_ttl, maintenance_interval
    return worker


def test_an_idle_worker_blocks_in_dequeue_for_at_most_half_the_maintenance_interval():
    assert idle_worker().dequeue_timeout <= min(MAX_DEQUEUE_WAIT, 30)
    assert idle_worker(maintenance_interval=2).dequeue_timeout == 1
