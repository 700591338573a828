"""The playtest on a Dask cluster (``scheduler="tcp://HOST:PORT"``): for playtests that outgrow
one machine (10⁵–10⁶ profiles in shared storage).

The per-profile work (``summarize_profile`` → ``Partial.from_summaries``) is mapped to the
workers in batches, and the partials are merged **there**, eight at a time, level by level (a
tree reduction), so only one partial comes back to the client. The functions are the same as the
local pool's, so the report is the same bytes. ``dask.distributed`` is imported only here: the
optional extra ``cluster`` (``pip install 'telemetry-inspector[cluster]'``); without it the local
pool runs and Dask is not needed. Workers must be able to import ``inspector_app`` and read the
profile paths (shared storage or fsspec URLs). The local summary cache is not used on a cluster
(the client may not even see the files).
"""
from __future__ import annotations

from collections.abc import Sequence

from inspector_app.core.common.progress import Cancelled, CancelledFn, ProgressFn

from .model import PlayerSource, PlaytestCancelled
from .partial import Partial, merge_all
from .summarize import summarize_profile

FAN_IN = 8
MAX_BATCH = 256
CONNECT_TIMEOUT_S = 20


class ClusterError(RuntimeError):
    """The cluster could not be used (dask missing, scheduler unreachable, a worker failed)."""


class ClusterCancelled(PlaytestCancelled):
    """Cancelled while the cluster worked; every pending task was cancelled."""


def batch_partial(sources: Sequence[PlayerSource]) -> Partial:
    """One task: summarise a batch of profiles into a partial (runs on a worker)."""
    return Partial.from_summaries(summarize_profile(s) for s in sources)


def _batches(sources: Sequence[PlayerSource], workers: int) -> list[list[PlayerSource]]:
    size = max(1, min(MAX_BATCH, len(sources) // max(1, workers * 4)))
    return [list(sources[i:i + size]) for i in range(0, len(sources), size)]


def _probe(address: str) -> None:
    """Fail at once (not after the client's connect timeout) when nothing listens at a tcp:// address."""
    import socket
    from urllib.parse import urlsplit

    if not address.startswith("tcp://"):
        return
    try:
        parts = urlsplit(address)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise ClusterError(f"not a scheduler address: {address} ({error})") from None
    if not host or not port:
        raise ClusterError(f"not a scheduler address: {address} (expected tcp://HOST:PORT)")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error.strerror or error}") from None


def run_on_dask(sources: Sequence[PlayerSource], address: str, *, progress: ProgressFn | None = None,
                cancelled: CancelledFn | None = None) -> Partial:
    """Summarise and merge ``sources`` on the cluster at ``address``; the merged partial."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("a Dask scheduler needs the optional 'dask[distributed]' packages "
                           "(pip install 'telemetry-inspector[cluster]'); without --scheduler the local "
                           "process pool is used") from None
    if not sources:
        return Partial()
    _probe(address)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        with client.as_current():
            return _run(client, sources, progress, cancelled)
    except (Cancelled, ClusterError):
        raise
    except Exception as error:  # noqa: BLE001 — a worker/scheduler failure is reported, located to the cluster
        raise ClusterError(f"the Dask cluster at {address} failed: {type(error).__name__}: {error}") from None
    finally:
        client.close()


def _run(client, sources: Sequence[PlayerSource], progress: ProgressFn | None,
         cancelled: CancelledFn | None) -> Partial:
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    batches = _batches(sources, workers)
    leaves = client.map(batch_partial, batches, pure=False)
    sizes = {leaf.key: len(batch) for leaf, batch in zip(leaves, batches)}
    level = list(leaves)
    everything = list(leaves)
    while len(level) > 1:
        level = [client.submit(merge_all, level[i:i + FAN_IN], pure=False)
                 for i in range(0, len(level), FAN_IN)]
        everything += level
    done = 0
    for fut in as_completed(leaves):
        if cancelled is not None and cancelled():
            client.cancel(everything)
            raise ClusterCancelled("playtest cancelled")
        if fut.status == "error":
            fut.result()            # raises the worker's error
        done += sizes.get(fut.key, 0)
        if progress is not None:
            progress(done, len(sources), "cluster")
    result = level[0].result()
    if not isinstance(result, Partial):
        raise ClusterError(f"the cluster returned {type(result).__name__}, not a partial")
    return result
