"""The Discord adapter: /quiz slash commands, answer buttons and posts, on discord.py 2.x."""
