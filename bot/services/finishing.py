"""Posts the platform has, stored as done together: the posts that finish within a few
milliseconds of each other share one transaction, instead of a transaction (three round
trips) each. One transaction at a time: posts that finish while it runs wait for the next,
so a slow database gets bigger transactions rather than more of them (and one connection).

Until its transaction commits, a post is still claimed by its deliverer: if the process dies
in between, another deliverer takes the post over when the claim runs out and, seeing that an
earlier try may have reached the platform, looks for it before posting (PostKey).
"""

from __future__ import annotations

import asyncio

from bot.domain.outbox import Delivery, DeliveryKind
from bot.services.deps import Deps

FINISH_EVERY = 0.05  # seconds a finished post may wait for others to share its transaction
FINISH_MOST = 200  # posts in one transaction at most
_Waiting = tuple[Delivery, str | None, "asyncio.Future[bool]"]


class Finisher:
    """Marks posts done, with their message references, many in one transaction."""

    def __init__(self, deps: Deps, owner: str, every: float = FINISH_EVERY,
                 most: int = FINISH_MOST) -> None:
        self.deps, self.owner, self.every, self.most = deps, owner, every, most
        self._waiting: list[_Waiting] = []
        self._timer: asyncio.TimerHandle | None = None
        self._storing: asyncio.Task[None] | None = None

    async def finish(self, delivery: Delivery, ref: str | None) -> bool:
        """Store the delivery as done (and a question's round its message); False when
        another deliverer took the delivery over meanwhile."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((delivery, ref, future))
        if len(self._waiting) >= self.most:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.every, self._flush)
        return await future

    async def drain(self) -> None:
        """Store what is waiting now, and wait for the transaction under way."""
        while True:
            if self._storing is None:
                self._flush()
            if self._storing is None:
                return
            await asyncio.wait({self._storing})

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._storing is not None or not self._waiting:
            return  # the transaction under way flushes again when it ends
        batch, self._waiting = self._waiting[:self.most], self._waiting[self.most:]
        # Held until done (the loop keeps only weak references to tasks).
        self._storing = asyncio.create_task(self._store(batch))
        self._storing.add_done_callback(self._stored)

    def _stored(self, _: asyncio.Task[None]) -> None:
        self._storing = None
        if len(self._waiting) >= self.most:
            self._flush()
        elif self._waiting and self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.every, self._flush)

    async def _store(self, batch: list[_Waiting]) -> None:
        try:
            async with self.deps.uow() as uow:
                kept = await uow.deliveries.finish({d.id: ref for d, ref, _ in batch},
                                                   self.owner, self.deps.clock.now())
                await uow.rounds.set_message_refs({
                    d.round_id: ref for d, ref, _ in batch
                    if d.id in kept and ref and d.round_id is not None
                    and d.kind is DeliveryKind.QUESTION})
                await uow.commit()
        except Exception as error:  # each waiting post fails, and is tried again later
            for _, _, future in batch:
                if not future.done():  # its waiter may be gone (the deliverer stopped)
                    future.set_exception(error)
            return
        for delivery, _, future in batch:
            if not future.done():
                future.set_result(delivery.id in kept)
