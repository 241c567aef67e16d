"""Boards, stats, settings, topics, help and the App Home as Block Kit."""

from __future__ import annotations

from bot.domain.presenting import board_lines
from bot.domain.views import (
    BoardView,
    HelpView,
    SettingsView,
    StatsView,
    Tally,
    TopicsView,
)
from bot.platforms.render_text import bar, format_points, medal, settings_rows, week_label
from bot.platforms.slack_app.blocks import Block, context, mrkdwn
from bot.platforms.slack_app.learning_blocks import readiness_blocks
from bot.services.home import HomeView


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def board_blocks(view: BoardView) -> list[Block]:
    """The leaderboard: medals, points, squads with their active members, this week's movers."""
    what = "Squads" if view.squads else "Leaderboard"
    blocks = [_header(f"🏆 {what} — {week_label(view)}")]
    if not view.rows:
        return [*blocks, mrkdwn("No points yet. Answer a question to get on the board!")]
    lines = []
    for row in board_lines(view):
        if row.yours:
            lines.append(f"… you: #{row.rank} *{row.name}* — {format_points(row.points)}")
            continue
        extra = (f" · {row.members} active, points per member" if row.members is not None
                 else "")
        lines.append(f"{medal(row.rank)} *{row.name}* — {format_points(row.points)}{extra}")
    blocks.append(mrkdwn("\n".join(lines)))
    if view.movers:
        climbed = ", ".join(f"*{name}* ↑{places}" for name, places in view.movers)
        blocks.append(context(f"📈 Climbing this week: {climbed}"))
    return blocks


def _tallies(title: str, tallies: list[Tally]) -> Block:
    lines = [f"`{bar(t.correct, t.total)}` {t.accuracy:.0%}  {t.label} ({t.correct}/{t.total})"
             for t in tallies]
    return mrkdwn(f"*{title}*\n" + "\n".join(lines))


def stats_blocks(view: StatsView) -> list[Block]:
    """A member's record with accuracy bars per exam domain and per topic."""
    share = f"{view.correct / view.answered:.0%}" if view.answered else "—"
    blocks = [_header(f"📊 {view.name}"), {"type": "section", "fields": [
        {"type": "mrkdwn", "text": f"*Answered*\n{view.answered}"},
        {"type": "mrkdwn", "text": f"*Right*\n{view.correct} ({share})"},
        {"type": "mrkdwn", "text": f"*Points*\n{view.points}"},
        {"type": "mrkdwn", "text": f"*Daily streak*\n🔥 {view.streak}"},
    ]}]
    if view.by_domain:
        blocks.append(_tallies("By exam domain", view.by_domain))
    if view.by_topic:
        blocks.append(_tallies("By topic", view.by_topic))
    if not view.answered:
        blocks.append(context("No answers yet: try `/quiz me` for a practice question."))
    blocks += readiness_blocks(view)
    return blocks


def _settings_lines(view: SettingsView) -> str:
    lines = [f"*{label}:* {value}" for label, value in settings_rows(view)]
    if view.disabled:
        lines.append(f"⚠️ *Paused:* {view.disabled}. Invite the app to the channel and change "
                     "a setting to resume.")
    return "\n".join(lines)


def settings_blocks(view: SettingsView) -> list[Block]:
    """A channel's schedule and rules with the next fire times."""
    return [_header(f"⚙️ Settings for #{view.channel}"), mrkdwn(_settings_lines(view))]


def topics_blocks(view: TopicsView) -> list[Block]:
    """The bank's topics with counts; the channel's own choice is ticked."""
    total = sum(n for _, _, n in view.topics)
    lines = [f"{'✅ ' if slug in view.selected else ''}`{slug}` {title} ({count})"
             for slug, title, count in view.topics]
    blocks = [_header(f"📚 {len(view.topics)} topics, {total} questions"),
              mrkdwn("\n".join(lines) or "The bank is empty.")]
    if view.selected:
        blocks.append(context("✅ = this channel's topics (`/quiz only all` to use every topic)"))
    return blocks


def help_blocks(view: HelpView) -> list[Block]:
    """The commands, each with an example."""
    lines = [f"`{command}` — {what}" for command, what in view.lines]
    return [_header("Quiz commands"), mrkdwn("\n".join(lines)),
            context("Answer with the buttons under a question; the first answer counts.")]


def home_view(view: HomeView) -> Block:
    """The App Home tab: the member's own record and each playing channel's schedule."""
    blocks = stats_blocks(view.stats)
    blocks.append({"type": "divider"})
    blocks.append(_header("🗓️ Channel schedules"))
    if not view.channels:
        blocks.append(mrkdwn("No channel has a daily question yet. In a channel, an admin "
                             "types `/quiz daily 09:30 Europe/Berlin mon-fri`."))
    for channel in view.channels[:20]:  # a home tab holds at most 100 blocks
        blocks.append(mrkdwn(f"*#{channel.channel}*\n{_settings_lines(channel)}"))
    blocks.append(context("`/quiz help` lists every command."))
    return {"type": "home", "blocks": blocks}
