#!/usr/bin/env python3
"""A TCP proxy on loopback that delays every chunk by DELAY_MS in each direction, so a round trip
costs twice that, as to a mail server across a network. Order is kept; bandwidth is not limited.
Usage: delay-proxy.py LISTEN_PORT TARGET_PORT DELAY_MS"""
import asyncio
import sys

listen_port, target_port, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000


async def pipe(reader, writer):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def forward():
        while (item := await queue.get()) is not None:
            due, chunk = item
            await asyncio.sleep(max(0, due - loop.time()))
            writer.write(chunk)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(forward())
    while chunk := await reader.read(65536):
        queue.put_nowait((loop.time() + delay, chunk))
    queue.put_nowait(None)
    await sender


async def serve(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer), return_exceptions=True)


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", listen_port)
    async with server:
        await server.serve_forever()


asyncio.run(main())
