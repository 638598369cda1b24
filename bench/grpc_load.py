"""Load generation and floor servers shared by the gRPC benches.

Closed loop: ``callers`` requests always in flight for ``seconds``. Open loop: requests sent on a
fixed schedule at ``rate`` per second, latency measured from the scheduled send time (so a
saturated server shows its queueing). Both stop by themselves and only dial 127.0.0.1.

Each load spreads its calls over ``channels`` connections (round robin), so that a server of
several processes sharing the port (SO_REUSEPORT hands each connection to one of them) sees
its load spread as it would be from many clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc


def start_unary_server(
    service: str, method: str, handler: Callable[[Any, Any], Any], request_class, response_class
) -> tuple[grpc.Server, int]:
    """A minimal threaded gRPC server answering one unary method (the benches' floors)."""
    generic = grpc.method_handlers_generic_handler(
        service,
        {
            method: grpc.unary_unary_rpc_method_handler(
                handler,
                request_deserializer=request_class.FromString,
                response_serializer=response_class.SerializeToString,
            )
        },
    )
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16), options=[("grpc.so_reuseport", 0)]
    )
    server.add_generic_rpc_handlers((generic,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


@contextlib.asynccontextmanager
async def _rpcs(port: int, method: str, channels: int):  # type: ignore[no-untyped-def]
    """``channels`` callables of ``method``, each over its own connection."""
    opened = [
        grpc.aio.insecure_channel(
            f"127.0.0.1:{port}",
            # A distinct argument per channel: channels never share a connection.
            options=[("grpc.use_local_subchannel_pool", 1), ("bench.channel", n)],
        )
        for n in range(channels)
    ]
    try:
        yield [channel.unary_unary(method) for channel in opened]
    finally:
        for channel in opened:
            await channel.close()


async def closed_loop(
    port: int,
    method: str,
    bodies: list[bytes],
    seconds: float,
    callers: int,
    timeout: float,
    channels: int = 1,
) -> dict[str, Any]:
    """Keep ``callers`` serialized requests in flight; latencies in seconds, errors as text."""
    async with _rpcs(port, method, channels) as rpcs:
        latencies: list[float] = []
        errors: list[str] = []
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds

        async def caller(index: int) -> None:
            n = index
            rpc = rpcs[index % len(rpcs)]
            while loop.time() < end:
                started = time.perf_counter()
                try:
                    await rpc(bodies[n % len(bodies)], timeout=timeout)
                    latencies.append(time.perf_counter() - started)
                except grpc.RpcError as exc:
                    errors.append(f"{exc.code()}: {exc.details()}")
                n += callers

        began = time.perf_counter()
        await asyncio.gather(*(caller(i) for i in range(callers)))
        return {"latencies": latencies, "errors": errors, "elapsed": time.perf_counter() - began}


async def open_loop(
    port: int,
    method: str,
    bodies: list[bytes],
    seconds: float,
    rate: float,
    timeout: float,
    phase: float = 0.0,
    channels: int = 1,
) -> dict[str, Any]:
    """Send at ``rate``/s for ``seconds``, offset by ``phase`` slots; unfinished = error."""
    async with _rpcs(port, method, channels) as rpcs:
        latencies: list[float] = []
        errors: list[str] = []
        loop = asyncio.get_running_loop()

        async def send(rpc: Any, body: bytes, scheduled: float) -> None:
            try:
                await rpc(body, timeout=timeout)
                latencies.append(loop.time() - scheduled)
            except grpc.RpcError as exc:
                errors.append(f"{exc.code()}: {exc.details()}")

        start = loop.time() + 0.05 + phase / rate
        tasks = []
        for n in range(int(seconds * rate)):
            scheduled = start + n / rate
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            rpc = rpcs[n % len(rpcs)]
            tasks.append(asyncio.create_task(send(rpc, bodies[n % len(bodies)], scheduled)))
        _done, pending = await asyncio.wait(tasks, timeout=timeout + 5)
        for task in pending:
            task.cancel()
        errors += ["unfinished"] * len(pending)
        return {"latencies": latencies, "errors": errors, "elapsed": loop.time() - start}
