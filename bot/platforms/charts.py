"""PNG charts of readiness by domain and of a leaderboard, drawn with Pillow.

The text of each view stays beside the picture for screen readers; a chart only repeats it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from bot.domain.readiness import HIGHEST, LOWEST, PASS_SCORE, Readiness
from bot.domain.views import BoardView
from bot.platforms.render_learning import percent, score_line
from bot.platforms.render_text import format_points, week_label

WIDTH = 800
ROW = 46
MARGIN = 24
LABEL_WIDTH = 290
BAR_WIDTH = WIDTH - LABEL_WIDTH - 2 * MARGIN - 110
BACKGROUND, INK, MUTED = "#ffffff", "#1d1c1d", "#868686"
TRACK, FILL, WEAK, WHISKER, PASS = "#eeeeee", "#2eb67d", "#e01e5a", "#1d1c1d", "#ecb22e"
# The accuracy that maps to the pass mark on the linear 100–1000 scale the estimate uses.
PASS_ACCURACY = (PASS_SCORE - LOWEST) / (HIGHEST - LOWEST)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _plain(text: str) -> str:
    # Pillow's bundled font has no dashes beyond the hyphen.
    return text.replace("—", "-").replace("–", "-")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def readiness_chart(name: str, readiness: Readiness) -> bytes:
    """Accuracy per exam domain as bars, the 95% interval as a whisker, the pass line dashed."""
    height = 2 * MARGIN + 40 + ROW * len(readiness.domains) + 44
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN), _plain(f"Exam readiness - {name}"), fill=INK, font=_font(22))
    draw.text((WIDTH - MARGIN - 230, MARGIN + 6), f"dashed: the pass mark ({PASS_SCORE})",
              fill=PASS, font=_font(14))
    left, top = MARGIN + LABEL_WIDTH, MARGIN + 44
    for index, domain in enumerate(readiness.domains):
        y = top + index * ROW
        draw.text((MARGIN, y + 6), domain.domain.label, fill=INK, font=_font(16))
        draw.rectangle((left, y + 6, left + BAR_WIDTH, y + 30), fill=TRACK)
        if domain.total:
            colour = FILL if domain.accuracy >= PASS_ACCURACY else WEAK
            draw.rectangle((left, y + 6, left + round(BAR_WIDTH * domain.accuracy), y + 30),
                           fill=colour)
            low, high = domain.interval
            x0, x1 = left + round(BAR_WIDTH * low), left + round(BAR_WIDTH * high)
            draw.line((x0, y + 18, x1, y + 18), fill=WHISKER, width=2)
            draw.line((x0, y + 12, x0, y + 24), fill=WHISKER, width=2)
            draw.line((x1, y + 12, x1, y + 24), fill=WHISKER, width=2)
            note = f"{percent(domain.accuracy)} · {domain.total}"
        else:
            note = "no answers"
        draw.text((left + BAR_WIDTH + 10, y + 8), note, fill=MUTED, font=_font(15))
    pass_x = left + round(BAR_WIDTH * PASS_ACCURACY)
    bottom = top + ROW * len(readiness.domains)
    for y in range(top, bottom, 8):
        draw.line((pass_x, y, pass_x, y + 4), fill=PASS, width=2)
    draw.text((MARGIN, bottom + 8), _plain(score_line(readiness)), fill=INK, font=_font(15))
    return _png(image)


def board_chart(view: BoardView) -> bytes:
    """A leaderboard's rows as bars of points."""
    rows = view.rows or []
    height = 2 * MARGIN + 40 + ROW * max(len(rows), 1)
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    what = "Squads" if view.squads else "Leaderboard"
    draw.text((MARGIN, MARGIN), f"{what} - {week_label(view)}", fill=INK, font=_font(22))
    top, left = MARGIN + 44, MARGIN + LABEL_WIDTH
    best = max((float(row.points) for row in rows), default=0.0) or 1.0
    if not rows:
        draw.text((MARGIN, top + 6), "No points yet.", fill=MUTED, font=_font(16))
    for index, row in enumerate(rows):
        y = top + index * ROW
        draw.text((MARGIN, y + 6), _plain(f"{row.rank}. {row.name}")[:34], fill=INK,
                  font=_font(16))
        draw.rectangle((left, y + 6, left + round(BAR_WIDTH * float(row.points) / best), y + 30),
                       fill=FILL if row.rank == 1 else "#36c5f0")
        draw.text((left + BAR_WIDTH + 10, y + 8), format_points(row.points), fill=MUTED,
                  font=_font(15))
    return _png(image)
