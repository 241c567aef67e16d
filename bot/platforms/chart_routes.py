"""GET /charts/…: the PNG behind a signed chart link, drawn from the database when asked."""

from __future__ import annotations

from aiohttp import web

from bot.platforms.chart_links import ChartLinks
from bot.services.deps import Deps
from bot.services.readiness import member_readiness


def mount_charts(web_app: web.Application, deps: Deps, links: ChartLinks) -> None:
    """Serve readiness charts for links that are signed and not expired."""

    async def readiness(request: web.Request) -> web.Response:
        try:
            workspace_id = int(request.match_info["workspace"])
            member_id = int(request.match_info["member"])
            expires = int(request.query.get("exp", ""))
        except ValueError:
            raise web.HTTPNotFound() from None
        if not links.valid(workspace_id, member_id, expires, request.query.get("sig", ""),
                           deps.clock.now()):
            raise web.HTTPForbidden(text="This chart link is not valid any more.")
        found = await member_readiness(deps, workspace_id, member_id)
        if found is None:
            raise web.HTTPNotFound()
        name, seen = found
        # Drawing loads Pillow, which a start need not wait for: most processes never draw.
        from bot.platforms.charts import readiness_chart

        return web.Response(body=readiness_chart(name, seen), content_type="image/png",
                            headers={"Cache-Control": "private, max-age=300"})

    web_app.router.add_get(r"/charts/readiness/{workspace:\d{1,12}}/{member:\d{1,12}}.png",
                           readiness)
